/*
 * The IPC fastpath: seL4_Call to a passive server waiting in Recv, and seL4_ReplyRecv from
 * that server back to its caller, when nothing unusual is going on (no caps, at most the 4
 * register MRs, the right rights and states, and the thread to switch to is the one the
 * scheduler would pick anyway). Anything else falls through to the general path, which
 * gives the same result. The SC moves with the message (donation and its return), so no
 * time needs charging and the timer stays as it is.
 * And seL4_Signal when the signaller goes on running (fastpath_signal below).
 *
 * The syscall stub calls these functions directly; they never return (a case they do
 * not take goes on to handle_syscall()), so mk/kernel.mk lets gcc use every register here
 * without saving it. Every instruction counts on this path: the helpers are forced inline
 * and some tests are written the way gcc compiles shortest (see the comments).
 */
#include "fastpath.h"
#include "tcb.h"
#include "sched.h"
#include "cspace.h"
#include "endpoint.h"
#include "notification.h"
#include "reply.h"
#include "schedcontext.h"
#include "arch_switch.h"
#include "abi.h"

/* extraCaps (bits 7-8 of the MessageInfo) sits just above length (bits 0-6): this is the
 * length when there are no extra caps, and more than any length when there are. */
static inline ALWAYS_INLINE word_t length_and_caps(word_t info)
{
    _Static_assert(seL4_MsgExtraCapBits == 2 && seL4_MsgLengthBits == 7, "MessageInfo layout");
    return info & MASK(seL4_MsgLengthBits + seL4_MsgExtraCapBits);
}

/* No extra caps and at most the register MRs. */
static inline ALWAYS_INLINE bool fast_message(word_t info) { return length_and_caps(info) <= ARCH_NUM_MSG_REGISTERS; }

/* The receiver gets the sender's first `length` register MRs (the MR registers past the
 * length keep the receiver's own values, as on the general path) and a clean MessageInfo. */
static inline ALWAYS_INLINE void fast_transfer(tcb_t *from, tcb_t *to, word_t info, word_t badge)
{
    seL4_MessageInfo_t m = { .words = { info } };
    word_t length = length_and_caps(info); /* no extra caps here: the length */
    if (length) { /* (without this test gcc compares for every length, 0 included) */
        switch (length) { /* at most 4 (fast_message) */
        case 4:
            to->ctx.ARCH_REG_MR3 = from->ctx.ARCH_REG_MR3;
            /* fall through */
        case 3:
            to->ctx.ARCH_REG_MR2 = from->ctx.ARCH_REG_MR2;
            /* fall through */
        case 2:
            to->ctx.ARCH_REG_MR1 = from->ctx.ARCH_REG_MR1;
            /* fall through */
        case 1:
            to->ctx.ARCH_REG_MR0 = from->ctx.ARCH_REG_MR0;
        }
    }
    to->ctx.ARCH_REG_INFO =
        seL4_MessageInfo_new(seL4_MessageInfo_get_label(m), 0, 0, seL4_MessageInfo_get_length(m)).words[0];
    to->ctx.ARCH_REG_BADGE = badge;
}

/* The woken thread runs now if nothing ready outranks it. (A thread without a valid VSpace
 * needs no check here: the switch runs it in the kernel's address space, where it faults,
 * exactly as on the general path.) */
static inline ALWAYS_INLINE bool may_run_now(const tcb_t *t)
{
    return !sched_any_ready() || t->priority >= sched_highest_ready_prio();
}

static inline ALWAYS_INLINE NORETURN void fast_switch(tcb_t *to)
{
    current_thread = to;
    arch_fastpath_switch(to);
}

