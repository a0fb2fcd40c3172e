/*
 * The IPC syscalls one by one (abi §1.2, §10.4, §10.5, §11, §14.2): Call/ReplyRecv with a
 * passive server (fastpath and slow path), a Send to a passive server, NBSend to nobody,
 * NBRecv/NBWait with nothing pending, Wait on an endpoint, NBSendRecv, NBSendWait, a
 * ReplyRecv with no caller, a TCB cap refused in a send phase, NBSendWait through a reply
 * object, the MCS pitfalls that leave a caller Inactive (no Grant or GrantReply; a
 * receiver without a reply object), a read-only endpoint cap, and the receive-phase cap
 * faults: Recv's reply cptr not naming a reply cap (then fixed by the handler, so the
 * restarted Recv works), unresolvable cptrs, a write-only endpoint cap.
 */
#include <stdio.h>
#include <sel4/sel4.h>
#include "../common/check.h"
#include "../common/ipc_helpers.h"

#define BAD_CPTR ((1ul << 40) | 5) /* does not resolve: the root CNode's guard is 48 zero bits */

static seL4_CPtr park_ntfn;

/* ---- passive server ---- */
static volatile seL4_Word p_runs, p_last_mr0;
static void passive_server(seL4_Word ep, seL4_Word reply)
{
    seL4_Word badge;
    seL4_MessageInfo_t info = seL4_Recv(ep, &badge, reply);
    for (;;) {
        p_runs++;
        p_last_mr0 = seL4_GetMR(0);
        seL4_Word n = seL4_MessageInfo_get_length(info);
        for (seL4_Word i = 0; i < n; i++)
            seL4_SetMR(i, seL4_GetMR(i) + badge);
        info = seL4_ReplyRecv(ep, seL4_MessageInfo_new(seL4_MessageInfo_get_label(info) ^ 0xff, 0, 0, n), &badge, reply);
    }
}

static void test_passive_server(void)
{
    seL4_CPtr ep = test_alloc_obj(seL4_EndpointObject, 0), reply = test_alloc_obj(seL4_ReplyObject, 0);
    struct test_thread p = test_thread_new("passive-server", 150, passive_server, ep, reply, false, true);
    let_others_run(); /* it reaches its Recv on its own SC ... */
    seL4_Error e = seL4_SchedContext_UnbindObject(p.sc, p.tcb); /* ... and becomes passive */
    seL4_CPtr badged = mint_cap(ep, seL4_AllRights, 0x10);
    int bad = 0;
    for (seL4_Word len = 0; len <= seL4_MsgMaxLength; len++) {
        for (seL4_Word i = 0; i < len; i++)
            seL4_SetMR(i, len * 100 + i);
        seL4_MessageInfo_t r = seL4_Call(badged, seL4_MessageInfo_new(len, 0, 0, len));
        if (seL4_MessageInfo_get_label(r) != (len ^ 0xff) || seL4_MessageInfo_get_length(r) != len)
            bad++;
        for (seL4_Word i = 0; i < len; i++)
            if (seL4_GetMR(i) != len * 100 + i + 0x10)
                bad++;
    }
    CHECK("passive server (runs on the caller's SC): Call/ReplyRecv of every length 0..120, fastpath and slow path",
          e == seL4_NoError && bad == 0 && p_runs == 121);

    /* A Send is delivered to the passive server but cannot make it run: no SC is donated. */
    seL4_SetMR(0, 0xabc);
    seL4_Send(badged, seL4_MessageInfo_new(1, 0, 0, 1));
    let_others_run();
    CHECK("a Send to a passive server is delivered, but the server does not run (no donation)", p_runs == 121);
    e = seL4_SchedContext_Bind(p.sc, p.tcb);
    let_others_run();
    CHECK("once it has an SC again it runs with the message it received", e == seL4_NoError && p_runs == 122 &&
          p_last_mr0 == 0xabc);
    e = seL4_SchedContext_UnbindObject(p.sc, p.tcb);
    seL4_SetMR(0, 5);
    seL4_MessageInfo_t r = seL4_Call(badged, seL4_MessageInfo_new(3, 0, 0, 1));
    CHECK("passive again, it serves the next Call", e == seL4_NoError && seL4_MessageInfo_get_label(r) == (3 ^ 0xff) &&
          seL4_GetMR(0) == 0x15 && p_runs == 123);
}

