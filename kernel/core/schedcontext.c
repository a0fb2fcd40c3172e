/* Scheduling contexts: refills (sporadic servers), binding, donation, and the SchedControl
 * and SchedContext invocations (abi §5.7, §5.8, §10). */
#include "schedcontext.h"
#include "tcb.h"
#include "sched.h"
#include "notification.h"
#include "reply.h"
#include "invocation.h"
#include "arch.h"
#include "abi.h"

static uint64_t ticks_to_us(uint64_t t) { return t / arch_tsc_mhz(); }

/* ---- refills: a circular list, head first ---- */

static struct refill *refill_at(sched_context_t *sc, unsigned i)
{
    return &sc_refills(sc)[(sc->refill_head + i) % sc->refill_max];
}
static struct refill *refill_tail(sched_context_t *sc) { return refill_at(sc, sc->refill_count - 1u); }

static void refill_pop_head(sched_context_t *sc)
{
    sc->refill_head = (uint16_t)((sc->refill_head + 1) % sc->refill_max);
    sc->refill_count--;
}


void refill_new(sched_context_t *sc, word_t max_refills, uint64_t budget, uint64_t period)
{
    sc->period = period;
    sc->budget = budget;
    sc->refill_max = (uint16_t)max_refills;
    sc->refill_head = 0;
    sc->refill_count = 1;
    *refill_head(sc) = (struct refill){ ks_cur_time, budget };
}

/* A new budget/period for an SC whose thread is running: keep what it has now, trimmed to
 * the new budget, and give the rest one period later. */
void refill_update(sched_context_t *sc, uint64_t budget, uint64_t period, word_t max_refills)
{
    struct refill head = *refill_head(sc);
    sc->refill_max = (uint16_t)max_refills;
    sc->refill_head = 0;
    sc->refill_count = 1;
    sc->period = period;
    sc->budget = budget;
    if (head.time < ks_cur_time)
        head.time = ks_cur_time;
    if (head.amount >= budget) {
        head.amount = budget;
        *refill_head(sc) = head;
    } else {
        *refill_head(sc) = head;
        *refill_at(sc, 1) = (struct refill){ head.time + period, budget - head.amount };
        sc->refill_count = 2;
    }
}

/* Budget that was used becomes available again one period after it was used. */
static void schedule_used(sched_context_t *sc, struct refill used)
{
    if (sc->refill_count == 0) {
        sc->refill_count = 1;
        *refill_head(sc) = used;
        return;
    }
    struct refill *tail = refill_tail(sc);
    if (used.time <= tail->time + tail->amount) {
        tail->amount += used.amount; /* overlaps the tail: merge */
    } else if (sc->refill_count < sc->refill_max) {
        sc->refill_count++;
        *refill_tail(sc) = used;
    } else {
        tail->time = used.time - tail->amount; /* full: the tail absorbs it, later */
        tail->amount += used.amount;
    }
}

void refill_charge(sched_context_t *sc, uint64_t usage)
{
    if (!sc_active(sc))
        return;
    if (sc_round_robin(sc)) {
        struct refill *h = refill_head(sc);
        h->amount = h->amount > usage ? h->amount - usage : 0;
        return;
    }
    /* Sporadic: consume from the head (and, on overrun, from the following refills). */
    while (usage > 0) {
        struct refill *h = refill_head(sc);
        if (usage < h->amount) {
            schedule_used(sc, (struct refill){ h->time + sc->period, usage });
            h->amount -= usage;
            h->time += usage;
            usage = 0;
        } else {
            struct refill whole = { h->time + sc->period, h->amount };
            usage -= h->amount;
            if (sc->refill_count > 1) {
                refill_pop_head(sc);
                schedule_used(sc, whole);
            } else {
                /* The only refill: it all comes back next period, and an overrun beyond it
                 * is charged to that refill too (it delays the budget, as in seL4). */
                *h = whole;
            }
        }
    }
    /* A head too small to run on is merged into the next refill. */
    while (sc->refill_count > 1 && refill_head(sc)->amount < min_budget_ticks()) {
        uint64_t rest = refill_head(sc)->amount;
        refill_pop_head(sc);
        refill_head(sc)->amount += rest;
        refill_head(sc)->time -= MIN(rest, refill_head(sc)->time);
    }
}

