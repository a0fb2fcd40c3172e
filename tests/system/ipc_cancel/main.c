/*
 * Cancelled IPC (abi §1.2 "restart", §10.5, §14.2): deleting an endpoint restarts every
 * thread queued on it, which re-executes its syscall (a Send through a slot that meanwhile
 * holds another endpoint cap goes there; a Call on the now-empty slot gets
 * InvalidCapability; a Recv on it is a receive-phase cap fault, reported to the fault handler
 * or, without one, on the console); CancelBadgedSends restarts only the senders with that
 * badge; reusing a reply object that still has an un-replied caller makes the kernel say so
 * and leaves that caller Inactive; cancelling a queued fault IPC (Suspend) forgets the fault.
 */
#include <stdio.h>
#include <sel4/sel4.h>
#include "../common/check.h"
#include "../common/ipc_helpers.h"

static seL4_CPtr park_ntfn;

/* ---- deleting an endpoint with queued senders and receivers ---- */
static volatile int send_state, call_state;
static volatile seL4_Word call_reply[3];
static void blocked_sender(seL4_Word ep, seL4_Word a1)
{
    (void)a1;
    send_state = 1;
    seL4_SetMR(0, 0x5e4d);
    seL4_Send(ep, seL4_MessageInfo_new(0x21, 0, 0, 1));
    send_state = 2;
    park(park_ntfn);
}

static void blocked_caller(seL4_Word ep, seL4_Word a1)
{
    (void)a1;
    call_state = 1;
    seL4_SetMR(0, 0xca11);
    seL4_MessageInfo_t r = seL4_Call(ep, seL4_MessageInfo_new(0x22, 0, 0, 1));
    call_reply[0] = seL4_MessageInfo_get_label(r);
    call_reply[1] = seL4_MessageInfo_get_length(r);
    call_reply[2] = seL4_GetMR(0);
    call_state = 2;
    park(park_ntfn);
}

static void blocked_receiver(seL4_Word ep, seL4_Word reply)
{
    seL4_Word badge;
    if (reply)
        seL4_Recv(ep, &badge, reply);
    else
        seL4_Wait(ep, &badge);
    park(park_ntfn); /* not reached: the restarted receive faults */
}

static void test_delete_endpoint(void)
{
    /* Senders: a Send and a Call block on ep; then its only cap is deleted. */
    seL4_CPtr ep = test_alloc_obj(seL4_EndpointObject, 0);
    test_thread_new("deleted-ep-sender", 100, blocked_sender, ep, 0, false, true);
    test_thread_new("deleted-ep-caller", 100, blocked_caller, ep, 0, false, true);
    let_others_run();
    bool blocked = send_state == 1 && call_state == 1;
    seL4_Error e = seL4_CNode_Delete(seL4_CapInitThreadCNode, ep, 64);
    let_others_run(); /* both re-execute their syscall on the now empty slot */
    CHECK("deleting an endpoint restarts its blocked Call: re-executed on the empty slot, InvalidCapability(0)",
          blocked && e == seL4_NoError && call_state == 2 && call_reply[0] == seL4_InvalidCapability &&
              call_reply[1] == 1 && call_reply[2] == 0);
    CHECK("... and its blocked Send: re-executed on the empty slot, dropped with no fault", send_state == 2);

    /* Again with a Send only, and the slot refilled (with a cap to another endpoint, which we
     * receive on) before the restarted sender runs. */
    seL4_CPtr ep2 = test_alloc_obj(seL4_EndpointObject, 0), reply2 = test_alloc_obj(seL4_ReplyObject, 0);
    seL4_CPtr ep3 = test_alloc_obj(seL4_EndpointObject, 0);
    send_state = 0;
    test_thread_new("restarted-sender", 100, blocked_sender, ep3, 0, false, true);
    let_others_run();
    seL4_CNode_Delete(seL4_CapInitThreadCNode, ep3, 64);
    seL4_CNode_Copy(seL4_CapInitThreadCNode, ep3, 64, seL4_CapInitThreadCNode, ep2, 64, seL4_AllRights);
    seL4_Word badge;
    seL4_MessageInfo_t m = seL4_Recv(ep2, &badge, reply2);
    CHECK("the restarted Send is the same syscall again: it now reaches the endpoint the slot names",
          seL4_MessageInfo_get_label(m) == 0x21 && seL4_GetMR(0) == 0x5e4d && send_state == 1);
    let_others_run();

    /* Receivers: one with a fault handler (Recv), one without (Wait). The endpoint cap is
     * moved to the last slot of the root CNode, so the console report names a known cptr. */
    seL4_CPtr ep4 = cairn_bootinfo()->empty.end - 1, fault_ep = test_alloc_obj(seL4_EndpointObject, 0);
    seL4_CNode_Move(seL4_CapInitThreadCNode, ep4, 64, seL4_CapInitThreadCNode,
                    test_alloc_obj(seL4_EndpointObject, 0), 64);
    struct test_thread r = test_thread_new("deleted-ep-receiver", 100, blocked_receiver, ep4,
                                           test_alloc_obj(seL4_ReplyObject, 0), false, false);
    thread_set_fault_handler(&r, 100, mint_cap(fault_ep, seL4_AllRights, 0xfe));
    seL4_TCB_Resume(r.tcb);
    test_thread_new("deleted-ep-waiter", 90, blocked_receiver, ep4, 0, false, true);
    let_others_run();
    printf("Deleting an endpoint with two receivers (the waiter has no fault handler):\n");
    seL4_CNode_Delete(seL4_CapInitThreadCNode, ep4, 64);
    m = seL4_Recv(fault_ep, &badge, test_alloc_obj(seL4_ReplyObject, 0));
    seL4_Word mr[5];
    get_mrs(mr, 5);
    CHECK("a receiver of a deleted endpoint re-executes Recv: CapFault, receive phase, MissingCapability(0)",
          badge == 0xfe && seL4_MessageInfo_get_label(m) == seL4_Fault_CapFault &&
              seL4_MessageInfo_get_length(m) == 5 && is_syscall_insn(mr[0]) && mr[1] == ep4 && mr[2] == 1 &&
              mr[3] == seL4_MissingCapability && mr[4] == 0);
    let_others_run(); /* the waiter's fault goes to the console (see the expect file) */
    printf("(the endpoint cap was in slot %#lx)\n", (unsigned long)ep4);
}

