/*
 * Notifications (abi §10.5, §10.6, §14.2): Poll/NBWait/Wait/Recv on a notification, badges
 * OR-ed while it is active, an unbadged signal that still activates it, a Wait that blocks
 * until another thread signals, waiters woken in priority order (FIFO among equals), Call on
 * a notification, read-only and write-only notification caps, and the deletion of a
 * notification with waiters, which restarts their Wait.
 */
#include <stdio.h>
#include <sel4/sel4.h>
#include "../common/check.h"
#include "../common/ipc_helpers.h"

static seL4_CPtr park_ntfn;

/* A priority-1 watchdog: armed with a target cap (the badge of the arm signal), it signals
 * that target as soon as it runs, which is when the root task blocks: a Wait that should
 * have returned at once but blocked ends with the alarm badge instead of hanging. */
static seL4_CPtr wd_arm;
static void watchdog(seL4_Word arm, seL4_Word a1)
{
    (void)a1;
    for (;;) {
        seL4_Word target;
        seL4_Wait(arm, &target);
        seL4_Signal(target);
    }
}

/* Wait on ntfn, which must not block: a wrong block ends with the alarm badge 0x8000. */
static seL4_Word wait_must_not_block(seL4_CPtr ntfn)
{
    seL4_CPtr alarm = mint_cap(ntfn, seL4_AllRights, 0x8000);
    seL4_Signal(mint_cap(wd_arm, seL4_AllRights, alarm));
    seL4_Word badge = 0xdead, unused;
    seL4_Wait(ntfn, &badge);
    let_others_run();           /* the armed watchdog fires now if it has not yet ... */
    seL4_Poll(ntfn, &unused);   /* ... and its alarm is cleared */
    return badge;
}

static void signaller(seL4_Word cap, seL4_Word a1)
{
    (void)a1;
    seL4_Signal(cap);
    park(park_ntfn);
}

static volatile seL4_Word ticket, my_ticket[8], got_by[8];
static void waiter(seL4_Word ntfn, seL4_Word id)
{
    my_ticket[id] = ++ticket;
    seL4_Word badge;
    seL4_Wait(ntfn, &badge);
    got_by[id] = badge;
    park(park_ntfn);
}

static void test_signal_wait_poll(void)
{
    seL4_CPtr n = test_alloc_obj(seL4_NotificationObject, 0);
    seL4_Word badge = 0x5555;
    seL4_Poll(n, &badge);
    CHECK("Poll on an idle notification: badge 0", badge == 0);
    seL4_Signal(mint_cap(n, seL4_AllRights, 0x1));
    seL4_Poll(n, &badge);
    seL4_Word second = 0x5555;
    seL4_Poll(n, &second);
    CHECK("Signal then Poll: the badge (0x1); a second Poll: 0", badge == 0x1 && second == 0);

    const seL4_Word bits[4] = { 0x1, 0x4, 0x10, 0x4 };
    for (int i = 0; i < 4; i++)
        seL4_Signal(mint_cap(n, seL4_AllRights, bits[i]));
    CHECK("signals while active are OR-ed: Wait returns 0x15 at once", wait_must_not_block(n) == 0x15);

    seL4_Signal(n); /* unbadged */
    CHECK("an unbadged signal still activates it: Wait returns at once with badge 0", wait_must_not_block(n) == 0);

    seL4_Signal(mint_cap(n, seL4_AllRights, 0x30));
    badge = 0x5555;
    seL4_NBWait(n, &badge);
    seL4_Word nothing = 0x5555;
    seL4_NBWait(n, &nothing);
    CHECK("NBWait: the pending badge, then 0", badge == 0x30 && nothing == 0);

    seL4_Signal(mint_cap(n, seL4_AllRights, 0x31));
    seL4_Recv(n, &badge, 0);
    CHECK("seL4_Recv on a notification needs no reply cap: badge 0x31", badge == 0x31);

    test_thread_new("late-signaller", 100, signaller, mint_cap(n, seL4_AllRights, 0x20), 0, false, true);
    seL4_Wait(n, &badge);
    CHECK("Wait on an idle notification blocks until another thread signals (badge 0x20)", badge == 0x20);
}

static void test_waiter_order(void)
{
    seL4_CPtr n = test_alloc_obj(seL4_NotificationObject, 0);
    static const int prio[5] = { 30, 90, 30, 60, 90 };
    for (int i = 0; i < 5; i++) {
        char name[32];
        snprintf(name, sizeof(name), "ntfn-waiter-%d-prio-%d", i, prio[i]);
        test_thread_new(name, prio[i], waiter, n, i, false, true);
    }
    let_others_run();
    int order[5];
    for (int i = 0; i < 5; i++)
        order[i] = i;
    for (int i = 1; i < 5; i++) /* by priority, then by ticket */
        for (int j = i; j > 0; j--) {
            int a = order[j - 1], b = order[j];
            if (!(prio[b] > prio[a] || (prio[b] == prio[a] && my_ticket[b] < my_ticket[a])))
                break;
            order[j - 1] = b;
            order[j] = a;
        }
    for (int k = 0; k < 5; k++)
        seL4_Signal(mint_cap(n, seL4_AllRights, 1ul << k));
    let_others_run();
    bool ok = true;
    for (int k = 0; k < 5; k++)
        ok &= got_by[order[k]] == 1ul << k;
    CHECK("waiters are woken one per signal, by priority then FIFO, each with its signal's badge", ok);
    seL4_Signal(mint_cap(n, seL4_AllRights, 0x40));
    seL4_Word badge;
    seL4_Poll(n, &badge);
    CHECK("with no waiter left the next signal makes it active", badge == 0x40);
}