/* A sporadic thread that was blocked: budget in the past is available from now on, so it
 * cannot bank budget across a long block. Without the sporadic flag (seL4's default) the
 * refills keep their times: the thread may catch up on what it did not use. */
void refill_unblock_check_sporadic(sched_context_t *sc)
{
    if (sc == ks_running_sc || !sc_active(sc) || sc_round_robin(sc) ||
        !refill_ready(sc))
        return;
    struct refill *h = refill_head(sc);
    if (h->time < ks_cur_time)
        h->time = ks_cur_time;
    while (sc->refill_count > 1) {
        struct refill *next = refill_at(sc, 1);
        if (next->time > h->time + h->amount)
            break;
        uint64_t amount = next->amount;
        /* drop refill 1 by shifting the head forward onto it */
        struct refill merged = { h->time, h->amount + amount };
        refill_pop_head(sc);
        h = refill_head(sc);
        *h = merged;
    }
}

/* ---- binding ---- */

void sched_context_bind_tcb(sched_context_t *sc, tcb_t *t)
{
    sc->tcb = t;
    t->sc = sc;
    refill_unblock_check(sc);
    sched_admit(t);
}

void sched_context_unbind_tcb(sched_context_t *sc)
{
    tcb_t *t = sc->tcb;
    if (!t)
        return;
    sched_dequeue(t);
    release_dequeue(t);
    t->sc = NULL;
    sc->tcb = NULL;
}

/* Move an SC to another thread (donation over Call, return over Reply, notification lending). */
void sched_context_donate(sched_context_t *sc, tcb_t *to)
{
    tcb_t *from = sc->tcb;
    if (from) {
        if (from->in_ready_queue) /* (the tests spare the calls in the usual case) */
            sched_dequeue(from);
        if (from->in_release_queue)
            release_dequeue(from);
        from->sc = NULL;
    }
    sc->tcb = to;
    to->sc = sc;
}

void sched_context_bind_notification(sched_context_t *sc, notification_t *n)
{
    sc->notification = n;
    n->sc = sc;
}

void sched_context_unbind_notification(sched_context_t *sc)
{
    if (sc->notification) {
        sc->notification->sc = NULL;
        sc->notification = NULL;
    }
}

/* Leave the call stack: the reply at its head forgets this SC. */
static void sched_context_unbind_reply(sched_context_t *sc)
{
    if (sc->reply) {
        sc->reply->next = 0;
        sc->reply = NULL;
    }
}

void sched_context_complete_yield_to(tcb_t *yielder)
{
    sched_context_t *sc = yielder->yield_to;
    if (!sc)
        return;
    /* The yielder gets the consumed time as its reply (abi §10.3). */
    *arch_msg_register(&yielder->ctx, 0) = ticks_to_us(sc->consumed);
    yielder->ctx.ARCH_REG_INFO = seL4_MessageInfo_new(0, 0, 0, 1).words[0];
    sc->consumed = 0;
    sc->yield_from = NULL;
    yielder->yield_to = NULL;
}

void sched_context_unbind_all(sched_context_t *sc)
{
    sched_context_unbind_tcb(sc);
    sched_context_unbind_notification(sc);
    sched_context_unbind_reply(sc);
    if (sc->yield_from)
        sched_context_complete_yield_to(sc->yield_from);
}

void sched_context_finalise(sched_context_t *sc)
{
    sched_forget_sc(sc);
    sched_context_unbind_all(sc);
    sc->refill_max = 0; /* inactive */
}

