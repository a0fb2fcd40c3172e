/*
 * Bound notifications (abi §5.3 BindNotification/UnbindNotification, §10.5): a signal wakes
 * the bound thread out of a Recv on an endpoint with the notification's badge, writing only
 * the badge register; a pending signal is taken by the next Recv at once; a bound thread
 * waiting on something else, or blocked on a reply, is not woken; other threads cannot Wait
 * on a bound notification; Unbind; every BindNotification refusal; deleting a bound
 * notification unbinds it.
 */
#include <stdio.h>
#include <sel4/sel4.h>
#include "../common/check.h"
#include "../common/ipc_helpers.h"
#include "../common/cnode_helpers.h"

static seL4_CPtr park_ntfn;
static seL4_CPtr ep, reply_b, go, srv_ep;

/* The bound thread: each step is one thing the root task asks for via `go`. */
enum { STEP_RECV = 1, STEP_REPLYRECV, STEP_CALL, STEP_WAIT_BOUND };
static volatile seL4_Word b_step, b_count, b_badge, b_label, b_len, b_mr0;
static seL4_CPtr b_bound;
static void bound_thread(seL4_Word a0, seL4_Word a1)
{
    (void)a0, (void)a1;
    for (;;) {
        seL4_Word step, badge = 0;
        seL4_Wait(go, &step);
        seL4_MessageInfo_t m = seL4_MessageInfo_new(0, 0, 0, 0);
        switch (step) {
        case STEP_RECV:
            m = seL4_Recv(ep, &badge, reply_b);
            break;
        case STEP_REPLYRECV: /* nobody to reply to; sends label 0x5a, MR0 0x1234 into the Recv */
            seL4_SetMR(0, 0x1234);
            m = seL4_ReplyRecv(ep, seL4_MessageInfo_new(0x5a, 0, 0, 1), &badge, reply_b);
            break;
        case STEP_CALL:
            seL4_SetMR(0, 0xca);
            m = seL4_Call(srv_ep, seL4_MessageInfo_new(0x6c, 0, 0, 1));
            break;
        case STEP_WAIT_BOUND:
            m = seL4_Wait(b_bound, &badge);
            break;
        }
        b_badge = badge;
        b_label = seL4_MessageInfo_get_label(m);
        b_len = seL4_MessageInfo_get_length(m);
        b_mr0 = seL4_GetMR(0);
        b_count++;
    }
}

static seL4_CPtr go_step[STEP_WAIT_BOUND + 1];
/* Ask the bound thread for a step and let it run until it blocks. */
static void step(seL4_Word s)
{
    seL4_Signal(go_step[s]);
    let_others_run();
}

static volatile seL4_Word other_badge;
static void other_waiter(seL4_Word ntfn, seL4_Word a1)
{
    (void)a1;
    seL4_Word badge;
    seL4_Wait(ntfn, &badge);
    other_badge = badge;
    park(park_ntfn);
}