/* ---- Send/NBSend/Recv/NBRecv/Wait/NBWait ---- */
static volatile seL4_Word t_label;
static void on_demand_sender(seL4_Word ep, seL4_Word go)
{
    for (;;) {
        seL4_Wait(go, NULL);
        seL4_SetMR(0, t_label * 0x111);
        seL4_Send(ep, seL4_MessageInfo_new(t_label, 0, 0, 1));
    }
}

static void test_send_recv_variants(void)
{
    seL4_CPtr ep = test_alloc_obj(seL4_EndpointObject, 0), reply = test_alloc_obj(seL4_ReplyObject, 0);
    seL4_CPtr go = test_alloc_obj(seL4_NotificationObject, 0);
    test_thread_new("on-demand-sender", 100, on_demand_sender, mint_cap(ep, seL4_AllRights, 0x22), go, false, true);
    let_others_run();
    seL4_Word badge;

    seL4_SetMR(0, 0x1111);
    seL4_NBSend(mint_cap(ep, seL4_AllRights, 0x11), seL4_MessageInfo_new(1, 0, 0, 1));
    t_label = 2;
    seL4_Signal(go);
    seL4_MessageInfo_t m = seL4_Recv(ep, &badge, reply);
    CHECK("NBSend with no receiver is dropped: the next Recv gets the later Send (badge 0x22, label 2)",
          badge == 0x22 && seL4_MessageInfo_get_label(m) == 2 && seL4_GetMR(0) == 0x222);

    badge = 0x5555;
    m = seL4_NBRecv(ep, &badge, reply);
    CHECK("NBRecv with nothing pending: badge 0, empty message", badge == 0 && m.words[0] == 0);

    t_label = 3;
    seL4_Signal(go);
    let_others_run(); /* the sender blocks in Send */
    m = seL4_NBRecv(ep, &badge, reply);
    CHECK("NBRecv with a blocked sender takes its message", badge == 0x22 && seL4_MessageInfo_get_label(m) == 3 &&
          seL4_MessageInfo_get_length(m) == 1 && seL4_GetMR(0) == 0x333);

    t_label = 4;
    seL4_Signal(go);
    m = seL4_Wait(ep, &badge);
    CHECK("Wait on an endpoint (no reply object) receives a Send", badge == 0x22 &&
          seL4_MessageInfo_get_label(m) == 4 && seL4_GetMR(0) == 0x444);

    badge = 0x5555;
    m = seL4_NBWait(ep, &badge);
    bool nothing = badge == 0 && m.words[0] == 0;
    t_label = 5;
    seL4_Signal(go);
    let_others_run();
    m = seL4_NBWait(ep, &badge);
    CHECK("NBWait: badge 0 with nothing pending, the blocked sender's message otherwise",
          nothing && badge == 0x22 && seL4_MessageInfo_get_label(m) == 5 && seL4_GetMR(0) == 0x555);
}

/* ---- callers that become Inactive ---- */
static volatile int c1_state, c2_state;
static void caller(seL4_Word ep, seL4_Word which)
{
    volatile int *state = which == 1 ? &c1_state : &c2_state;
    *state = 1;
    seL4_Call(ep, seL4_MessageInfo_new(0x30 + which, 0, 0, 0));
    *state = 2; /* never reached */
    park(park_ntfn);
}

