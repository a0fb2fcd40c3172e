/* Notifications: Signal ORs a badge into the word, Wait takes it or blocks (abi §10.5, §10.6). */
#include "notification.h"
#include "tcb.h"
#include "endpoint.h"
#include "schedcontext.h"
#include "sched.h"
#include "ipc.h"
#include "abi.h"

static void nq_insert(notification_t *n, tcb_t *t)
{
    tcb_t *after = n->tail;
    while (after && after->priority < t->priority)
        after = after->ep_prev;
    t->ep_prev = after;
    t->ep_next = after ? after->ep_next : n->head;
    if (t->ep_next)
        t->ep_next->ep_prev = t;
    else
        n->tail = t;
    if (after)
        after->ep_next = t;
    else
        n->head = t;
}

void notification_dequeue(notification_t *n, tcb_t *t)
{
    if (t->ep_prev)
        t->ep_prev->ep_next = t->ep_next;
    else
        n->head = t->ep_next;
    if (t->ep_next)
        t->ep_next->ep_prev = t->ep_prev;
    else
        n->tail = t->ep_prev;
    t->ep_next = t->ep_prev = NULL;
    if (!n->head && n->state == ntfn_waiting)
        n->state = ntfn_idle;
}

void notification_reorder(notification_t *n, tcb_t *t)
{
    notification_dequeue(n, t);
    nq_insert(n, t);
    n->state = ntfn_waiting;
}

void notification_lend_sc(notification_t *n, tcb_t *t)
{
    if (!t->sc && n->sc && !n->sc->tcb) {
        sched_context_donate(n->sc, t);
        refill_unblock_check(n->sc);
    }
}

void notification_return_sc(notification_t *n, tcb_t *t)
{
    if (n->sc && n->sc == t->sc) {
        sched_dequeue(t);
        release_dequeue(t);
        t->sc = NULL;
        n->sc->tcb = NULL;
    }
}

/* Wake t with the badge (only the badge register is written: abi §10.5). */
static void deliver(notification_t *n, tcb_t *t, word_t badge)
{
    t->ctx.ARCH_REG_BADGE = badge;
    set_thread_state(t, thread_running);
    notification_lend_sc(n, t);
    refill_unblock_check(t->sc);
    possible_switch_to(t);
}

void send_signal(notification_t *n, word_t badge)
{
    switch (n->state) {
    case ntfn_idle: {
        tcb_t *t = n->bound_tcb;
        if (t && t->state == thread_blocked_on_recv) {
            cancel_ipc(t); /* the bound thread's Recv on an endpoint ends with the signal */
            deliver(n, t, badge);
        } else {
            n->state = ntfn_active;
            n->badge = badge;
        }
        break;
    }
    case ntfn_waiting: {
        tcb_t *t = n->head;
        notification_dequeue(n, t);
        deliver(n, t, badge);
        break;
    }
    case ntfn_active:
        n->badge |= badge;
        break;
    }
}

bool notification_take_if_active(tcb_t *t, notification_t *n)
{
    if (n->state != ntfn_active)
        return false;
    t->ctx.ARCH_REG_BADGE = n->badge;
    n->state = ntfn_idle;
    n->badge = 0;
    notification_lend_sc(n, t);
    return true;
}

void receive_signal(tcb_t *t, cap_t cap, bool blocking)
{
    notification_t *n = cap_ptr(cap);
    if (notification_take_if_active(t, n))
        return;
    if (!blocking) {
        do_nb_recv_failed_transfer(t);
        return;
    }
    t->blocking_object = n;
    set_thread_state(t, thread_blocked_on_notification);
    nq_insert(n, t);
    n->state = ntfn_waiting;
    notification_return_sc(n, t); /* only this notification's SC: a lent one stays while waiting elsewhere */
}

void notification_bind_tcb(notification_t *n, tcb_t *t)
{
    n->bound_tcb = t;
    t->bound_notification = n;
}

void notification_unbind_tcb(notification_t *n)
{
    if (n->bound_tcb) {
        n->bound_tcb->bound_notification = NULL;
        n->bound_tcb = NULL;
    }
}

void notification_finalise(notification_t *n)
{
    if (n->sc)
        sched_context_unbind_notification(n->sc);
    notification_unbind_tcb(n);
    while (n->head) {
        tcb_t *t = n->head;
        notification_dequeue(n, t);
        arch_restart_syscall(&t->ctx);
        set_thread_state(t, thread_restart);
        possible_switch_to(t);
    }
    n->state = ntfn_idle;
}
