/*
 * The seL4 "fault-handlers" tutorial, completed, for the MCS kernel, with both threads
 * (made with sel4utils) in the root task's address space:
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
#include <sel4platsupport/bootinfo.h>
#include <simple/simple.h>
#include <simple-default/simple-default.h>
#include <vka/object.h>
#include <allocman/allocman.h>
#include <allocman/bootstrap.h>
#include <allocman/vka.h>
#include <vspace/vspace.h>
#include <sel4utils/vspace.h>
#include <sel4utils/thread.h>
#include <sel4utils/api.h>
#include <utils/util.h>

#define FAULTER_BADGE_VALUE 0xBEEF
#define FAULTER_CNODE_BITS 4
/* The faulter's CSpace. */
#define F_SEQUENCING_EP 1
#define F_EMPTY_FOR_HANDLER 2
#define F_EMPTY_TO_TOUCH 3
#define F_REPLY 4
#define F_DONE 5

static seL4_CPtr sequencing_ep, fault_ep, handler_reply, badged_fault_ep, faulter_tcb, faulter_cnode, done, park;

/* ---- libraries, objects and threads ---- */
#define ALLOCATOR_STATIC_POOL_SIZE (BIT(seL4_PageBits) * 10)
static char allocator_mem_pool[ALLOCATOR_STATIC_POOL_SIZE];
static simple_t simple;
static vka_t vka;
static vspace_t vspace;
static sel4utils_alloc_data_t vspace_data;

static seL4_CPtr new_object(seL4_Word type, seL4_Word size_bits)
{
    seL4_CPtr cap = vka_alloc_object_leaky(&vka, type, size_bits);
    ZF_LOGF_IF(cap == seL4_CapNull, "Failed to allocate an object of type %lu", (unsigned long)type);
    return cap;
}

/* A thread at prio running fn() in our address space, with the CSpace given in `config`:
 * sel4utils gives it a stack, an IPC buffer, TLS and a 5 ms round-robin scheduling context.
 * The thread starts running at once (as soon as we block or drop below it). */
static seL4_CPtr start_thread(const char *name, int prio, sel4utils_thread_entry_fn fn,
                              sel4utils_thread_config_t config)
{
    config = thread_config_priority(config, prio);
    config.sched_params = sched_params_round_robin(config.sched_params, &simple, 0, 5000);
    sel4utils_thread_t thread;
    int error = sel4utils_configure_thread_config(&vka, &vspace, &vspace, config, &thread);
    ZF_LOGF_IF(error, "Failed to configure the %s", name);
    NAME_THREAD(thread.tcb.cptr, name);
    error = sel4utils_start_thread(&thread, fn, NULL, NULL, 1);
    ZF_LOGF_IF(error, "Failed to start the %s", name);
    return thread.tcb.cptr;
}

/* ---- the faulter (its cptrs name slots of its own CNode) ---- */
#undef PROGNAME
#define PROGNAME "Faulter: "

static void touch(seL4_CPtr slot)
{
    seL4_Word unused_badge;
    seL4_NBRecv(slot, &unused_badge, F_REPLY);
}

static void faulter_main(void *unused0, void *unused1, void *ipc_buffer)
{
    (void)unused0, (void)unused1, (void)ipc_buffer;
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

static void handler_main(void *unused0, void *unused1, void *ipc_buffer)
{
    (void)unused0, (void)unused1, (void)ipc_buffer;
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
                              api_make_guard_skip_word(seL4_WordBits - FAULTER_CNODE_BITS), seL4_CapInitThreadVSpace, 0);
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
    seL4_BootInfo *info = platsupport_get_bootinfo();
    simple_default_init_bootinfo(&simple, info);
    allocman_t *allocman = bootstrap_use_current_simple(&simple, ALLOCATOR_STATIC_POOL_SIZE, allocator_mem_pool);
    ZF_LOGF_IF(allocman == NULL, "Failed to create the allocator");
    allocman_make_vka(&vka, allocman);
    int error = sel4utils_bootstrap_vspace_with_bootinfo_leaky(&vspace, &vspace_data, simple_get_pd(&simple), &vka,
                                                               info);
    ZF_LOGF_IF(error, "Failed to bootstrap the vspace manager");

    sequencing_ep = new_object(seL4_EndpointObject, 0);
    fault_ep = new_object(seL4_EndpointObject, 0);
    handler_reply = new_object(seL4_ReplyObject, 0);
    done = new_object(seL4_NotificationObject, 0);
    park = new_object(seL4_NotificationObject, 0);
    error = vka_cspace_alloc(&vka, &badged_fault_ep);
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

    /* The handler runs above the faulter, in our CSpace; the faulter in its own. */
    start_thread("handler", 200, handler_main, thread_config_new(&simple));
    faulter_tcb = start_thread("faulter", 150, faulter_main,
                               thread_config_cspace(thread_config_new(&simple), faulter_cnode,
                                                    api_make_guard_skip_word(seL4_WordBits - FAULTER_CNODE_BITS)));

    /* Wait for the faulter to finish. */
    seL4_Word badge;
    seL4_Wait(done, &badge);
    printf("Root task: the faulter finished; done.\n");
    return 0;
}