static void test_inactive_callers(void)
{
    /* A Call received by Wait: there is no reply object to record the caller. */
    seL4_CPtr ep_w = test_alloc_obj(seL4_EndpointObject, 0);
    test_thread_new("call-to-wait", 100, caller, ep_w, 1, false, true);
    let_others_run();
    seL4_Word badge;
    seL4_MessageInfo_t m = seL4_Wait(ep_w, &badge);
    bool got = seL4_MessageInfo_get_label(m) == 0x31;
    let_others_run();
    CHECK("a Call received by Wait is delivered, and the caller never resumes (Inactive)", got && c1_state == 1);
    printf("Scheduler dump 1 (call-to-wait must be inactive):\n");
    seL4_DebugDumpScheduler();

    /* A Call through an endpoint cap with neither Grant nor GrantReply. */
    seL4_CPtr ep_n = test_alloc_obj(seL4_EndpointObject, 0), reply_n = test_alloc_obj(seL4_ReplyObject, 0);
    test_thread_new("call-no-grant", 100, caller, mint_cap(ep_n, seL4_ReadWrite, 0), 2, false, true);
    let_others_run();
    m = seL4_Recv(ep_n, &badge, reply_n);
    got = seL4_MessageInfo_get_label(m) == 0x32;
    seL4_Send(reply_n, seL4_MessageInfo_new(0, 0, 0, 0)); /* nobody is linked to the reply object */
    let_others_run();
    CHECK("a Call through a cap without Grant/GrantReply is delivered, and a reply cannot wake the caller",
          got && c2_state == 1);
    printf("Scheduler dump 2 (call-no-grant must be inactive):\n");
    seL4_DebugDumpScheduler();
}

/* ---- read-only endpoint cap ---- */
static volatile int ro_send_done;
static void ro_sender(seL4_Word ro, seL4_Word a1)
{
    (void)a1;
    seL4_Send(ro, seL4_MessageInfo_new(1, 0, 0, 0));
    seL4_NBSend(ro, seL4_MessageInfo_new(1, 0, 0, 0));
    ro_send_done = 1;
    park(park_ntfn);
}

static void test_read_only(void)
{
    seL4_CPtr ep = test_alloc_obj(seL4_EndpointObject, 0);
    seL4_CPtr ro = mint_cap(ep, seL4_CanRead, 0);
    seL4_SetMR(0, 0x99);
    seL4_MessageInfo_t r = seL4_Call(ro, seL4_MessageInfo_new(0x33, 0, 0, 1));
    CHECK("Call on a read-only endpoint cap: InvalidCapability(0)",
          seL4_MessageInfo_get_label(r) == seL4_InvalidCapability && seL4_MessageInfo_get_length(r) == 1 &&
              seL4_GetMR(0) == 0);
    test_thread_new("ro-sender", 100, ro_sender, ro, 0, false, true);
    let_others_run();
    CHECK("Send and NBSend on a read-only endpoint cap return at once (error dropped)", ro_send_done == 1);
}

/* ---- receive-phase cap faults ---- */
static seL4_CPtr ep_f, wo_cap;
static volatile seL4_Word rf_got[5];
static void recv_faulter(seL4_Word mode, seL4_Word r12)
{
    seL4_Word badge;
    switch (mode) {
    case 0: seL4_Recv(ep_f, &badge, r12); break;      /* r12 is empty, then fixed by the handler */
    case 1: seL4_Recv(ep_f, &badge, r12); break;      /* r12 does not resolve */
    case 2: seL4_NBRecv(ep_f, &badge, r12); break;    /* r12 is empty */
    case 3: seL4_Recv(wo_cap, &badge, r12); break;    /* a write-only endpoint cap */
    case 4: seL4_Recv(BAD_CPTR, &badge, r12); break;  /* does not resolve */
    }
    rf_got[mode] = seL4_GetMR(0);
    park(park_ntfn);
}

/* Start a faulter and take its fault message: returns the tag; mr[] and *badge filled. */
static seL4_CPtr fault_ep;
static seL4_MessageInfo_t take_fault(seL4_Word mode, seL4_Word r12, seL4_Word mr[7], seL4_Word *badge,
                                     seL4_CPtr *fault_reply)
{
    static const char *const names[] = { "recv-empty-r12", "recv-bad-r12", "nbrecv-empty-r12", "recv-write-only",
                                         "recv-bad-cptr" };
    struct test_thread t = test_thread_new(names[mode], 100, recv_faulter, mode, r12, false, false);
    thread_set_fault_handler(&t, 100, mint_cap(fault_ep, seL4_AllRights, 0xf0 + mode));
    seL4_TCB_Resume(t.tcb);
    *fault_reply = test_alloc_obj(seL4_ReplyObject, 0);
    for (int i = 0; i < 7; i++)
        seL4_SetMR(i, 0xdead);
    seL4_MessageInfo_t m = seL4_Recv(fault_ep, badge, *fault_reply);
    get_mrs(mr, 7);
    return m;
}

