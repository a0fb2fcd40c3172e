/* Endpoints: Send/Call meet Recv; a queue of blocked senders or receivers ordered by
 * priority, FIFO among equals (abi §10.1, §10.5). */
#include "endpoint.h"
#include "tcb.h"
#include "reply.h"
#include "notification.h"
#include "sched.h"
#include "ipc.h"
#include "printk.h"
#include "schedcontext.h"
#include "invocation.h"
#include "abi.h"

static void set_tail_state(endpoint_t *ep, tcb_t *tail, enum endpoint_state s)
{
    ep->tail_state = (word_t)tail | s;
}

/* Insert t after the last queued thread of priority >= t's. */
void endpoint_enqueue(endpoint_t *ep, tcb_t *t, enum endpoint_state s)
{
    tcb_t *after = ep_tail(ep);
    while (after && after->priority < t->priority)
        after = after->ep_prev;
    t->ep_prev = after;
    t->ep_next = after ? after->ep_next : ep->head;
    if (t->ep_next)
        t->ep_next->ep_prev = t;
    if (after)
        after->ep_next = t;
    else
        ep->head = t;
    set_tail_state(ep, t->ep_next ? ep_tail(ep) : t, s);
}

void endpoint_dequeue(endpoint_t *ep, tcb_t *t)
{
    if (t->ep_prev)
        t->ep_prev->ep_next = t->ep_next;
    else
        ep->head = t->ep_next;
    tcb_t *tail = ep_tail(ep);
    if (t->ep_next)
        t->ep_next->ep_prev = t->ep_prev;
    else
        tail = t->ep_prev;
    set_tail_state(ep, tail, ep->head ? ep_state(ep) : ep_idle);
    t->ep_next = t->ep_prev = NULL;
}

void endpoint_reorder(endpoint_t *ep, tcb_t *t)
{
    enum endpoint_state s = ep_state(ep);
    endpoint_dequeue(ep, t);
    endpoint_enqueue(ep, t, s);
}

void send_ipc(tcb_t *sender, bool blocking, bool do_call, word_t badge, bool can_grant,
              bool can_grant_reply, bool can_donate, endpoint_t *ep)
{
    if (ep_state(ep) != ep_recv) {
        if (!blocking)
            return;
        sender->blocking_object = ep;
        sender->blocking_badge = badge;
        sender->blocking_can_grant = can_grant;
        sender->blocking_can_grant_reply = can_grant_reply;
        sender->blocking_is_call = do_call;
        set_thread_state(sender, thread_blocked_on_send);
        endpoint_enqueue(ep, sender, ep_send);
        return;
    }

    tcb_t *dest = ep->head;
    endpoint_dequeue(ep, dest);
    reply_t *reply = dest->reply;
    if (reply)
        reply_remove(reply, dest);
    do_ipc_transfer(sender, ep, badge, can_grant, dest);

    if (do_call || sender->fault.type != seL4_Fault_NullFault) {
        if (reply && (can_grant || can_grant_reply))
            reply_push(sender, dest, reply, can_donate);
        else
            set_thread_state(sender, thread_inactive); /* nobody can ever reply (MCS) */
    } else if (can_donate && sender->sc && !dest->sc) {
        sched_context_donate(sender->sc, dest);
    }
    set_thread_state(dest, thread_running);
    refill_unblock_check(dest->sc);
    possible_switch_to(dest);
}

void receive_ipc(tcb_t *t, cap_t ep_cap, bool blocking, reply_t *reply)
{
    endpoint_t *ep = cap_ptr(ep_cap);
    if (reply && reply->tcb && reply->tcb != t) {
        /* The object still links an un-replied caller: that caller can never be answered. */
        user_error_print(__func__, __LINE__, "Reply object already has unexecuted reply!");
        tcb_t *old = reply->tcb;
        cancel_ipc(old);
        set_thread_state(old, thread_inactive);
    }
    if (t->bound_notification && notification_take_if_active(t, t->bound_notification))
        return;
    /* A blocking receive gives a lent notification SC back first, even when a sender is
     * waiting: a queued Call then donates its caller's SC (seL4 does the same). */
    if (t->bound_notification && blocking)
        notification_return_sc(t->bound_notification, t);

    if (ep_state(ep) != ep_send) {
        if (!blocking) {
            do_nb_recv_failed_transfer(t);
            return;
        }
        t->blocking_object = ep;
        t->reply = reply;
        if (reply)
            reply->tcb = t;
        set_thread_state(t, thread_blocked_on_recv);
        endpoint_enqueue(ep, t, ep_recv);
        return;
    }

    tcb_t *sender = ep->head;
    endpoint_dequeue(ep, sender);
    do_ipc_transfer(sender, ep, sender->blocking_badge, sender->blocking_can_grant, t);
    if (sender->blocking_is_call || sender->fault.type != seL4_Fault_NullFault) {
        if (reply && (sender->blocking_can_grant || sender->blocking_can_grant_reply))
            reply_push(sender, t, reply, sender->fault.type != seL4_Fault_Timeout); /* no donation for a timeout */
        else
            set_thread_state(sender, thread_inactive);
    } else {
        set_thread_state(sender, thread_running);
        refill_unblock_check(sender->sc);
        possible_switch_to(sender);
    }
}

/* Threads leave a dying endpoint and retry their syscall; those sending a fault stop. */
static void restart_queued(tcb_t *t)
{
    if (t->reply && t->state == thread_blocked_on_recv)
        reply_remove(t->reply, t);
    if (t->fault.type != seL4_Fault_NullFault) {
        set_thread_state(t, thread_inactive);
        return;
    }
    arch_restart_syscall(&t->ctx);
    set_thread_state(t, thread_restart);
    possible_switch_to(t);
}

void endpoint_finalise(endpoint_t *ep)
{
    while (ep->head) {
        tcb_t *t = ep->head;
        endpoint_dequeue(ep, t);
        restart_queued(t);
    }
}

void endpoint_cancel_badged_sends(endpoint_t *ep, word_t badge)
{
    if (ep_state(ep) != ep_send)
        return;
    for (tcb_t *t = ep->head, *next; t; t = next) {
        next = t->ep_next;
        if (t->blocking_badge == badge) {
            endpoint_dequeue(ep, t);
            restart_queued(t);
        }
    }
}
