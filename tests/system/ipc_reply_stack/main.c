/*
 * Reply objects and the call stack of a donated scheduling context (abi §10.5): where the
 * SC is after a reply object stops linking a caller other than by a reply.
 *  - Reusing the reply object of an un-replied caller cancels that caller (Inactive); the
 *    SC it donated stays with the server (seL4 cuts the stack there, nothing is returned).
 *  - Deleting a reply object in the middle of a call chain cuts the chain: the reply that
 *    pops the top returns the SC one level down, and the caller below the cut gets its
 *    reply without its SC.
 *  - A timeout fault that a passive handler takes from the endpoint queue donates nothing.
 * The SC's whereabouts are read with SchedContext_UnbindObject, which succeeds only for the
 * thread the SC is bound to.
 */
#include <stdio.h>
#include <sel4/sel4.h>
#include "../common/check.h"
#include "../common/ipc_helpers.h"

static seL4_CPtr park_ntfn;

/* Make a thread passive once it has reached its first receive. */
static seL4_Error make_passive(struct test_thread *t)
{
    let_others_run();
    return seL4_SchedContext_UnbindObject(t->sc, t->tcb);
}

/* ---- reply object reused by a passive server ---- */
static volatile int p_stage, c_done;
static void reusing_server(seL4_Word ep, seL4_Word reply)
{
    seL4_Word badge;
    seL4_Recv(ep, &badge, reply);
    p_stage = 1;
    seL4_Recv(ep, &badge, reply); /* the first caller is still linked to the reply object */
    p_stage = 2;
    park(park_ntfn);
}

static void client(seL4_Word ep, seL4_Word a1)
{
    (void)a1;
    seL4_Call(ep, seL4_MessageInfo_new(1, 0, 0, 0));
    c_done = 1;
    park(park_ntfn);
}

static void test_reuse_keeps_sc(void)
{
    seL4_CPtr ep = test_alloc_obj(seL4_EndpointObject, 0), reply = test_alloc_obj(seL4_ReplyObject, 0);
    struct test_thread p = test_thread_new("reusing-server", 150, reusing_server, ep, reply, false, true);
    seL4_Error e = make_passive(&p);
    struct test_thread c = test_thread_new("donating-client", 100, client, ep, 0, false, true);
    printf("A passive server reuses its reply object:\n");
    let_others_run();
    CHECK("the passive server ran on the client's SC, then reused its reply object: the client never resumes",
          e == seL4_NoError && p_stage == 1 && c_done == 0);
    CHECK("the donated SC stays with the server (bound to it), not returned to the cancelled client",
          seL4_SchedContext_UnbindObject(c.sc, p.tcb) == seL4_NoError);
}

/* ---- a reply object deleted in the middle of a call chain ---- */
/* A calls P1 calls P2 calls P3; P1..P3 are passive and run on A's SC. */
static seL4_CPtr ep1, ep2, ep3, r1, r2, r3, ready3, hold3, done2;
static volatile int p2_replied;
static void chain_p1(seL4_Word a0, seL4_Word a1)
{
    (void)a0, (void)a1;
    seL4_Word badge;
    seL4_Recv(ep1, &badge, r1);
    seL4_Call(ep2, seL4_MessageInfo_new(2, 0, 0, 0)); /* its reply object r2 gets deleted */
    park(park_ntfn);
}

static void chain_p2(seL4_Word a0, seL4_Word a1)
{
    (void)a0, (void)a1;
    seL4_Word badge;
    seL4_Recv(ep2, &badge, r2);
    seL4_Call(ep3, seL4_MessageInfo_new(3, 0, 0, 0));
    p2_replied = 1;
    seL4_Signal(done2);
    park(park_ntfn); /* keeps whatever SC it has */
}

static void chain_p3(seL4_Word a0, seL4_Word a1)
{
    (void)a0, (void)a1;
    seL4_Word badge;
    seL4_Recv(ep3, &badge, r3);
    seL4_Signal(ready3);
    seL4_Wait(hold3, NULL);
    seL4_ReplyRecv(ep3, seL4_MessageInfo_new(0, 0, 0, 0), &badge, r3);
    park(park_ntfn);
}