NORETURN void fastpath_call(void)
{
    tcb_t *caller = current_thread;
    word_t info = caller->ctx.ARCH_REG_INFO;
    if (!fast_message(info) || !caller->sc)
        handle_syscall((word_t)seL4_SysCall);
    cte_t *slot;
    if (!lookup_slot_fast(caller->cnode[tcb_slot_cspace].cap, caller->ctx.ARCH_REG_CAP, &slot))
        handle_syscall((word_t)seL4_SysCall);
    cap_t c = slot->cap;
    if (!cap_is_with_rights(c, cap_endpoint, (unsigned)seL4_CanWrite.words[0]) ||
        !cap_has_any_right(c, (unsigned)(seL4_CanGrant.words[0] | seL4_CanGrantReply.words[0])))
        handle_syscall((word_t)seL4_SysCall);
    endpoint_t *ep = cap_ptr(c);
    tcb_t *dest = ep->head;
    /* ep_state(ep) == ep_recv tested as one bit: the states are 0, 1 and 2. */
    if (!(ep->tail_state & ep_recv) || !dest->reply || dest->sc || !may_run_now(dest))
        handle_syscall((word_t)seL4_SysCall);

    /* What send_ipc + reply_push do, for this case only: dest leaves the queue (it is the
     * head), the reply object links the caller, the caller's SC moves to dest. */
    tcb_t *next = dest->ep_next;
    reply_t *reply = dest->reply;
    sched_context_t *sc = caller->sc;
    dest->ep_next = NULL; /* (the stores of NULL together: gcc zeroes one register for them) */
    dest->reply = NULL;
    caller->sc = NULL;
    ep->head = next; /* dest was the head: it leaves the queue */
    if (unlikely(next))
        next->ep_prev = NULL;
    else
        ep->tail_state = ep_idle;
    reply->tcb = caller;
    caller->reply = reply;
    caller->state = thread_blocked_on_reply;
    CALL_STACK_PUSH(reply, sc);
    sc->tcb = dest;
    dest->sc = sc;
    fast_transfer(caller, dest, info, cap_badge(c));
    dest->state = thread_running;
    fast_switch(dest);
}

NORETURN void fastpath_reply_recv(void)
{
    tcb_t *server = current_thread;
    word_t info = server->ctx.ARCH_REG_INFO;
    if (!fast_message(info))
        handle_syscall((word_t)seL4_SysReplyRecv);
    cap_t root = server->cnode[tcb_slot_cspace].cap;
    cte_t *ep_slot, *reply_slot;
    if (!lookup_slot_fast(root, server->ctx.ARCH_REG_CAP, &ep_slot))
        handle_syscall((word_t)seL4_SysReplyRecv);
    if (!lookup_slot_fast(root, server->ctx.ARCH_REG_REPLY, &reply_slot))
        handle_syscall((word_t)seL4_SysReplyRecv);
    cap_t ec = ep_slot->cap, rc = reply_slot->cap;
    if (!cap_is_with_rights(ec, cap_endpoint, (unsigned)seL4_CanRead.words[0]) ||
        cap_get_type(rc) != cap_reply)
        handle_syscall((word_t)seL4_SysReplyRecv);
    endpoint_t *ep = cap_ptr(ec);
    reply_t *reply = cap_ptr(rc);
    tcb_t *caller = reply->tcb;
    if (ep_state(ep) == ep_send)
        handle_syscall((word_t)seL4_SysReplyRecv);
    if (!caller || caller->state != thread_blocked_on_reply ||
        caller->fault.type != seL4_Fault_NullFault || caller->sc || !server->sc ||
        !reply_is_top_of(reply, server->sc) || !may_run_now(caller))
        handle_syscall((word_t)seL4_SysReplyRecv);
    notification_t *bound = server->bound_notification;
    if (bound && (bound->state == ntfn_active || bound->sc))
        handle_syscall((word_t)seL4_SysReplyRecv);

    /* What do_reply_transfer + receive_ipc do, for this case only: the reply object leaves
     * the call stack, the SC goes back to the caller, the server waits with the reply object. */
    sched_context_t *sc = server->sc;
    CALL_STACK_POP_TOP(reply, sc);
    sc->tcb = caller;
    caller->sc = sc;
    server->sc = NULL;
    caller->reply = NULL;
    fast_transfer(server, caller, info, 0);
    caller->state = thread_running;
    server->blocking_object = ep;
    server->reply = reply;
    reply->tcb = server;
    server->state = thread_blocked_on_recv;
    if (ep_state(ep) == ep_idle) { /* the usual case, the server alone: no priority order to find */
        server->ep_prev = server->ep_next = NULL;
        ep->head = server;
        ep->tail_state = (word_t)server | ep_recv;
    } else {
        endpoint_enqueue(ep, server, ep_recv);
    }
    fast_switch(caller);
}

