/*
 * The seL4 "fault-handlers" tutorial, completed, for the MCS kernel, with both threads in
 * the root task's address space:
 *   - the faulter has its own small CSpace (a 16-slot CNode): slot 1 holds the sequencing
 *     endpoint, slot 2 is the empty slot it offers the handler, slot 3 is the empty slot it
 *     will "touch", slot 4 a reply object for its receives, slot 5 a notification it
 *     signals when it has finished;
 *   - the handler shares the root task's CSpace. It learns the empty slot over the
 *     sequencing endpoint, mints a badged copy of the fault endpoint and registers it as the
 *     faulter's fault handler with TCB_SetSpace (on MCS the kernel keeps a copy of the cap
 *     in the TCB, so nothing goes into the faulter's CSpace), then wakes the faulter;
 *   - the faulter does an NBRecv on its empty slot 3: a cap fault; the kernel sends the
 *     handler a fault message (badge 0xbeef) that names slot 3;
 *   - the handler copies an endpoint cap into the faulter's slot 3 and replies to the
 *     fault; the faulter's NBRecv is restarted, now succeeds, and the faulter goes on.
 * Under MCS there is no seL4_Reply: replies go through a reply object (seL4_Send on it).
 */
#include <stdio.h>
#include <stdint.h>
#include <stdbool.h>
#include <sel4/sel4.h>
#include <cairn/runtime.h>
#include <cairn/alloc.h>
#include <utils/util.h>

#define FAULTER_BADGE_VALUE 0xBEEF
#define FAULTER_CNODE_BITS 4
/* The faulter's CSpace. */
#define F_SEQUENCING_EP 1
#define F_EMPTY_FOR_HANDLER 2
#define F_EMPTY_TO_TOUCH 3
#define F_REPLY 4
#define F_DONE 5

static cairn_alloc_t alloc;
static seL4_CPtr sequencing_ep, fault_ep, handler_reply, badged_fault_ep, faulter_tcb, faulter_cnode, done, park;

/* ---- creating a thread in our address space ---- */
static char ipc_pages[2][4096] __attribute__((aligned(4096)));
static char stacks[2][16384] __attribute__((aligned(16)));
static char tls_blocks[2][1024] __attribute__((aligned(64)));
extern char __ehdr_start[];

static seL4_CPtr new_object(seL4_Word type, seL4_Word size_bits)
{
    seL4_CPtr cap;
    seL4_Error error = cairn_alloc_object(&alloc, type, size_bits, &cap);
    ZF_LOGF_IF(error, "Failed to allocate an object of type %lu", (unsigned long)type);
    return cap;
}

/* A thread at prio running fn(), with the given CSpace root and guard, not yet started. */
static seL4_CPtr new_thread(int i, const char *name, int prio, void (*fn)(void), seL4_CPtr cspace, seL4_Word guard_bits)
{
    seL4_CPtr tcb = new_object(seL4_TCBObject, 0), sc = new_object(seL4_SchedContextObject, 8);
    seL4_CPtr ipc_frame = cairn_bootinfo()->userImageFrames.start +
                          ((seL4_Word)ipc_pages[i] - ((seL4_Word)__ehdr_start & ~4095ul)) / 4096;
    seL4_Error error = seL4_TCB_Configure(tcb, cspace, seL4_CNode_CapData_new(0, guard_bits).words[0],
                                          seL4_CapInitThreadVSpace, 0, (seL4_Word)ipc_pages[i], ipc_frame);
    ZF_LOGF_IF(error, "Failed to configure the %s's TCB", name);
    error = seL4_SchedControl_ConfigureFlags(cairn_bootinfo()->schedcontrol.start, sc, 5000, 5000, 0, 0, 0);
    error |= seL4_TCB_SetSchedParams(tcb, seL4_CapInitThreadTCB, prio, prio, sc, seL4_CapNull);
    ZF_LOGF_IF(error, "Failed to give the %s a scheduling context", name);
    seL4_DebugNameThread(tcb, name);

    uintptr_t tp = cairn_tls_init(tls_blocks[i], sizeof(tls_blocks[i]));
    *(seL4_IPCBuffer **)cairn_tls_variable(tp, &__sel4_ipc_buffer) = (seL4_IPCBuffer *)ipc_pages[i];
    seL4_UserContext regs = { 0 };
    regs.rip = (seL4_Word)fn;
    regs.rsp = (seL4_Word)(stacks[i] + sizeof(stacks[i]) - 8);
    regs.fs_base = tp;
    error = seL4_TCB_WriteRegisters(tcb, false, 0, sizeof(regs) / sizeof(seL4_Word), &regs);
    ZF_LOGF_IF(error, "Failed to set the %s's registers", name);
    return tcb;
}