int main(void)
{
    test_init();
    park_ntfn = test_alloc_obj(seL4_NotificationObject, 0);
    ep = test_alloc_obj(seL4_EndpointObject, 0);
    srv_ep = test_alloc_obj(seL4_EndpointObject, 0);
    reply_b = test_alloc_obj(seL4_ReplyObject, 0);
    go = test_alloc_obj(seL4_NotificationObject, 0);
    for (seL4_Word s = 1; s <= STEP_WAIT_BOUND; s++)
        go_step[s] = mint_cap(go, seL4_AllRights, s);
    seL4_CPtr n = test_alloc_obj(seL4_NotificationObject, 0);
    b_bound = n;
    seL4_CPtr n40 = mint_cap(n, seL4_AllRights, 0x40), n100 = mint_cap(n, seL4_AllRights, 0x100);
    seL4_CPtr n200 = mint_cap(n, seL4_AllRights, 0x200);
    struct test_thread b = test_thread_new("bound-thread", 100, bound_thread, 0, 0, false, true);
    let_others_run();
    seL4_Word badge;

    seL4_Error e = seL4_TCB_BindNotification(b.tcb, n);
    step(STEP_RECV);
    seL4_Word count = b_count;
    seL4_Signal(n40);
    let_others_run();
    CHECK("a signal wakes the bound thread out of its Recv on an endpoint, with the badge (0x40)",
          e == seL4_NoError && b_count == count + 1 && b_badge == 0x40);

    step(STEP_REPLYRECV);
    seL4_Signal(n100);
    let_others_run();
    CHECK("only the badge register is written: the MessageInfo and MRs are what the thread sent",
          b_badge == 0x100 && b_label == 0x5a && b_len == 1 && b_mr0 == 0x1234);

    step(STEP_RECV);
    seL4_SetMR(0, 0x99);
    seL4_Send(mint_cap(ep, seL4_AllRights, 0x77), seL4_MessageInfo_new(0x33, 0, 0, 1));
    let_others_run();
    CHECK("the endpoint still works for it: a Send arrives with the endpoint cap's badge",
          b_badge == 0x77 && b_label == 0x33 && b_mr0 == 0x99);

    /* Not in a Recv on an endpoint: the signals accumulate instead. */
    seL4_Signal(n100);
    seL4_Signal(n200);
    count = b_count;
    step(STEP_RECV);
    CHECK("a bound thread waiting on another notification is not woken; its next Recv takes 0x300 at once",
          b_count == count + 1 && b_badge == 0x300);

    step(STEP_CALL); /* blocked on the reply of a Call to srv_ep */
    seL4_CPtr srv_reply = test_alloc_obj(seL4_ReplyObject, 0);
    seL4_MessageInfo_t m = seL4_Recv(srv_ep, &badge, srv_reply);
    count = b_count;
    seL4_Signal(n40);
    let_others_run();
    bool not_woken = b_count == count && seL4_MessageInfo_get_label(m) == 0x6c;
    seL4_SetMR(0, 0xabc);
    seL4_Send(srv_reply, seL4_MessageInfo_new(0x6d, 0, 0, 1));
    let_others_run();
    bool got_reply = b_count == count + 1 && b_label == 0x6d && b_mr0 == 0xabc;
    step(STEP_RECV);
    CHECK("blocked on a reply it is not woken: it gets its reply, and the next Recv takes the signal",
          not_woken && got_reply && b_count == count + 2 && b_badge == 0x40);

    step(STEP_WAIT_BOUND);
    seL4_Signal(n200);
    let_others_run();
    CHECK("the bound thread may also Wait on its notification directly", b_badge == 0x200);

    /* Another thread cannot wait on it. */
    seL4_CPtr fault_ep = test_alloc_obj(seL4_EndpointObject, 0);
    struct test_thread o = test_thread_new("other-waiter", 90, other_waiter, n, 0, false, false);
    thread_set_fault_handler(&o, 90, mint_cap(fault_ep, seL4_AllRights, 0xd0));
    seL4_TCB_Resume(o.tcb);
    m = seL4_Recv(fault_ep, &badge, test_alloc_obj(seL4_ReplyObject, 0));
    seL4_Word mr[5];
    get_mrs(mr, 5);
    CHECK("another thread's Wait on a bound notification: CapFault, receive phase, MissingCapability(0)",
          badge == 0xd0 && seL4_MessageInfo_get_label(m) == seL4_Fault_CapFault && mr[1] == n && mr[2] == 1 &&
              mr[3] == seL4_MissingCapability && mr[4] == 0);

    /* BindNotification refusals (IllegalOperation, no detail) and Truncated without a cap. */
    struct test_thread c = test_thread_new("unbound-thread", 80, bound_thread, 0, 0, false, true);
    let_others_run(); /* it waits on `go`: a notification with a waiter */
    seL4_CPtr n2 = test_alloc_obj(seL4_NotificationObject, 0);
    bool refusals = seL4_TCB_BindNotification(b.tcb, n2) == seL4_IllegalOperation && /* already bound */
                    seL4_TCB_BindNotification(c.tcb, n) == seL4_IllegalOperation &&  /* n bound to b */
                    seL4_TCB_BindNotification(c.tcb, ep) == seL4_IllegalOperation && /* not a notification */
                    seL4_TCB_BindNotification(c.tcb, mint_cap(n2, seL4_CanWrite, 0)) == seL4_IllegalOperation &&
                    seL4_TCB_BindNotification(c.tcb, go) == seL4_IllegalOperation; /* has waiters */
    CHECK("BindNotification refused: TCB already bound, notification bound, not a notification, no Read, waiters",
          refusals);
    m = call_raw(c.tcb, TCBBindNotification, 0, 0, NULL, NULL);
    CHECK("BindNotification without a cap: TruncatedMessage", reply_is(m, seL4_TruncatedMessage, 0));
    CHECK("UnbindNotification of a thread with none: IllegalOperation",
          seL4_TCB_UnbindNotification(c.tcb) == seL4_IllegalOperation);

    /* Unbind: signals no longer reach the Recv. */
    step(STEP_RECV);
    count = b_count;
    e = seL4_TCB_UnbindNotification(b.tcb);
    seL4_Signal(n40);
    let_others_run();
    seL4_Poll(n, &badge);
    bool unbound = e == seL4_NoError && b_count == count && badge == 0x40;
    seL4_Send(ep, seL4_MessageInfo_new(0x34, 0, 0, 0));
    let_others_run();
    CHECK("after Unbind a signal leaves the Recv alone (Poll gets it); the endpoint message arrives",
          unbound && b_count == count + 1 && b_label == 0x34 && b_badge == 0);
    CHECK("a second Unbind: IllegalOperation; binding a read-capable notification again works",
          seL4_TCB_UnbindNotification(b.tcb) == seL4_IllegalOperation &&
              seL4_TCB_BindNotification(b.tcb, mint_cap(n2, seL4_CanRead, 0)) == seL4_NoError);

    /* Deleting the bound notification unbinds it (and leaves the Recv alone). */
    step(STEP_RECV);
    count = b_count;
    seL4_CNode_Revoke(seL4_CapInitThreadCNode, n2, 64);
    e = seL4_CNode_Delete(seL4_CapInitThreadCNode, n2, 64);
    let_others_run();
    bool still_blocked = b_count == count;
    seL4_Error e2 = seL4_TCB_BindNotification(b.tcb, test_alloc_obj(seL4_NotificationObject, 0));
    seL4_Send(ep, seL4_MessageInfo_new(0x35, 0, 0, 0));
    let_others_run();
    CHECK("deleting a bound notification unbinds it; the thread's Recv goes on",
          e == seL4_NoError && still_blocked && e2 == seL4_NoError && b_count == count + 1 && b_label == 0x35);
    return 0;
}