static bool cap_fault_is(seL4_MessageInfo_t m, seL4_Word len, const seL4_Word *mr, seL4_Word addr, seL4_Word type)
{
    return seL4_MessageInfo_get_label(m) == seL4_Fault_CapFault && seL4_MessageInfo_get_length(m) == len &&
           is_syscall_insn(mr[seL4_CapFault_IP]) && mr[seL4_CapFault_Addr] == addr &&
           mr[seL4_CapFault_InRecvPhase] == 1 && mr[seL4_CapFault_LookupFailureType] == type;
}

static void test_recv_faults(void)
{
    ep_f = test_alloc_obj(seL4_EndpointObject, 0);
    wo_cap = mint_cap(ep_f, seL4_CanWrite, 0);
    fault_ep = test_alloc_obj(seL4_EndpointObject, 0);
    seL4_Word mr[7], badge;
    seL4_CPtr fr;

    seL4_CPtr fix_slot;
    cairn_alloc_slot(&test_alloc, &fix_slot);
    seL4_MessageInfo_t m = take_fault(0, fix_slot, mr, &badge, &fr);
    CHECK("Recv whose reply cptr names an empty slot: CapFault in the receive phase, MissingCapability(0)",
          badge == 0xf0 && cap_fault_is(m, 5, mr, fix_slot, seL4_MissingCapability) && mr[4] == 0);
    seL4_CPtr reply = test_alloc_obj(seL4_ReplyObject, 0);
    seL4_CNode_Copy(seL4_CapInitThreadCNode, fix_slot, 64, seL4_CapInitThreadCNode, reply, 64, seL4_AllRights);
    seL4_Send(fr, seL4_MessageInfo_new(0, 0, 0, 0)); /* restart it: now R12 names a reply cap */
    let_others_run();
    seL4_SetMR(0, 0x1234);
    seL4_Send(ep_f, seL4_MessageInfo_new(0, 0, 0, 1));
    let_others_run();
    CHECK("after the handler put a reply cap there, the restarted Recv receives", rf_got[0] == 0x1234);

    m = take_fault(1, BAD_CPTR, mr, &badge, &fr);
    CHECK("Recv whose reply cptr does not resolve: the real lookup failure, GuardMismatch(64, guard 0, size 48)",
          badge == 0xf1 && cap_fault_is(m, 7, mr, BAD_CPTR, seL4_GuardMismatch) && mr[4] == 64 && mr[5] == 0 &&
              mr[6] == 48);
    seL4_CPtr empty;
    cairn_alloc_slot(&test_alloc, &empty);
    m = take_fault(2, empty, mr, &badge, &fr);
    CHECK("NBRecv also needs a reply cap: CapFault in the receive phase", badge == 0xf2 &&
          cap_fault_is(m, 5, mr, empty, seL4_MissingCapability) && mr[4] == 0);
    m = take_fault(3, reply, mr, &badge, &fr);
    CHECK("Recv on an endpoint cap without Read: CapFault in the receive phase, MissingCapability(0)",
          badge == 0xf3 && cap_fault_is(m, 5, mr, wo_cap, seL4_MissingCapability) && mr[4] == 0);
    m = take_fault(4, reply, mr, &badge, &fr);
    CHECK("Recv on a cptr that does not resolve: CapFault with GuardMismatch", badge == 0xf4 &&
          cap_fault_is(m, 7, mr, BAD_CPTR, seL4_GuardMismatch) && mr[4] == 64 && mr[6] == 48);
}

