/*
 * Notifications with scheduling contexts (abi §10.6): the "passive server with a bound
 * notification" pattern. A signal lends the notification's SC to the passive server it
 * wakes; the server gives it back when it blocks in a Recv on its endpoint, and before it
 * takes a Call already queued there (so that Call donates the caller's SC); it keeps it
 * while it waits on some other notification. Where an SC is is read with
 * SchedContext_UnbindObject, which succeeds only for the thread the SC is bound to (the SC
 * is bound again straight away).
 */
#include <stdio.h>
#include <sel4/sel4.h>
#include "../common/check.h"
#include "../common/ipc_helpers.h"

static seL4_CPtr park_ntfn, ep, reply, hold, check_ntfn;
static volatile seL4_Word s_badge[4], s_label, s_step;

/* Whether sc is bound to thread tcb (then it is bound again). */
static bool sc_is_on(seL4_CPtr sc, seL4_CPtr tcb)
{
    if (seL4_SchedContext_UnbindObject(sc, tcb) != seL4_NoError)
        return false;
    seL4_SchedContext_Bind(sc, tcb);
    return true;
}

static void server(seL4_Word a0, seL4_Word a1)
{
    (void)a0, (void)a1;
    seL4_Word badge;
    seL4_Recv(ep, &badge, reply); /* woken by a signal on its bound notification */
    s_badge[0] = badge;
    s_step = 1;
    seL4_Wait(hold, &badge); /* keeps the notification's SC */
    s_badge[1] = badge;
    s_step = 2;
    seL4_Recv(ep, &badge, reply); /* returns it, blocks; woken by the next signal */
    s_badge[2] = badge;
    s_step = 3;
    seL4_MessageInfo_t m = seL4_Recv(ep, &badge, reply); /* a Call is queued already */
    s_label = seL4_MessageInfo_get_label(m);
    s_step = 4;
    seL4_Signal(check_ntfn);
    seL4_ReplyRecv(ep, seL4_MessageInfo_new(0, 0, 0, 0), &badge, reply);
    park(park_ntfn);
}

static volatile int c_done;
static void client(seL4_Word a0, seL4_Word a1)
{
    (void)a0, (void)a1;
    seL4_Call(ep, seL4_MessageInfo_new(0x55, 0, 0, 0));
    c_done = 1;
    park(park_ntfn);
}

int main(void)
{
    test_init();
    park_ntfn = test_alloc_obj(seL4_NotificationObject, 0);
    ep = test_alloc_obj(seL4_EndpointObject, 0);
    reply = test_alloc_obj(seL4_ReplyObject, 0);
    hold = test_alloc_obj(seL4_NotificationObject, 0);
    check_ntfn = test_alloc_obj(seL4_NotificationObject, 0);
    seL4_CPtr n = test_alloc_obj(seL4_NotificationObject, 0);
    seL4_CPtr n_sc = test_alloc_obj(seL4_SchedContextObject, 8);
    seL4_Error e = test_sc_configure(n_sc, 5000, 5000);
    e |= seL4_SchedContext_Bind(n_sc, n);

    struct test_thread s = test_thread_new("passive-server", 150, server, 0, 0, false, true);
    let_others_run();
    e |= seL4_SchedContext_UnbindObject(s.sc, s.tcb);
    e |= seL4_TCB_BindNotification(s.tcb, n);
    CHECK("a passive server blocked in Recv, bound to a notification that has an SC", e == seL4_NoError &&
          s_step == 0);

    seL4_Signal(mint_cap(n, seL4_AllRights, 0x1));
    let_others_run();
    CHECK("a signal lends the notification's SC: the server runs with the badge", s_step == 1 &&
          s_badge[0] == 0x1);
    CHECK("waiting on another notification, the server keeps that SC", sc_is_on(n_sc, s.tcb));

    seL4_Signal(mint_cap(hold, seL4_AllRights, 0x2));
    let_others_run();
    CHECK("blocked in Recv on its endpoint, it has given the SC back", s_step == 2 && s_badge[1] == 0x2 &&
          !sc_is_on(n_sc, s.tcb));

    /* Wake it once more, and have a client's Call queued before it comes back to Recv. */
    seL4_Signal(mint_cap(n, seL4_AllRights, 0x4));
    struct test_thread c = test_thread_new("client", 200, client, 0, 0, false, true);
    seL4_Wait(check_ntfn, NULL); /* the client calls first (priority 200), then the server runs */
    bool donated = sc_is_on(c.sc, s.tcb), lent = sc_is_on(n_sc, s.tcb);
    CHECK("a Call queued before its Recv: the notification's SC goes back first, the Call donates",
          s_step == 4 && s_badge[2] == 0x4 && s_label == 0x55 && donated && !lent);
    let_others_run();
    CHECK("the reply returns the client's SC: the client resumes", c_done == 1 && sc_is_on(c.sc, c.tcb));
    return 0;
}