static void test_middle_cut(void)
{
    ep1 = test_alloc_obj(seL4_EndpointObject, 0);
    ep2 = test_alloc_obj(seL4_EndpointObject, 0);
    ep3 = test_alloc_obj(seL4_EndpointObject, 0);
    r1 = test_alloc_obj(seL4_ReplyObject, 0);
    r2 = test_alloc_obj(seL4_ReplyObject, 0);
    r3 = test_alloc_obj(seL4_ReplyObject, 0);
    ready3 = test_alloc_obj(seL4_NotificationObject, 0);
    hold3 = test_alloc_obj(seL4_NotificationObject, 0);
    done2 = test_alloc_obj(seL4_NotificationObject, 0);
    struct test_thread p1 = test_thread_new("chain-p1", 110, chain_p1, 0, 0, false, true);
    struct test_thread p2 = test_thread_new("chain-p2", 120, chain_p2, 0, 0, false, true);
    struct test_thread p3 = test_thread_new("chain-p3", 130, chain_p3, 0, 0, false, true);
    seL4_Error e = make_passive(&p1);
    e |= seL4_SchedContext_UnbindObject(p2.sc, p2.tcb);
    e |= seL4_SchedContext_UnbindObject(p3.sc, p3.tcb);
    struct test_thread a = test_thread_new("chain-a", 100, client, ep1, 0, false, true);
    seL4_Wait(ready3, NULL); /* A -> P1 -> P2 -> P3, all on A's SC */
    bool on_p3 = seL4_SchedContext_UnbindObject(a.sc, p2.tcb) == seL4_IllegalOperation;

    /* Delete r2: P1 (its caller) becomes Inactive and the stack is cut at r2. */
    seL4_Error ed = seL4_CNode_Delete(seL4_CapInitThreadCNode, r2, 64);
    seL4_Signal(hold3);
    seL4_Wait(done2, NULL); /* P3 replies to P2: the top pops, the SC goes down to P2 */
    CHECK("chain A->P1->P2->P3 on A's SC; r2 (P1's reply object) deleted; P3's reply reaches P2 on that SC",
          e == seL4_NoError && on_p3 && ed == seL4_NoError && p2_replied == 1);

    /* Reply to A through r1: below the cut, r1 is not the top of the SC's stack any more. */
    seL4_Send(r1, seL4_MessageInfo_new(0, 0, 0, 0));
    let_others_run();
    CHECK("a reply through r1 (below the cut) gives A its reply but not its SC: A cannot run", c_done == 0);
    e = seL4_SchedContext_UnbindObject(a.sc, p2.tcb);
    CHECK("A's SC stayed with P2", e == seL4_NoError);
    if (e == seL4_NoError)
        seL4_SchedContext_Bind(a.sc, a.tcb);
    let_others_run();
    CHECK("with its SC bound again, A returns from its Call", c_done == 1);
}

/* ---- a timeout fault taken from the endpoint queue by a passive handler ---- */
static seL4_CPtr ep_t, r_h, hold_h;
static volatile int y_done;
static void timeout_handler(seL4_Word a0, seL4_Word a1)
{
    (void)a0, (void)a1;
    seL4_Word badge;
    seL4_Recv(ep_t, &badge, r_h);  /* a plain request, running on the caller's SC */
    seL4_Wait(hold_h, NULL);        /* meanwhile a timeout fault queues up on ep_t */
    seL4_ReplyRecv(ep_t, seL4_MessageInfo_new(0, 0, 0, 0), &badge, r_h);
    park(park_ntfn);
}

static void requester(seL4_Word a0, seL4_Word a1)
{
    (void)a0, (void)a1;
    seL4_Call(ep_t, seL4_MessageInfo_new(1, 0, 0, 0));
    y_done = 1;
    park(park_ntfn);
}

static volatile seL4_Word spins;
static void spinner(seL4_Word a0, seL4_Word a1)
{
    (void)a0, (void)a1;
    for (;;)
        spins++;
}

static void test_timeout_no_donation(void)
{
    ep_t = test_alloc_obj(seL4_EndpointObject, 0);
    r_h = test_alloc_obj(seL4_ReplyObject, 0);
    hold_h = test_alloc_obj(seL4_NotificationObject, 0);
    struct test_thread h = test_thread_new("timeout-handler", 150, timeout_handler, 0, 0, false, true);
    seL4_Error e = make_passive(&h);
    test_thread_new("requester", 90, requester, 0, 0, false, true);
    let_others_run(); /* the handler holds the requester's SC, waiting on hold_h */
    struct test_thread x = test_thread_new("spinner", 80, spinner, 0, 0, false, false);
    e |= test_sc_configure(x.sc, 1000, 10000); /* not round robin: budget overruns are timeout faults */
    e |= seL4_TCB_SetTimeoutEndpoint(x.tcb, mint_cap(ep_t, seL4_AllRights, 0x7));
    seL4_TCB_Resume(x.tcb);
    let_others_run(); /* the spinner uses up its 1 ms: its timeout fault waits on ep_t */
    seL4_Signal(hold_h);
    let_others_run(); /* the handler replies (the requester's SC goes back) and takes the fault */
    CHECK("a passive handler's ReplyRecv takes a queued timeout fault: the requester got its reply",
          e == seL4_NoError && spins > 0 && y_done == 1);
    CHECK("... and the timed-out thread's SC was not donated to the handler",
          seL4_SchedContext_UnbindObject(x.sc, h.tcb) == seL4_IllegalOperation);
}

int main(void)
{
    test_init();
    park_ntfn = test_alloc_obj(seL4_NotificationObject, 0);
    test_reuse_keeps_sc();
    c_done = 0;
    test_middle_cut();
    test_timeout_no_donation();
    return 0;
}