/* ---- NBSendRecv, NBSendWait, ReplyRecv with no caller ---- */
static volatile seL4_Word n_got[2], n_badge, w_badge, w_mr0, w_ep_badge, rr_got, rr_label;
static seL4_CPtr ep_a, ep_b, ep_c, ntfn_w, ep_r;
static void nbsendrecv_thread(seL4_Word dest, seL4_Word reply)
{
    seL4_Word badge;
    seL4_SetMR(0, 0x4e);
    seL4_NBSendRecv(dest, seL4_MessageInfo_new(0x41, 0, 0, 1), ep_b, &badge, reply);
    n_got[0] = seL4_GetMR(0);
    n_badge = badge;
    seL4_SetMR(0, 0x4f);
    seL4_NBSendRecv(dest, seL4_MessageInfo_new(0x44, 0, 0, 1), ep_b, &badge, reply); /* nobody receives this */
    n_got[1] = seL4_GetMR(0);
    park(park_ntfn);
}

static void nbsendwait_thread(seL4_Word dest, seL4_Word a1)
{
    (void)a1;
    seL4_Word badge;
    seL4_SetMR(0, 0x57);
    seL4_NBSendWait(dest, seL4_MessageInfo_new(0x51, 0, 0, 1), ntfn_w, &badge);
    w_badge = badge;
    seL4_SetMR(0, 0x58);
    seL4_NBSendWait(dest, seL4_MessageInfo_new(0x52, 0, 0, 1), ep_c, &badge); /* Wait on an endpoint */
    w_mr0 = seL4_GetMR(0);
    w_ep_badge = badge;
    park(park_ntfn);
}

static void replyrecv_thread(seL4_Word reply, seL4_Word a1)
{
    (void)a1;
    seL4_Word badge;
    seL4_SetMR(0, 1);
    seL4_MessageInfo_t m = seL4_ReplyRecv(ep_r, seL4_MessageInfo_new(0x61, 0, 0, 1), &badge, reply);
    rr_got = seL4_GetMR(0);
    rr_label = seL4_MessageInfo_get_label(m);
    park(park_ntfn);
}

static void test_combined(void)
{
    ep_a = test_alloc_obj(seL4_EndpointObject, 0);
    ep_b = test_alloc_obj(seL4_EndpointObject, 0);
    ep_c = test_alloc_obj(seL4_EndpointObject, 0);
    ep_r = test_alloc_obj(seL4_EndpointObject, 0);
    ntfn_w = test_alloc_obj(seL4_NotificationObject, 0);
    seL4_CPtr reply = test_alloc_obj(seL4_ReplyObject, 0);
    seL4_Word badge;

    test_thread_new("nbsendrecv", 100, nbsendrecv_thread, mint_cap(ep_a, seL4_AllRights, 0x41),
                    test_alloc_obj(seL4_ReplyObject, 0), false, true);
    seL4_MessageInfo_t m = seL4_Recv(ep_a, &badge, reply);
    CHECK("NBSendRecv: the send phase reaches a waiting receiver", badge == 0x41 &&
          seL4_MessageInfo_get_label(m) == 0x41 && seL4_GetMR(0) == 0x4e);
    seL4_SetMR(0, 0x99);
    seL4_Send(mint_cap(ep_b, seL4_AllRights, 0xb0), seL4_MessageInfo_new(0, 0, 0, 1));
    let_others_run();
    CHECK("NBSendRecv: then it receives on the other endpoint", n_got[0] == 0x99 && n_badge == 0xb0);
    seL4_SetMR(0, 0x98);
    seL4_Send(ep_b, seL4_MessageInfo_new(0, 0, 0, 1));
    let_others_run();
    m = seL4_NBRecv(ep_a, &badge, reply);
    CHECK("NBSendRecv to nobody: the message is dropped and the receive still happens",
          n_got[1] == 0x98 && badge == 0 && m.words[0] == 0);

    test_thread_new("nbsendwait", 100, nbsendwait_thread, mint_cap(ep_a, seL4_AllRights, 0x51), 0, false, true);
    m = seL4_Recv(ep_a, &badge, reply);
    CHECK("NBSendWait: the send phase reaches a waiting receiver", badge == 0x51 &&
          seL4_MessageInfo_get_label(m) == 0x51 && seL4_GetMR(0) == 0x57);
    seL4_Signal(mint_cap(ntfn_w, seL4_AllRights, 0x800));
    m = seL4_Recv(ep_a, &badge, reply);
    CHECK("NBSendWait: then it waits on the notification (badge 0x800), and sends again",
          w_badge == 0x800 && seL4_MessageInfo_get_label(m) == 0x52 && seL4_GetMR(0) == 0x58);
    seL4_SetMR(0, 0xcc);
    seL4_Send(mint_cap(ep_c, seL4_AllRights, 0xc0), seL4_MessageInfo_new(0, 0, 0, 1));
    let_others_run();
    CHECK("NBSendWait's wait phase on an endpoint receives a Send without a reply object",
          w_mr0 == 0xcc && w_ep_badge == 0xc0);

    test_thread_new("replyrecv-first", 100, replyrecv_thread, test_alloc_obj(seL4_ReplyObject, 0), 0, false, true);
    let_others_run();
    seL4_SetMR(0, 0x6262);
    seL4_Send(ep_r, seL4_MessageInfo_new(0x62, 0, 0, 1));
    let_others_run();
    CHECK("ReplyRecv with no caller on the reply object: nothing is replied, the Recv happens",
          rr_got == 0x6262 && rr_label == 0x62);
}