static void test_call_and_rights(void)
{
    seL4_CPtr n = test_alloc_obj(seL4_NotificationObject, 0);
    seL4_SetMR(0, 0x12);
    seL4_SetMR(1, 0x34);
    seL4_MessageInfo_t r = seL4_Call(mint_cap(n, seL4_AllRights, 0x40), seL4_MessageInfo_new(0x77, 0, 0, 2));
    seL4_Word badge;
    seL4_Poll(n, &badge);
    CHECK("Call on a notification signals it and returns label 0, length 0",
          r.words[0] == seL4_MessageInfo_new(0, 0, 0, 0).words[0] && badge == 0x40);

    seL4_CPtr ro = mint_cap(n, seL4_CanRead, 0x2);
    seL4_Signal(ro);
    seL4_Poll(n, &badge);
    r = seL4_Call(ro, seL4_MessageInfo_new(0, 0, 0, 0));
    CHECK("a read-only notification cap: Signal is dropped, Call gives InvalidCapability(0)",
          badge == 0 && seL4_MessageInfo_get_label(r) == seL4_InvalidCapability &&
              seL4_MessageInfo_get_length(r) == 1 && seL4_GetMR(0) == 0);
}

/* Waiters that fault: on a write-only cap, or after their notification was deleted. */
static volatile seL4_Word fw_badge[3];
static void faulting_waiter(seL4_Word cap, seL4_Word id)
{
    seL4_Word badge;
    seL4_Wait(cap, &badge);
    fw_badge[id] = badge;
    park(park_ntfn);
}

static void test_faults_and_deletion(void)
{
    seL4_CPtr fault_ep = test_alloc_obj(seL4_EndpointObject, 0);
    seL4_CPtr n = test_alloc_obj(seL4_NotificationObject, 0);
    seL4_Word mr[5], badge;

    seL4_CPtr wo = mint_cap(n, seL4_CanWrite, 0);
    struct test_thread t0 = test_thread_new("wait-write-only", 100, faulting_waiter, wo, 0, false, false);
    thread_set_fault_handler(&t0, 100, mint_cap(fault_ep, seL4_AllRights, 0xe0));
    seL4_TCB_Resume(t0.tcb);
    seL4_MessageInfo_t m = seL4_Recv(fault_ep, &badge, test_alloc_obj(seL4_ReplyObject, 0));
    get_mrs(mr, 5);
    CHECK("Wait on a notification cap without Read: CapFault, receive phase, MissingCapability(0)",
          badge == 0xe0 && seL4_MessageInfo_get_label(m) == seL4_Fault_CapFault &&
              seL4_MessageInfo_get_length(m) == 5 && is_syscall_insn(mr[0]) && mr[1] == wo && mr[2] == 1 &&
              mr[3] == seL4_MissingCapability && mr[4] == 0);

    /* Two waiters on a notification whose only cap is deleted: both re-execute their Wait.
     * One finds the slot empty (cap fault); for the other the slot holds another
     * notification by then, which it waits on. */
    seL4_CPtr n1 = test_alloc_obj(seL4_NotificationObject, 0), n2 = test_alloc_obj(seL4_NotificationObject, 0);
    seL4_CPtr n1b;
    cairn_alloc_slot(&test_alloc, &n1b);
    seL4_CNode_Copy(seL4_CapInitThreadCNode, n1b, 64, seL4_CapInitThreadCNode, n1, 64, seL4_AllRights);
    struct test_thread t1 = test_thread_new("deleted-ntfn-waiter-1", 100, faulting_waiter, n1, 1, false, false);
    thread_set_fault_handler(&t1, 100, mint_cap(fault_ep, seL4_AllRights, 0xe1));
    seL4_TCB_Resume(t1.tcb);
    struct test_thread t2 = test_thread_new("deleted-ntfn-waiter-2", 90, faulting_waiter, n1b, 2, false, false);
    thread_set_fault_handler(&t2, 90, mint_cap(fault_ep, seL4_AllRights, 0xe2));
    seL4_TCB_Resume(t2.tcb);
    let_others_run();
    seL4_CNode_Delete(seL4_CapInitThreadCNode, n1b, 64);
    seL4_Error e = seL4_CNode_Delete(seL4_CapInitThreadCNode, n1, 64); /* the last cap: n1 is destroyed */
    seL4_CNode_Mint(seL4_CapInitThreadCNode, n1b, 64, seL4_CapInitThreadCNode, n2, 64, seL4_AllRights, 0);
    m = seL4_Recv(fault_ep, &badge, test_alloc_obj(seL4_ReplyObject, 0));
    get_mrs(mr, 5);
    CHECK("deleting a notification restarts its waiters: the Wait on the empty slot is a receive-phase CapFault",
          e == seL4_NoError && badge == 0xe1 && seL4_MessageInfo_get_label(m) == seL4_Fault_CapFault &&
              mr[1] == n1 && mr[2] == 1 && mr[3] == seL4_MissingCapability);
    seL4_Signal(mint_cap(n2, seL4_AllRights, 0x22));
    let_others_run();
    CHECK("... the other waiter's restarted Wait uses what its slot names now", fw_badge[2] == 0x22);
}

int main(void)
{
    test_init();
    park_ntfn = test_alloc_obj(seL4_NotificationObject, 0);
    wd_arm = test_alloc_obj(seL4_NotificationObject, 0);
    test_thread_new("watchdog", 1, watchdog, wd_arm, 0, false, true);
    test_signal_wait_poll();
    test_waiter_order();
    test_call_and_rights();
    test_faults_and_deletion();
    return 0;
}
