/* MCS reply objects and the call stack of donated scheduling contexts (abi §10.5).
 * A donating Call pushes its reply object on the SC's call stack: sc->reply is the top, each
 * reply's prev is the one below, and the top reply's next holds the SC (tagged with bit 0). */
#include "reply.h"
#include "tcb.h"
#include "schedcontext.h"
#include "sched.h"
#include "ipc.h"
#include "syscall.h"
#include "abi.h"

static sched_context_t *reply_head_sc(const reply_t *r)
{
    return (r->next & REPLY_NEXT_IS_SC) ? (sched_context_t *)(r->next & ~REPLY_NEXT_IS_SC) : NULL;
}

void reply_push(tcb_t *caller, tcb_t *callee, reply_t *reply, bool can_donate)
{
    sched_context_t *sc = caller->sc;
    reply->tcb = caller;
    caller->reply = reply;
    set_thread_state(caller, thread_blocked_on_reply);
    if (can_donate && sc && !callee->sc) {
        CALL_STACK_PUSH(reply, sc);
        sched_context_donate(sc, callee);
    }
}

/* Cut the call stack at this reply: what is above it (the reply above, or the SC when this
 * reply is on top) and the reply below lose their links to it. Like seL4, the two parts are
 * not joined again, and the SC stays where it is. */
static void cut_call_stack(reply_t *reply)
{
    sched_context_t *sc = reply_head_sc(reply);
    if (sc)
        sc->reply = NULL;
    else if (reply->next)
        ((reply_t *)reply->next)->prev = NULL;
    if (reply->prev)
        reply->prev->next = 0;
    reply->prev = NULL;
    reply->next = 0;
}

/* Take the reply out of the call stack for a reply (or the deletion of the reply object):
 * on top it is popped and the SC goes back to the caller (when the caller has none of its
 * own); anywhere else the stack is cut there. */
static void unlink_call_stack(reply_t *reply, tcb_t *caller)
{
    sched_context_t *sc = reply_head_sc(reply);
    if (!sc) {
        cut_call_stack(reply);
        return;
    }
    CALL_STACK_POP_TOP(reply, sc);
    if (!caller->sc && sc->tcb != caller)
        sched_context_donate(sc, caller);
}

void reply_pop(reply_t *reply, tcb_t *caller)
{
    unlink_call_stack(reply, caller);
    reply->tcb = NULL;
    caller->reply = NULL;
}

void reply_remove(reply_t *reply, tcb_t *t)
{
    if (t->state == thread_blocked_on_reply)
        cut_call_stack(reply); /* a cancelled caller does not get its SC back */
    reply->tcb = NULL;
    t->reply = NULL;
}

void do_reply_transfer(tcb_t *replier, reply_t *reply, bool can_grant)
{
    tcb_t *caller = reply->tcb;
    if (!caller || caller->state != thread_blocked_on_reply)
        return;
    reply_pop(reply, caller);
    if (caller->fault.type == seL4_Fault_NullFault) {
        do_ipc_transfer(replier, NULL, 0, can_grant, caller);
        set_thread_state(caller, thread_running);
    } else {
        bool restart = handle_fault_reply(caller, replier);
        bool was_timeout = caller->fault.type == seL4_Fault_Timeout;
        caller->fault.type = seL4_Fault_NullFault;
        if (!restart) {
            set_thread_state(caller, thread_inactive);
            return;
        }
        arch_restart_syscall(&caller->ctx);
        set_thread_state(caller, thread_restart);
        if (was_timeout) {
            possible_switch_to(caller);
            return;
        }
    }
    /* The returned SC may have run out while the callee used it. */
    if (caller->sc && sc_active(caller->sc) && !(refill_ready(caller->sc) && refill_sufficient(caller->sc, 0)) &&
        thread_has_timeout_handler(caller) && !sc_round_robin(caller->sc)) {
        raise_timeout_fault(caller);
        return;
    }
    possible_switch_to(caller);
}

void reply_finalise(reply_t *reply)
{
    tcb_t *t = reply->tcb;
    if (!t)
        return;
    if (t->state == thread_blocked_on_reply) {
        reply_pop(reply, t); /* as a reply would: the top pops and returns the SC, lower down the stack is cut */
        t->fault.type = seL4_Fault_NullFault;
        set_thread_state(t, thread_inactive);
        return;
    }
    reply_remove(reply, t);
    if (t->state == thread_blocked_on_recv) {
        cancel_ipc(t); /* a server receiving with this reply object */
        set_thread_state(t, thread_inactive);
    }
}