/* ---- CancelBadgedSends ---- */
static volatile seL4_Word ticket, my_ticket[8];
static void badged_sender(seL4_Word ep, seL4_Word id)
{
    my_ticket[id] = ++ticket;
    seL4_SetMR(0, id);
    seL4_Send(ep, seL4_MessageInfo_new(0x40, 0, 0, 1));
    park(park_ntfn);
}

static volatile seL4_Word cbs_call_label, cbs_call_mr0;
static void badged_caller(seL4_Word ep, seL4_Word a1)
{
    (void)a1;
    seL4_MessageInfo_t r = seL4_Call(ep, seL4_MessageInfo_new(0x41, 0, 0, 0));
    cbs_call_label = seL4_MessageInfo_get_label(r);
    cbs_call_mr0 = seL4_GetMR(0);
    park(park_ntfn);
}

static void test_cancel_badged_sends(void)
{
    seL4_CPtr ep = test_alloc_obj(seL4_EndpointObject, 0);
    seL4_CPtr a = mint_cap(ep, seL4_AllRights, 0xa), b = mint_cap(ep, seL4_AllRights, 0xb);
    /* ids 0 and 2 send with badge 0xa, ids 1 and 3 with 0xb; all at the same priority. */
    for (int i = 0; i < 4; i++) {
        char name[24];
        snprintf(name, sizeof(name), "badge-%c-sender-%d", i % 2 ? 'b' : 'a', i);
        test_thread_new(name, 60, badged_sender, i % 2 ? b : a, i, false, true);
    }
    let_others_run();
    seL4_Error e = seL4_CNode_CancelBadgedSends(seL4_CapInitThreadCNode, ep, 64);
    seL4_Error e_rights = seL4_CNode_CancelBadgedSends(seL4_CapInitThreadCNode,
                                                       mint_cap(ep, seL4_CapRights_new(0, 1, 1, 1), 0xa), 64);
    CHECK("CancelBadgedSends: an unbadged cap is accepted (and cancels nothing), a cap without all rights is not",
          e == seL4_NoError && e_rights == seL4_IllegalOperation);
    e = seL4_CNode_CancelBadgedSends(seL4_CapInitThreadCNode, a, 64);
    /* The 0xb senders are still queued in their order; the 0xa ones must run to send again. */
    int b_first = my_ticket[1] < my_ticket[3] ? 1 : 3;
    seL4_Word badge, got[4];
    for (int k = 0; k < 2; k++) {
        seL4_Wait(ep, &badge);
        got[k] = seL4_GetMR(0) | badge << 8;
    }
    for (int k = 2; k < 4; k++) { /* these block us: the restarted senders run and send again */
        seL4_Wait(ep, &badge);
        got[k] = seL4_GetMR(0) | badge << 8;
    }
    CHECK("CancelBadgedSends(0xa): the 0xb senders stay queued in order and are received first",
          e == seL4_NoError && got[0] == (seL4_Word)(b_first | 0xb00) && got[1] == (seL4_Word)((4 - b_first) | 0xb00));
    CHECK("... the 0xa senders were restarted: they re-send the same message afterwards",
          (got[2] == 0xa00 && got[3] == 0xa02) || (got[2] == 0xa02 && got[3] == 0xa00));

    /* sel4test's pattern: revoke the badged cap (its derived copy goes) then cancel. */
    seL4_CPtr c = mint_cap(ep, seL4_AllRights, 0xc), c_copy;
    cairn_alloc_slot(&test_alloc, &c_copy);
    seL4_CNode_Copy(seL4_CapInitThreadCNode, c_copy, 64, seL4_CapInitThreadCNode, c, 64, seL4_AllRights);
    test_thread_new("badge-c-caller", 60, badged_caller, c_copy, 0, false, true);
    let_others_run();
    seL4_Error er = seL4_CNode_Revoke(seL4_CapInitThreadCNode, c, 64);
    e = seL4_CNode_CancelBadgedSends(seL4_CapInitThreadCNode, c, 64);
    let_others_run();
    CHECK("revoke then CancelBadgedSends: the restarted Call finds its cap gone, InvalidCapability(0)",
          er == seL4_NoError && e == seL4_NoError && cbs_call_label == seL4_InvalidCapability && cbs_call_mr0 == 0);
}