/* ---- the faulter (its cptrs name slots of its own CNode) ---- */
#undef PROGNAME
#define PROGNAME "Faulter: "

static void touch(seL4_CPtr slot)
{
    seL4_Word unused_badge;
    seL4_NBRecv(slot, &unused_badge, F_REPLY);
}

static void faulter_main(void)
{
    /* First tell the handler where in our CSpace it is safe for it to place a badged fault
     * handler EP cap (only the non-MCS kernel needs that; the handler tells us below). */
    printf(PROGNAME "Running. About to send empty slot CPtr to handler.\n");
    seL4_SetMR(0, F_EMPTY_FOR_HANDLER);
    seL4_Call(F_SEQUENCING_EP, seL4_MessageInfo_new(0, 0, 0, 1));

    printf(PROGNAME "Handler has registered a fault EP for us. Proceeding.\n");
    printf(PROGNAME "About to touch fault vaddr.\n");
    touch(F_EMPTY_TO_TOUCH);

    printf(PROGNAME "Successfully executed past the fault.\n" PROGNAME "Finished execution.\n");
    seL4_Signal(F_DONE); /* tell the root task */
    seL4_Word b;
    for (;;)
        seL4_Wait(F_DONE, &b); /* nothing more to do */
}

/* ---- the handler (root task's CSpace) ---- */
#undef PROGNAME
#define PROGNAME "Handler: "

static void handler_main(void)
{
    seL4_Word tmp_badge;
    printf(PROGNAME "Handler thread running!\n" PROGNAME "About to wait for empty slot from faulter.\n");
    seL4_Recv(sequencing_ep, &tmp_badge, handler_reply);
    seL4_CPtr foreign_badged_faulter_empty_slot_cap = seL4_GetMR(0);
    printf(PROGNAME "Received init sequence msg: slot in faulter's cspace is %lu.\n",
           (unsigned long)foreign_badged_faulter_empty_slot_cap);

    /* Mint the fault ep with a badge. */
    seL4_Error error = seL4_CNode_Mint(seL4_CapInitThreadCNode, badged_fault_ep, seL4_WordBits, seL4_CapInitThreadCNode,
                                       fault_ep, seL4_WordBits, seL4_AllRights, FAULTER_BADGE_VALUE);
    ZF_LOGF_IF(error != 0, PROGNAME "Failed to mint ep cap with badge!");
    printf(PROGNAME "Successfully minted fault handling ep into local cspace.\n");

    /* On MCS the kernel resolves this CPtr now, in our CSpace, and keeps a copy of the cap
     * in the faulter's TCB: no copy into the faulter's CSpace is needed. */
    error = seL4_TCB_SetSpace(faulter_tcb, badged_fault_ep, faulter_cnode,
                              seL4_CNode_CapData_new(0, seL4_WordBits - FAULTER_CNODE_BITS).words[0],
                              seL4_CapInitThreadVSpace, 0);
    ZF_LOGF_IF(error != 0, PROGNAME "Failed to configure faulter's TCB with our fault ep!");
    printf(PROGNAME "Successfully registered badged fault handling ep with the kernel.\n"
           PROGNAME "About to wake the faulter thread.\n");

    /* Wake the faulter (MCS: reply through the reply object), then wait for its fault. */
    seL4_Send(handler_reply, seL4_MessageInfo_new(0, 0, 0, 0));
    seL4_MessageInfo_t info = seL4_Recv(fault_ep, &tmp_badge, handler_reply);

    /* The message of a cap fault names the slot whose lookup failed. */
    seL4_CPtr foreign_faulter_capfault_cap = seL4_GetMR(seL4_CapFault_Addr);
    printf(PROGNAME "Received fault IPC message from the kernel.\n");
    printf(PROGNAME "Fault label %lu (cap fault), badge 0x%lx, %s phase.\n",
           (unsigned long)seL4_MessageInfo_get_label(info), (unsigned long)tmp_badge,
           seL4_GetMR(seL4_CapFault_InRecvPhase) ? "receive" : "send");
    printf(PROGNAME "Fault occured at cap addr %lu within faulter's cspace.\n",
           (unsigned long)foreign_faulter_capfault_cap);

    /* Handle the fault by copying an endpoint cap into the empty slot: any endpoint will
     * do, as long as it can receive, since the faulter does an NBRecv on it. */
    error = seL4_CNode_Copy(faulter_cnode, foreign_faulter_capfault_cap, FAULTER_CNODE_BITS, seL4_CapInitThreadCNode,
                            sequencing_ep, seL4_WordBits, seL4_AllRights);
    ZF_LOGF_IF(error != 0, PROGNAME "Failed to copy a cap into faulter's cspace to resolve the fault!");
    printf(PROGNAME "Successfully copied a cap into foreign faulting slot.\n" PROGNAME
           "About to resume the faulter thread.\n");

    /* Replying to the fault restarts the faulter at its NBRecv. */
    seL4_Send(handler_reply, seL4_MessageInfo_new(0, 0, 0, 0));
    printf(PROGNAME "Successfully resumed faulter thread.\n" PROGNAME "Finished execution.\n");
    seL4_Word b;
    for (;;)
        seL4_Wait(park, &b); /* nothing more to do */
}