/* ---- first phases that are refused, and a reply through NBSendWait ---- */
static volatile seL4_CPtr self_tcb;
static volatile seL4_Word fp_got, nsw_badge;
static seL4_CPtr ep_fp, ntfn_fp;
static void first_phase_tcb(seL4_Word reply, seL4_Word a1)
{
    (void)a1;
    seL4_Word badge;
    /* NBSendRecv whose send phase names our own TCB with the Suspend label: refused. */
    seL4_NBSendRecv(self_tcb, seL4_MessageInfo_new(TCBSuspend, 0, 0, 0), ep_fp, &badge, reply);
    fp_got = seL4_GetMR(0);
    park(park_ntfn);
}

static void reply_then_wait(seL4_Word reply, seL4_Word a1)
{
    (void)a1;
    seL4_Word badge;
    seL4_Recv(ep_fp, &badge, reply);
    seL4_SetMR(0, seL4_GetMR(0) + 1);
    seL4_NBSendWait(reply, seL4_MessageInfo_new(0x71, 0, 0, 1), ntfn_fp, &badge); /* reply, then Wait */
    nsw_badge = badge;
    park(park_ntfn);
}

static void test_first_phase(void)
{
    ep_fp = test_alloc_obj(seL4_EndpointObject, 0);
    ntfn_fp = test_alloc_obj(seL4_NotificationObject, 0);
    struct test_thread t = test_thread_new("first-phase-tcb", 100, first_phase_tcb, test_alloc_obj(seL4_ReplyObject, 0),
                                           0, false, false);
    self_tcb = t.tcb;
    seL4_TCB_Resume(t.tcb);
    let_others_run();
    seL4_SetMR(0, 0xf1);
    seL4_Send(ep_fp, seL4_MessageInfo_new(0, 0, 0, 1));
    let_others_run();
    CHECK("a TCB cap in the send phase of NBSendRecv is refused (no Suspend); the receive phase still runs",
          fp_got == 0xf1);

    test_thread_new("reply-then-wait", 100, reply_then_wait, test_alloc_obj(seL4_ReplyObject, 0), 0, false, true);
    seL4_SetMR(0, 0x41);
    seL4_MessageInfo_t r = seL4_Call(ep_fp, seL4_MessageInfo_new(0x70, 0, 0, 1));
    seL4_Signal(mint_cap(ntfn_fp, seL4_AllRights, 0x9));
    let_others_run();
    CHECK("NBSendWait to a reply object answers the caller, then waits on the notification",
          seL4_MessageInfo_get_label(r) == 0x71 && seL4_GetMR(0) == 0x42 && nsw_badge == 0x9);
}

int main(void)
{
    test_init();
    park_ntfn = test_alloc_obj(seL4_NotificationObject, 0);
    test_passive_server();
    test_send_recv_variants();
    test_inactive_callers();
    test_read_only();
    test_recv_faults();
    test_combined();
    test_first_phase();
    return 0;
}
