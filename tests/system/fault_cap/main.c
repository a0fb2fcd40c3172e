/*
 * Capability faults (abi §8, §10.9, §11): the root task is the fault handler of threads that
 * fail a capability lookup. Each fault message is checked word for word (label 1, the
 * handler cap's badge, IP = the `syscall` instruction, Addr, InRecvPhase, lookup failure
 * type and details); a reply restarts the thread, which faults again until the handler has
 * fixed its CSpace, and then goes on.
 *
 * seL4 raises a CapFault only when a lookup *fails* (invalid root, guard or depth mismatch)
 * or when the receive phase finds the wrong kind of cap: a Call on an empty slot is an
 * InvalidCapability error reply, a Send on it does nothing, and a non-blocking send never
 * faults.
 */
#include <stdio.h>
#include <sel4/sel4.h>
#include "../common/check.h"
#include "../common/thread.h"
#include "../common/fault_helpers.h"

#define SITE ((seL4_Word)raw_syscall_site)
#define BAD_CPTR (1ul << 20) /* root CNode: 16 bits under a 48-bit guard of 0 */
#define C1_GUARD 0x2a

static seL4_CPtr fep, freply, freply2, park_ntfn;

/* Where a faulter in the root task's CSpace ends: waiting for a signal that never comes
 * (returning from a thread's function would fault). */
static void park(void)
{
    seL4_Word b;
    for (;;)
        seL4_Wait(park_ntfn, &b);
}
static struct fault_msg m, m2;

static volatile seL4_Word f1_after, f2_info, f2_done, f4_badge, f4_done, f8_call_info, f8_done;

/* Own CSpace: Send on cptr (a guard mismatch until the handler changes the guard), then
 * Wait on the notification the handler put there. */
static void f1_send(seL4_Word cptr, seL4_Word unused)
{
    (void)unused;
    raw_syscall((seL4_Word)seL4_SysSend, cptr, 0, 0, NULL);
    f1_after = 1;
    raw_syscall((seL4_Word)seL4_SysWait, cptr, 0, 0, NULL);
}

/* Own CSpace: Call on cptr (depth mismatch, then a notification), then Wait on it. */
static void f2_call(seL4_Word cptr, seL4_Word unused)
{
    (void)unused;
    f2_info = raw_syscall((seL4_Word)seL4_SysCall, cptr, 0, 0, NULL);
    f2_done = 1;
    raw_syscall((seL4_Word)seL4_SysWait, cptr, 0, 0, NULL);
}

/* NBRecv on src with reply object reply; then signal done. */
static void f_nbrecv(seL4_Word src, seL4_Word reply)
{
    seL4_Word badge = 0x5555;
    raw_syscall((seL4_Word)seL4_SysNBRecv, src, 0, reply, &badge);
    f4_badge = badge;
    f4_done = 1;
    park();
}

/* Blocking Recv on src with reply object reply. */
static void f_recv(seL4_Word src, seL4_Word reply)
{
    raw_syscall((seL4_Word)seL4_SysRecv, src, 0, reply, NULL);
    park();
}

/* Call on a notification with one extra cap whose lookup fails (until the handler fixes
 * the cptr in our IPC buffer). */
static void f7_extra_cap(seL4_Word ntfn, seL4_Word unused)
{
    (void)unused;
    seL4_SetCap(0, BAD_CPTR);
    raw_syscall((seL4_Word)seL4_SysCall, ntfn, seL4_MessageInfo_new(0, 0, 1, 0).words[0], 0, NULL);
    seL4_Word b;
    seL4_Wait(ntfn, &b);
}

/* Things that do not fault: Call and Send on an empty slot, NBSend on a bad cptr. */
static void f8_no_faults(seL4_Word empty, seL4_Word done_ntfn)
{
    f8_call_info = raw_syscall((seL4_Word)seL4_SysCall, empty, seL4_MessageInfo_new(9, 0, 0, 0).words[0], 0, NULL);
    raw_syscall((seL4_Word)seL4_SysSend, empty, 0, 0, NULL);
    raw_syscall((seL4_Word)seL4_SysNBSend, BAD_CPTR, 0, 0, NULL);
    f8_done = 1;
    seL4_Signal(done_ntfn);
    seL4_Word b;
    seL4_Wait(done_ntfn, &b);
}