int main(void)
{
    cairn_alloc_init(&alloc, cairn_bootinfo());
    sequencing_ep = new_object(seL4_EndpointObject, 0);
    fault_ep = new_object(seL4_EndpointObject, 0);
    handler_reply = new_object(seL4_ReplyObject, 0);
    done = new_object(seL4_NotificationObject, 0);
    park = new_object(seL4_NotificationObject, 0);
    seL4_Error error = cairn_alloc_slot(&alloc, &badged_fault_ep);
    ZF_LOGF_IF(error, "Out of slots");

    /* The faulter's CSpace: the sequencing endpoint, a reply object and the done
     * notification; slots 2 and 3 empty. */
    faulter_cnode = new_object(seL4_CapTableObject, FAULTER_CNODE_BITS);
    seL4_CPtr faulter_reply = new_object(seL4_ReplyObject, 0);
    error = seL4_CNode_Copy(faulter_cnode, F_SEQUENCING_EP, FAULTER_CNODE_BITS, seL4_CapInitThreadCNode,
                            sequencing_ep, seL4_WordBits, seL4_AllRights);
    error |= seL4_CNode_Move(faulter_cnode, F_REPLY, FAULTER_CNODE_BITS, seL4_CapInitThreadCNode, faulter_reply,
                             seL4_WordBits);
    error |= seL4_CNode_Copy(faulter_cnode, F_DONE, FAULTER_CNODE_BITS, seL4_CapInitThreadCNode, done,
                             seL4_WordBits, seL4_AllRights);
    ZF_LOGF_IF(error, "Failed to fill the faulter's CSpace");

    /* The handler runs above the faulter. */
    seL4_CPtr handler_tcb = new_thread(0, "handler", 200, handler_main, seL4_CapInitThreadCNode, 0);
    faulter_tcb = new_thread(1, "faulter", 150, faulter_main, faulter_cnode, seL4_WordBits - FAULTER_CNODE_BITS);
    seL4_TCB_Resume(handler_tcb);
    seL4_TCB_Resume(faulter_tcb);

    /* Wait for the faulter to finish. */
    seL4_Word badge;
    seL4_Wait(done, &badge);
    printf("Root task: the faulter finished; done.\n");
    return 0;
}