/* ---- invocations ---- */

static word_t max_period_us(void) { return ~0ull / arch_tsc_mhz() / 8; }
static word_t min_budget_us(void) { return 2 * KERNEL_WCET_US * CONFIG_KERNEL_WCET_SCALE; }

word_t decode_sched_control_invocation(struct invocation *inv)
{
    if (inv->label != SchedControlConfigureFlags) {
        user_error("SchedControl: illegal operation (label %lu).", inv->label);
        return seL4_IllegalOperation;
    }
    cte_t *target = inv_extra_cap(inv, 0);
    if (!target || inv->length < 5) {
        user_error("SchedControl_ConfigureFlags: truncated message.");
        return seL4_TruncatedMessage;
    }
    word_t budget_us = inv_mr(inv, 0), period_us = inv_mr(inv, 1), extra = inv_mr(inv, 2);
    word_t badge = inv_mr(inv, 3), flags = inv_mr(inv, 4);
    if (budget_us > max_period_us() || period_us > max_period_us() ||
        us_to_ticks(budget_us) < min_budget_ticks() || us_to_ticks(period_us) < min_budget_ticks()) {
        user_error("SchedControl_ConfigureFlags: budget %lu us or period %lu us is outside %lu..%lu us.",
                   budget_us, period_us, min_budget_us(), max_period_us());
        return err_range(inv, min_budget_us(), max_period_us());
    }
    if (budget_us > period_us) {
        user_error("SchedControl_ConfigureFlags: budget %lu us is more than the period %lu us.", budget_us, period_us);
        return err_range(inv, min_budget_us(), period_us);
    }
    if (cap_get_type(target->cap) != cap_sched_context) {
        user_error("SchedControl_ConfigureFlags: the target is not a scheduling context cap.");
        return err_invalid_capability(inv, 1);
    }
    sched_context_t *sc = cap_ptr(target->cap);
    word_t max_refills = sc_max_refills(cap_sched_context_size_bits(target->cap));
    if (extra > max_refills - 2) {
        user_error("SchedControl_ConfigureFlags: %lu extra refills; this SC holds at most %lu.", extra, max_refills - 2);
        return err_range(inv, 0, max_refills - 2);
    }

    tcb_t *t = sc->tcb;
    if (t) {
        if (t == current_thread)
            sched_commit();
        sched_dequeue(t);
        release_dequeue(t);
    }
    uint64_t budget = us_to_ticks(budget_us), period = us_to_ticks(period_us);
    sc->size_bits = (uint8_t)cap_sched_context_size_bits(target->cap);
    if (budget == period)
        refill_new(sc, 2, budget, 0);
    else if (sc_active(sc) && t && thread_runnable(t))
        refill_update(sc, budget, period, extra + 2);
    else
        refill_new(sc, extra + 2, budget, period);
    sc->badge = badge;
    sc->sporadic = flags & seL4_SchedContext_Sporadic;
    if (t)
        sched_admit(t);
    return EXCEPTION_NONE;
}

static word_t reply_consumed(struct invocation *inv, sched_context_t *sc)
{
    if (sc->tcb && sc->tcb == current_thread)
        sched_commit();
    inv_reply_mr(inv, 0, ticks_to_us(sc->consumed));
    inv->reply_length = 1;
    sc->consumed = 0;
    return EXCEPTION_NONE;
}