/*
 * seL4_Signal (Send on a notification cap), one-level CSpace, no extra caps: what
 * send_signal() does, then what schedule_and_return() would. The notification becomes or
 * stays active, or its first waiter wakes: one of no higher priority than the signaller
 * becomes ready behind the threads of its priority and the signaller goes on, with no time
 * charged (sched.c charges lazily) and the timer as it is (the running SC and the release
 * queue stay the same); one of higher priority goes through the scheduler. Either way only
 * if check_budget() would let the signaller go on. Anything else takes the general path: a
 * passive or sporadic waiter, one whose budget is not available, a bound thread in Recv.
 */
NORETURN void fastpath_signal(void)
{
    tcb_t *t = current_thread;
    cte_t *slot;
    if (!lookup_slot_fast(t->cnode[tcb_slot_cspace].cap, t->ctx.ARCH_REG_CAP, &slot))
        handle_syscall((word_t)seL4_SysSend);
    cap_t c = slot->cap;
    /* The cap type first: a Send to an endpoint leaves at once. */
    if (!cap_is_with_rights(c, cap_notification, (unsigned)seL4_CanWrite.words[0]) ||
        !fast_message(t->ctx.ARCH_REG_INFO) || t->yield_to || !may_run_now(t))
        handle_syscall((word_t)seL4_SysSend);
    notification_t *n = cap_ptr(c);
    tcb_t *w = n->head;
    if (n->state == ntfn_waiting) {
        /* What possible_switch_to() needs to make w ready (refill_ready() with the entry's
         * time, which is earlier than now: if it holds, it holds now). */
        sched_context_t *sc = w->sc;
        if (!sc || sc->sporadic || !sc_active(sc) || w->in_release_queue || !refill_ready(sc) ||
            !refill_sufficient(sc, 0))
            handle_syscall((word_t)seL4_SysSend);
    } else if (n->state == ntfn_idle && n->bound_tcb && n->bound_tcb->state == thread_blocked_on_recv) {
        handle_syscall((word_t)seL4_SysSend); /* the bound thread's Recv ends */
    }
    uint64_t now = arch_fastpath_timestamp();
    if (!budget_left_fast(t->sc, now))
        handle_syscall((word_t)seL4_SysSend);

    word_t badge = cap_badge(c);
    switch (n->state) {
    case ntfn_idle:
        n->state = ntfn_active;
        n->badge = badge;
        break;
    case ntfn_active:
        n->badge |= badge;
        break;
    default: { /* waiting: w leaves the queue (it is the head) */
        tcb_t *next = w->ep_next;
        n->head = next;
        if (next) {
            next->ep_prev = NULL;
        } else {
            n->tail = NULL;
            n->state = ntfn_idle;
        }
        w->ep_next = NULL;
        w->ctx.ARCH_REG_BADGE = badge;
        w->state = thread_running;
        if (w->priority <= t->priority) {
            sched_enqueue(w);
            break;
        }
        /* w preempts the signaller: charge the time as check_budget() would have, and let
         * the scheduler switch (the SC changes, so does the timer). */
        ks_cur_time = now;
        sched_commit();
        possible_switch_to(w);
        schedule_and_return();
    }
    }
    arch_fastpath_restore(t);
}
