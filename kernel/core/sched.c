/*
 * The MCS scheduler. The running thread is never in a ready queue; every other schedulable
 * thread is, FIFO within its priority. Threads whose scheduling context has no budget left
 * wait in the release queue (ordered by the time their next refill becomes available).
 * Time is charged to the running SC lazily: when the SC changes, when a budget must be
 * checked (slow-path syscalls, timer interrupts) and on the way out of the kernel.
 */
#include "sched.h"
#include "tcb.h"
#include "schedcontext.h"
#include "syscall.h"
#include "arch.h"
#include "abi.h"

#define NUM_PRIOS (seL4_MaxPrio + 1)
static tcb_t *queue_head[NUM_PRIOS], *queue_tail[NUM_PRIOS];
static word_t prio_bitmap[NUM_PRIOS / 64]; /* bit p: a thread ready at priority p */
word_t sched_prio_words;                    /* bit w: prio_bitmap[w] is not 0 */
static tcb_t *release_head;

tcb_t *current_thread;
uint64_t ks_cur_time;
sched_context_t *ks_running_sc;  /* the SC time is being charged to */
uint64_t ks_charged_until;       /* ks_running_sc has been charged up to this time */
static uint64_t timer_deadline;  /* what the timer is programmed for (0: nothing) */
/* A thread woken by this kernel entry that may run next (seL4's "switch to" candidate). */
static tcb_t *candidate;

void sched_kernel_entry(void) { ks_cur_time = arch_timestamp(); }

void sched_discount_kernel_time(void)
{
    uint64_t now = arch_timestamp();
    ks_charged_until += now - ks_cur_time; /* what is charged later stays the same */
    ks_cur_time = now;
}

static void queue_insert(tcb_t *t, bool front)
{
    unsigned p = t->priority;
    if (front) {
        t->sched_prev = NULL;
        t->sched_next = queue_head[p];
        if (queue_head[p])
            queue_head[p]->sched_prev = t;
        else
            queue_tail[p] = t;
        queue_head[p] = t;
    } else {
        t->sched_next = NULL;
        t->sched_prev = queue_tail[p];
        if (queue_tail[p])
            queue_tail[p]->sched_next = t;
        else
            queue_head[p] = t;
        queue_tail[p] = t;
    }
    prio_bitmap[p / 64] |= BIT(p % 64);
    sched_prio_words |= BIT(p / 64);
    t->in_ready_queue = true;
}

void sched_enqueue(tcb_t *t)
{
    if (!t->in_ready_queue)
        queue_insert(t, false);
}

void sched_enqueue_front(tcb_t *t)
{
    if (!t->in_ready_queue)
        queue_insert(t, true);
}

void sched_dequeue(tcb_t *t)
{
    if (!t->in_ready_queue)
        return;
    unsigned p = t->priority;
    if (t->sched_prev)
        t->sched_prev->sched_next = t->sched_next;
    else
        queue_head[p] = t->sched_next;
    if (t->sched_next)
        t->sched_next->sched_prev = t->sched_prev;
    else
        queue_tail[p] = t->sched_prev;
    if (!queue_head[p]) {
        prio_bitmap[p / 64] &= ~BIT(p % 64);
        if (!prio_bitmap[p / 64])
            sched_prio_words &= ~BIT(p / 64);
    }
    t->in_ready_queue = false;
}

void release_enqueue(tcb_t *t)
{
    if (t->in_release_queue)
        return;
    uint64_t when = refill_head(t->sc)->time;
    tcb_t **link = &release_head;
    while (*link && refill_head((*link)->sc)->time <= when)
        link = &(*link)->release_next;
    t->release_next = *link;
    *link = t;
    t->in_release_queue = true;
}

void release_dequeue(tcb_t *t)
{
    if (!t->in_release_queue)
        return;
    for (tcb_t **link = &release_head; *link; link = &(*link)->release_next) {
        if (*link == t) {
            *link = t->release_next;
            break;
        }
    }
    t->release_next = NULL;
    t->in_release_queue = false;
}

/* A TCB or SC is being destroyed: the scheduler must not keep pointers to it. */
static bool current_thread_destroyed;

void sched_forget_thread(tcb_t *t)
{
    sched_dequeue(t);
    release_dequeue(t);
    if (candidate == t)
        candidate = NULL;
    if (current_thread == t)
        current_thread_destroyed = true;
}

void sched_forget_sc(sched_context_t *sc)
{
    if (ks_running_sc == sc) {
        sched_commit();
        ks_running_sc = NULL;
    }
}

bool thread_schedulable(const tcb_t *t)
{
    return thread_runnable(t) && t->sc && sc_active(t->sc) && !t->in_release_queue;
}

void sched_admit(tcb_t *t)
{
    if (!thread_runnable(t) || !t->sc || !sc_active(t->sc) || t->in_release_queue)
        return;
    if (refill_ready(t->sc) && refill_sufficient(t->sc, 0))
        sched_enqueue(t);
    else
        release_enqueue(t);
}

void possible_switch_to(tcb_t *t)
{
    if (t == current_thread || !thread_runnable(t) || !t->sc || !sc_active(t->sc) || t->in_release_queue)
        return;
    if (!(refill_ready(t->sc) && refill_sufficient(t->sc, 0))) {
        release_enqueue(t);
        return;
    }
    if (candidate && candidate != t) {
        sched_enqueue(candidate); /* two woken threads: let priorities decide */
        sched_enqueue(t);
        candidate = NULL;
        return;
    }
    candidate = t;
}