static word_t sc_bind(struct invocation *inv, sched_context_t *sc, cte_t *obj)
{
    if (cap_get_type(obj->cap) == cap_thread) {
        tcb_t *t = cap_ptr(obj->cap);
        if (sc->tcb || t->sc) {
            user_error("SchedContext_Bind: the SC or the TCB is already bound.");
            return seL4_IllegalOperation;
        }
        if (!thread_runnable(t) && t->state != thread_inactive && !(sc_active(sc) && refill_ready(sc))) {
            user_error("SchedContext_Bind: the TCB is blocked and the SC's budget is not available.");
            return seL4_IllegalOperation;
        }
        sched_context_bind_tcb(sc, t);
        return EXCEPTION_NONE;
    }
    if (cap_get_type(obj->cap) == cap_notification) {
        notification_t *n = cap_ptr(obj->cap);
        if (sc->notification || n->sc) {
            user_error("SchedContext_Bind: the SC or the notification is already bound.");
            return seL4_IllegalOperation;
        }
        sched_context_bind_notification(sc, n);
        return EXCEPTION_NONE;
    }
    user_error("SchedContext_Bind: a %s cap cannot be bound.", cap_type_name(cap_get_type(obj->cap)));
    return err_invalid_capability(inv, 1);
}

static word_t sc_unbind_object(struct invocation *inv, sched_context_t *sc, cte_t *obj)
{
    if (cap_get_type(obj->cap) == cap_thread) {
        tcb_t *t = cap_ptr(obj->cap);
        if (t->sc != sc || t == current_thread) {
            user_error("SchedContext_UnbindObject: the TCB is not bound to this SC, or is the caller.");
            return seL4_IllegalOperation;
        }
        sched_context_unbind_tcb(sc);
        return EXCEPTION_NONE;
    }
    if (cap_get_type(obj->cap) == cap_notification) {
        if (((notification_t *)cap_ptr(obj->cap))->sc != sc) {
            user_error("SchedContext_UnbindObject: the notification is not bound to this SC.");
            return seL4_IllegalOperation;
        }
        sched_context_unbind_notification(sc);
        return EXCEPTION_NONE;
    }
    user_error("SchedContext_UnbindObject: a %s cap cannot be bound.", cap_type_name(cap_get_type(obj->cap)));
    return err_invalid_capability(inv, 1);
}

static word_t sc_yield_to(struct invocation *inv, sched_context_t *sc)
{
    tcb_t *caller = inv->thread, *t = sc->tcb;
    if (!t || t == caller || t->priority > caller->mcp) {
        user_error("SchedContext_YieldTo: the SC has no thread, is the caller's, or its priority is above the caller's MCP.");
        return seL4_IllegalOperation;
    }
    if (!thread_schedulable(t) && !t->in_ready_queue)
        return reply_consumed(inv, sc);
    sched_dequeue(t);
    sched_enqueue_front(t);
    if (t->priority < caller->priority)
        return reply_consumed(inv, sc);
    /* The target runs first; the caller gets its answer when it next runs. */
    caller->yield_to = sc;
    sc->yield_from = caller;
    sched_enqueue(caller);
    return EXCEPTION_NONE;
}

word_t decode_sched_context_invocation(struct invocation *inv)
{
    sched_context_t *sc = cap_ptr(inv->cap);
    cte_t *obj = inv_extra_cap(inv, 0);
    switch (inv->label) {
    case SchedContextConsumed:
        return reply_consumed(inv, sc);
    case SchedContextBind:
        if (!obj) {
            user_error("SchedContext_Bind: truncated message (no cap).");
            return seL4_TruncatedMessage;
        }
        return sc_bind(inv, sc, obj);
    case SchedContextUnbindObject:
        if (!obj) {
            user_error("SchedContext_UnbindObject: truncated message (no cap).");
            return seL4_TruncatedMessage;
        }
        return sc_unbind_object(inv, sc, obj);
    case SchedContextUnbind:
        if (sc->tcb && sc->tcb == current_thread) {
            user_error("SchedContext_Unbind: cannot unbind the caller's own SC.");
            return seL4_IllegalOperation;
        }
        sched_context_unbind_all(sc);
        return EXCEPTION_NONE;
    case SchedContextYieldTo:
        return sc_yield_to(inv, sc);
    default:
        user_error("SchedContext: illegal operation (label %lu).", inv->label);
        return seL4_IllegalOperation;
    }
}