/* ---- a reply object reused while it still has a caller ---- */
static volatile int x_state[2];
static volatile seL4_Word x_mr0[2];
static void reuse_caller(seL4_Word ep, seL4_Word id)
{
    x_state[id] = 1;
    seL4_MessageInfo_t r = seL4_Call(ep, seL4_MessageInfo_new(0x71 + id, 0, 0, 0));
    (void)r;
    x_mr0[id] = seL4_GetMR(0);
    x_state[id] = 2;
    park(park_ntfn);
}

static void test_reply_reuse(void)
{
    seL4_CPtr ep = test_alloc_obj(seL4_EndpointObject, 0), reply = test_alloc_obj(seL4_ReplyObject, 0);
    struct test_thread x1 = test_thread_new("reuse-caller-1", 100, reuse_caller, ep, 0, false, true);
    test_thread_new("reuse-caller-2", 90, reuse_caller, ep, 1, false, true);
    let_others_run();
    seL4_Word badge;
    seL4_MessageInfo_t m1 = seL4_Recv(ep, &badge, reply);
    printf("Receiving again with the same reply object:\n");
    seL4_MessageInfo_t m2 = seL4_Recv(ep, &badge, reply);
    seL4_SetMR(0, 0x7272);
    seL4_Send(reply, seL4_MessageInfo_new(0, 0, 0, 1));
    let_others_run();
    CHECK("reusing a reply object: the second caller gets the reply",
          seL4_MessageInfo_get_label(m1) == 0x71 && seL4_MessageInfo_get_label(m2) == 0x72 && x_state[1] == 2 &&
              x_mr0[1] == 0x7272);
    CHECK("... and the first caller never resumes", x_state[0] == 1);
    printf("Scheduler dump (reuse-caller-1 must be inactive):\n");
    seL4_DebugDumpScheduler();
    /* Inactive means its Call ended without a reply: a Resume runs the Call again. */
    seL4_TCB_Resume(x1.tcb);
    m1 = seL4_Recv(ep, &badge, reply);
    seL4_SetMR(0, 0x7171);
    seL4_Send(reply, seL4_MessageInfo_new(0, 0, 0, 1));
    let_others_run();
    CHECK("Resume of that Inactive caller re-executes its Call, which then gets a reply",
          seL4_MessageInfo_get_label(m1) == 0x71 && x_state[0] == 2 && x_mr0[0] == 0x7171);
}

/* ---- a fault IPC cancelled by Suspend ---- */
#define BAD_CPTR ((1ul << 40) | 5) /* does not resolve: the root CNode's guard is 48 zero bits */
static volatile int fs_done;
static void fault_then_send(seL4_Word ep, seL4_Word a1)
{
    (void)a1;
    seL4_SetMR(0, 0xf00d);
    seL4_SetCap(0, BAD_CPTR);
    seL4_Send(ep, seL4_MessageInfo_new(0x66, 0, 1, 1));
    fs_done = 1;
    park(park_ntfn);
}

static void test_cancelled_fault(void)
{
    seL4_CPtr ep = test_alloc_obj(seL4_EndpointObject, 0), fault_ep = test_alloc_obj(seL4_EndpointObject, 0);
    struct test_thread t = test_thread_new("fault-then-send", 100, fault_then_send, ep, 0, false, false);
    thread_set_fault_handler(&t, 100, mint_cap(fault_ep, seL4_AllRights, 0xfb));
    seL4_TCB_Resume(t.tcb);
    let_others_run(); /* its cap fault waits on fault_ep: nobody receives there */
    t.ipc->caps_or_badges[0] = park_ntfn;
    seL4_Error e = seL4_TCB_Suspend(t.tcb);
    e |= seL4_TCB_Resume(t.tcb);
    seL4_Word badge;
    seL4_MessageInfo_t m = seL4_Recv(ep, &badge, test_alloc_obj(seL4_ReplyObject, 0));
    CHECK("Suspend cancels a queued fault IPC: after Resume the restarted Send is a normal message",
          e == seL4_NoError && seL4_MessageInfo_get_label(m) == 0x66 && seL4_MessageInfo_get_length(m) == 1 &&
              seL4_GetMR(0) == 0xf00d);
    let_others_run();
    badge = 0x5555;
    m = seL4_NBRecv(fault_ep, &badge, test_alloc_obj(seL4_ReplyObject, 0));
    CHECK("... the sender is not left waiting for a reply, and no fault message is left behind",
          fs_done == 1 && badge == 0 && m.words[0] == 0);
}

int main(void)
{
    test_init();
    park_ntfn = test_alloc_obj(seL4_NotificationObject, 0);
    test_delete_endpoint();
    test_cancel_badged_sends();
    test_reply_reuse();
    test_cancelled_fault();
    return 0;
}