unsigned sched_highest_ready_prio(void)
{
    if (!sched_prio_words)
        return 0;
    unsigned w = 63 - (unsigned)__builtin_clzll(sched_prio_words);
    return w * 64 + 63 - (unsigned)__builtin_clzll(prio_bitmap[w]);
}

/* Charge ks_running_sc for the time since it was last charged. Inline in check_budget(),
 * which every general-path syscall calls, with refill_charge()'s round-robin case. */
static inline ALWAYS_INLINE void commit(void)
{
    sched_context_t *sc = ks_running_sc;
    if (sc && ks_cur_time > ks_charged_until) {
        uint64_t used = ks_cur_time - ks_charged_until;
        sc->consumed += used;
        if (sc_round_robin(sc) && sc_active(sc)) {
            struct refill *h = refill_head(sc);
            h->amount = h->amount > used ? h->amount - used : 0;
        } else {
            refill_charge(sc, used);
        }
    }
    ks_charged_until = ks_cur_time;
}

void sched_commit(void) { commit(); }

void end_timeslice(bool can_timeout_fault)
{
    tcb_t *t = current_thread;
    sched_context_t *sc = t->sc;
    if (can_timeout_fault && !sc_round_robin(sc) && thread_has_timeout_handler(t)) {
        raise_timeout_fault(t);
        return;
    }
    if (sc_round_robin(sc)) {
        /* Round robin: a fresh slice at the back of the queue. */
        refill_head(sc)->amount = sc->budget;
        refill_head(sc)->time = ks_cur_time;
        sched_enqueue(t);
    } else {
        release_enqueue(t);
    }
}

bool check_budget(void)
{
    commit();
    tcb_t *t = current_thread;
    if (!t || !t->sc || t->sc != ks_running_sc)
        return true;
    if (refill_ready(t->sc) && refill_sufficient(t->sc, 0))
        return true;
    if (thread_runnable(t))
        end_timeslice(true);
    return false;
}

void sched_yield_current(void)
{
    tcb_t *t = current_thread;
    sched_commit();
    if (!t->sc || !sc_active(t->sc))
        return;
    /* The rest of the head refill counts as used (but not as consumed time). */
    uint64_t consumed = t->sc->consumed;
    refill_charge(t->sc, refill_head(t->sc)->amount);
    t->sc->consumed = consumed;
    end_timeslice(false);
}

static tcb_t *highest_ready(void) { return sched_any_ready() ? queue_head[sched_highest_ready_prio()] : NULL; }

static void release_due_threads(void)
{
    while (release_head && refill_ready(release_head->sc)) {
        tcb_t *t = release_head;
        release_dequeue(t);
        if (refill_sufficient(t->sc, 0))
            sched_enqueue(t);
        else
            release_enqueue(t); /* still not enough (refills are being merged) */
    }
}

static void program_timer(tcb_t *next)
{
    uint64_t deadline = 0;
    /* The end of the head refill, less the timer's precision (1 us, as seL4 on x86): the
     * thread gets its whole budget, and what is left at the interrupt is too little to run. */
    uint64_t precision = arch_tsc_mhz();
    if (next && next->sc) {
        uint64_t amount = refill_head(next->sc)->amount;
        deadline = ks_cur_time + (amount > precision ? amount - precision : 0);
    }
    if (release_head) {
        uint64_t r = refill_head(release_head->sc)->time;
        if (!deadline || r < deadline)
            deadline = r;
    }
    if (deadline != timer_deadline) {
        timer_deadline = deadline;
        arch_set_timer_deadline(deadline);
    }
}

NORETURN void schedule_and_return(void)
{
    release_due_threads();
    if (current_thread_destroyed) {
        current_thread = NULL; /* its TCB is gone: nothing to save */
        current_thread_destroyed = false;
    }
    tcb_t *cur = current_thread, *next = NULL;
    bool cur_ok = cur && thread_schedulable(cur) && !cur->in_ready_queue;
    tcb_t *woken = candidate;
    candidate = NULL;
    if (woken && !thread_schedulable(woken))
        woken = NULL; /* it blocked again or lost its SC within this entry */
    if (woken) {
        /* The woken thread runs now if it beats the current one and every ready thread;
         * a tie with the current thread lets the current one go on. */
        if ((!cur_ok || woken->priority > cur->priority) &&
            (!sched_any_ready() || woken->priority >= sched_highest_ready_prio())) {
            next = woken;
            if (cur_ok)
                sched_enqueue_front(cur);
        } else {
            sched_enqueue(woken);
        }
    }
    if (!next) {
        tcb_t *cand = highest_ready();
        next = cand;
        if (cur_ok) {
            if (!cand || cand->priority <= cur->priority)
                next = cur;
            else
                sched_enqueue_front(cur); /* preempted: first in line at its priority */
        }
    }
    if (next)
        sched_dequeue(next);

    sched_context_t *next_sc = next ? next->sc : NULL;
    if (next_sc != ks_running_sc) {
        sched_commit();
        ks_running_sc = next_sc;
    }
    program_timer(next);
    if (!next) {
        current_thread = NULL;
        arch_idle();
    }
    if (next != cur) {
        arch_switch_thread(cur, next);
        current_thread = next;
    }
    if (next->state == thread_restart) {
        arch_restart_syscall(&next->ctx); /* Restart: resume at the restart PC */
        next->state = thread_running;
    }
    if (next->yield_to)
        sched_context_complete_yield_to(next);
    arch_restore_user(next);
}