static seL4_CPtr new_ntfn_badged(seL4_CPtr *orig, seL4_Word badge)
{
    *orig = test_alloc_obj(seL4_NotificationObject, 0);
    return mint_badged(*orig, seL4_AllRights, badge);
}

static seL4_CPtr empty_slot(void)
{
    seL4_CPtr s = 0;
    cairn_alloc_slot(&test_alloc, &s);
    return s;
}

int main(void)
{
    test_init();
    fep = test_alloc_obj(seL4_EndpointObject, 0);
    freply = test_alloc_obj(seL4_ReplyObject, 0);
    freply2 = test_alloc_obj(seL4_ReplyObject, 0);
    park_ntfn = test_alloc_obj(seL4_NotificationObject, 0);
    seL4_Word badge;
    seL4_Error e;
    seL4_CPtr vspace = seL4_CapInitThreadVSpace;

    /* 1. Send with a guard mismatch at depth 64, in a thread's own CSpace: a 256-slot CNode
     * under a 56-bit guard of 0x2a. cptr 5 has guard bits 0. */
    seL4_CPtr c1 = test_alloc_obj(seL4_CapTableObject, 8);
    seL4_CPtr f1_ep = mint_badged(fep, seL4_AllRights, 0xf1);
    struct test_thread t1 = test_thread_new("f1-guard", 100, f1_send, 5, 0, false, false);
    e = seL4_TCB_SetSpace(t1.tcb, f1_ep, c1, seL4_CNode_CapData_new(C1_GUARD, 56).words[0], vspace, 0);
    e |= seL4_TCB_Resume(t1.tcb);
    CHECK("SetSpace installs a badged fault endpoint (Write, Grant) and a guarded CSpace", e == seL4_NoError);
    fault_recv(fep, freply, &m);
    CHECK("Send, guard mismatch at depth 64: CapFault [IP, 5, send phase, GuardMismatch, 64 bits left, guard 0x2a, "
          "56 guard bits], badge 0xf1",
          FAULT_IS(&m, seL4_Fault_CapFault, 0xf1, SITE, 5, 0, seL4_GuardMismatch, 64, C1_GUARD, 56));
    reply_to_fault(freply, 0, 0);
    fault_recv(fep, freply, &m);
    CHECK("a reply restarts the thread at the syscall: the same CapFault again",
          FAULT_IS(&m, seL4_Fault_CapFault, 0xf1, SITE, 5, 0, seL4_GuardMismatch, 64, C1_GUARD, 56));
    seL4_CPtr n1, n1b = new_ntfn_badged(&n1, 0x71);
    e = seL4_TCB_SetSpace(t1.tcb, f1_ep, c1, seL4_CNode_CapData_new(0, 56).words[0], vspace, 0);
    e |= seL4_CNode_Copy(c1, 5, 8, seL4_CapInitThreadCNode, n1b, 64, seL4_AllRights);
    reply_to_fault(freply, 0, 0);
    seL4_Wait(n1, &badge);
    CHECK("fixed (guard 0, a notification in slot 5), the reply lets the Send through: it signals badge 0x71",
          e == seL4_NoError && badge == 0x71);

    /* 2. Call with a depth mismatch: a 60-bit first level (guard 52 + radix 8) whose slot 3
     * holds an 8-bit CNode: 4 bits are left for 8. The handler cap has Write + GrantReply only. */
    seL4_CPtr c2 = test_alloc_obj(seL4_CapTableObject, 8), c3 = test_alloc_obj(seL4_CapTableObject, 8);
    e = seL4_CNode_Copy(c2, 3, 8, seL4_CapInitThreadCNode, c3, 64, seL4_AllRights);
    seL4_CPtr f2_ep = mint_badged(fep, seL4_CapRights_new(1, 0, 0, 1), 0xf2);
    struct test_thread t2 = test_thread_new("f2-depth", 100, f2_call, 0x31, 0, false, false);
    e |= seL4_TCB_SetSpace(t2.tcb, f2_ep, c2, seL4_CNode_CapData_new(0, 52).words[0], vspace, 0);
    e |= seL4_TCB_Resume(t2.tcb);
    fault_recv(fep, freply, &m);
    CHECK("Call, depth mismatch: CapFault [IP, 0x31, send phase, DepthMismatch, 4 bits left, 8 bits found], "
          "badge 0xf2 (handler cap Write + GrantReply)",
          e == seL4_NoError && FAULT_IS(&m, seL4_Fault_CapFault, 0xf2, SITE, 0x31, 0, seL4_DepthMismatch, 4, 8));
    seL4_CPtr n2, n2b = new_ntfn_badged(&n2, 0x72);
    e = seL4_CNode_Delete(c2, 3, 8);
    e |= seL4_CNode_Copy(c2, 3, 8, seL4_CapInitThreadCNode, n2b, 64, seL4_AllRights);
    reply_to_fault(freply, 0, 0);
    seL4_Wait(n2, &badge);
    CHECK("fixed (a notification instead of the CNode), the Call goes through: it signals badge 0x72",
          e == seL4_NoError && badge == 0x72);

    /* 3. Invalid root: the thread's CSpace root cap is revoked before it runs. */
    seL4_CPtr c4 = test_alloc_obj(seL4_CapTableObject, 4);
    seL4_CPtr f3_ep = mint_badged(fep, seL4_AllRights, 0xf3);
    struct test_thread t3 = test_thread_new("f3-noroot", 100, f2_call, 7, 0, false, false);
    e = seL4_TCB_SetSpace(t3.tcb, f3_ep, c4, seL4_CNode_CapData_new(0, 60).words[0], vspace, 0);
    e |= seL4_CNode_Revoke(seL4_CapInitThreadCNode, c4, 64); /* deletes the TCB's copy */
    e |= seL4_TCB_Resume(t3.tcb);
    fault_recv(fep, freply, &m);
    CHECK("Call with no CSpace root: CapFault [IP, 7, send phase, InvalidRoot] (length 4), badge 0xf3",
          e == seL4_NoError && FAULT_IS(&m, seL4_Fault_CapFault, 0xf3, SITE, 7, 0, seL4_InvalidRoot));
    seL4_CPtr n3, n3b = new_ntfn_badged(&n3, 0x73);
    e = seL4_TCB_SetSpace(t3.tcb, f3_ep, c4, seL4_CNode_CapData_new(0, 60).words[0], vspace, 0);
    e |= seL4_CNode_Copy(c4, 7, 4, seL4_CapInitThreadCNode, n3b, 64, seL4_AllRights);
    reply_to_fault(freply, 0, 0);
    seL4_Wait(n3, &badge);
    CHECK("fixed (SetSpace gives it a CSpace again), the Call goes through: it signals badge 0x73",
          e == seL4_NoError && badge == 0x73);

    /* 4. The tutorial's case: NBRecv on an empty slot; the handler copies an endpoint in. */
    seL4_CPtr e4 = empty_slot(), r4 = test_alloc_obj(seL4_ReplyObject, 0);
    seL4_CPtr f4_ep = mint_badged(fep, seL4_AllRights, 0xf4);
    faulter_new("f4-recv-empty", 100, f_nbrecv, e4, r4, f4_ep, true);
    fault_recv(fep, freply, &m);
    CHECK("NBRecv on an empty slot: CapFault [IP, slot, receive phase, MissingCapability, 0 bits left], badge 0xf4",
          FAULT_IS(&m, seL4_Fault_CapFault, 0xf4, SITE, e4, 1, seL4_MissingCapability, 0));
    seL4_CPtr x4 = test_alloc_obj(seL4_EndpointObject, 0);
    e = seL4_CNode_Copy(seL4_CapInitThreadCNode, e4, 64, seL4_CapInitThreadCNode, x4, 64, seL4_AllRights);
    reply_to_fault(freply, 0, 0);
    /* Let it run (it is below us) and look at what its NBRecv returned. */
    seL4_TCB_SetPriority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, 50);
    seL4_TCB_SetPriority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, 255);
    CHECK("fixed (an endpoint copied into the slot), the NBRecv goes through and returns badge 0",
          e == seL4_NoError && f4_done == 1 && f4_badge == 0);

    /* 5. Recv on a cap that is not an endpoint or notification (a TCB cap), by two threads:
     * the badges tell the handler which one faulted. */
    seL4_CPtr r5 = test_alloc_obj(seL4_ReplyObject, 0), r5b = test_alloc_obj(seL4_ReplyObject, 0);
    struct test_thread t5 = faulter_new("f5-recv-tcb", 100, f_recv, seL4_CapInitThreadTCB, r5,
                                        mint_badged(fep, seL4_AllRights, 0xf5), true);
    struct test_thread t5b = faulter_new("f5b-recv-tcb", 90, f_recv, seL4_CapInitThreadTCB, r5b,
                                         mint_badged(fep, seL4_AllRights, 0xf6), true);
    fault_recv(fep, freply, &m);
    fault_recv(fep, freply2, &m2);
    CHECK("Recv on a TCB cap: CapFault [IP, 1, receive phase, MissingCapability, 0 bits left], badge 0xf5",
          FAULT_IS(&m, seL4_Fault_CapFault, 0xf5, SITE, seL4_CapInitThreadTCB, 1, seL4_MissingCapability, 0));
    CHECK("a second thread's identical fault on the same endpoint carries its own badge 0xf6",
          FAULT_IS(&m2, seL4_Fault_CapFault, 0xf6, SITE, seL4_CapInitThreadTCB, 1, seL4_MissingCapability, 0));
    reply_to_fault(freply, 1, 0); /* a CapFault reply restarts whatever its label */
    fault_recv(fep, freply, &m);
    CHECK("a reply with label 1 still restarts a thread after a CapFault: it faults again",
          FAULT_IS(&m, seL4_Fault_CapFault, 0xf5, SITE, seL4_CapInitThreadTCB, 1, seL4_MissingCapability, 0));
    e = seL4_TCB_Suspend(t5.tcb);
    e |= seL4_TCB_Suspend(t5b.tcb);
    badge = 0x1234;
    seL4_NBRecv(fep, &badge, freply);
    CHECK("after Suspending both faulters no fault message is pending", e == seL4_NoError && badge == 0);

    /* 6. Recv on an endpoint with a reply cptr that names an empty slot; then with a reply
     * cptr whose lookup fails (the lookup failure is reported as it is). */
    seL4_CPtr e6 = empty_slot(), x6 = test_alloc_obj(seL4_EndpointObject, 0);
    faulter_new("f6-bad-reply", 100, f_nbrecv, x6, e6, mint_badged(fep, seL4_AllRights, 0xf7), true);
    fault_recv(fep, freply, &m);
    CHECK("NBRecv with an empty reply slot: CapFault [IP, reply cptr, receive phase, MissingCapability, 0], badge 0xf7",
          FAULT_IS(&m, seL4_Fault_CapFault, 0xf7, SITE, e6, 1, seL4_MissingCapability, 0));
    seL4_CPtr r6 = test_alloc_obj(seL4_ReplyObject, 0);
    e = seL4_CNode_Move(seL4_CapInitThreadCNode, e6, 64, seL4_CapInitThreadCNode, r6, 64);
    f4_done = 0;
    f4_badge = 0x5555;
    reply_to_fault(freply, 0, 0);
    seL4_TCB_SetPriority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, 50);
    seL4_TCB_SetPriority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, 255);
    CHECK("fixed (a reply object moved into the slot), the NBRecv goes through and returns badge 0",
          e == seL4_NoError && f4_done == 1 && f4_badge == 0);
    struct test_thread t6b = faulter_new("f6b-bad-reply", 100, f_recv, x6, BAD_CPTR,
                                         mint_badged(fep, seL4_AllRights, 0xf8), true);
    fault_recv(fep, freply, &m);
    CHECK("Recv with a reply cptr that fails lookup: CapFault [IP, cptr, receive phase, GuardMismatch, 64, 0, 48]",
          FAULT_IS(&m, seL4_Fault_CapFault, 0xf8, SITE, BAD_CPTR, 1, seL4_GuardMismatch, 64, 0, 48));
    seL4_TCB_Suspend(t6b.tcb);

    /* 7. A Call whose extra cap fails lookup: the fault names the extra cap's cptr. */
    seL4_CPtr n7, n7b = new_ntfn_badged(&n7, 0x77);
    struct test_thread t7 = faulter_new("f7-extra-cap", 100, f7_extra_cap, n7b, 0,
                                        mint_badged(fep, seL4_AllRights, 0xf9), true);
    fault_recv(fep, freply, &m);
    CHECK("Call with an extra cap that fails lookup: CapFault [IP, the extra cptr, send phase, GuardMismatch, 64, 0, 48]",
          FAULT_IS(&m, seL4_Fault_CapFault, 0xf9, SITE, BAD_CPTR, 0, seL4_GuardMismatch, 64, 0, 48));
    t7.ipc->caps_or_badges[0] = seL4_CapInitThreadTCB; /* fix the faulter's IPC buffer */
    reply_to_fault(freply, 0, 0);
    seL4_Wait(n7, &badge);
    CHECK("fixed (a valid extra cptr), the Call goes through: it signals badge 0x77", badge == 0x77);

    /* 8. No fault: Call and Send on an empty slot, NBSend with a failing lookup. */
    seL4_CPtr n8, n8b = new_ntfn_badged(&n8, 0x78);
    faulter_new("f8-no-fault", 100, f8_no_faults, empty_slot(), n8b, mint_badged(fep, seL4_AllRights, 0xfa), true);
    seL4_Wait(n8, &badge);
    seL4_MessageInfo_t info = { .words = { f8_call_info } };
    CHECK("a Call on an empty slot gets an InvalidCapability error reply, not a fault",
          badge == 0x78 && f8_done == 1 && seL4_MessageInfo_get_label(info) == seL4_InvalidCapability &&
              seL4_MessageInfo_get_length(info) == 1);
    badge = 0x1234;
    seL4_NBRecv(fep, &badge, freply);
    CHECK("Send on an empty slot and NBSend on a failing cptr raise no fault either", badge == 0);

    /* 9. Which caps can be fault handlers (abi §10.9). */
    struct test_thread t9 = test_thread_new("f9-not-started", 100, f_recv, 0, 0, false, false);
    e = seL4_TCB_SetSchedParams(t9.tcb, seL4_CapInitThreadTCB, 100, 100, t9.sc,
                                mint_badged(fep, seL4_CapRights_new(0, 0, 1, 1), 0xfb));
    CHECK("an endpoint cap without Grant or GrantReply is refused as fault handler (InvalidCapability)",
          e == seL4_InvalidCapability);
    e = seL4_TCB_SetSchedParams(t9.tcb, seL4_CapInitThreadTCB, 100, 100, t9.sc,
                                mint_badged(fep, seL4_CapRights_new(0, 1, 1, 0), 0xfc));
    CHECK("an endpoint cap without Write is refused as fault handler (InvalidCapability)", e == seL4_InvalidCapability);
    e = seL4_TCB_SetSchedParams(t9.tcb, seL4_CapInitThreadTCB, 100, 100, t9.sc, n8);
    CHECK("a notification cap is refused as fault handler (InvalidCapability)", e == seL4_InvalidCapability);

    /* Let every faulter run to its end, then look at what they saw. */
    seL4_TCB_SetPriority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, 50);
    seL4_TCB_SetPriority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, 255);
    info.words[0] = f2_info;
    CHECK("the threads went on after their syscalls (the Call on a notification returned label 0)",
          f1_after == 1 && f2_done == 1 && seL4_MessageInfo_get_label(info) == 0);
    (void)t2, (void)t3;
    return 0;
}
