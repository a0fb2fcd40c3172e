/* Scheduling contexts (MCS): a budget that refills every period, kept as a circular list of
 * refills {time, amount} (sporadic servers); period 0 means round robin. Times are TSC ticks. */
#pragma once
#include "types.h"
#include "cap.h"
#include "arch.h"
#include "sched.h"
#include "config.h"

struct tcb;
struct reply;
struct notification;

struct refill {
    uint64_t time;   /* when this amount becomes available */
    uint64_t amount; /* ticks of budget */
};

#define SC_HEADER_BYTES 96 /* refills start here: an SC of 2^b bytes holds (2^b - 96) / 16 */

typedef struct sched_context {
    uint64_t period; /* ticks; 0 = round robin */
    uint64_t budget; /* ticks */
    uint64_t consumed; /* ticks since the last Consumed/Timeout report */
    word_t badge;      /* reported in timeout faults */
    struct tcb *tcb;   /* the thread running on it */
    struct reply *reply; /* head of the call stack: the reply of the last donating Call */
    struct notification *notification; /* bound notification (passive servers) */
    struct tcb *yield_from; /* a thread waiting in YieldTo for this SC's thread */
    uint16_t refill_max, refill_head, refill_count;
    uint8_t size_bits;
    bool sporadic;
} sched_context_t;

_Static_assert(sizeof(sched_context_t) <= SC_HEADER_BYTES, "SC header must leave room for refills");

static inline struct refill *sc_refills(sched_context_t *sc)
{
    return (struct refill *)((uint8_t *)sc + SC_HEADER_BYTES);
}
static inline word_t sc_max_refills(unsigned size_bits) { return (BIT(size_bits) - SC_HEADER_BYTES) / sizeof(struct refill); }
static inline bool sc_active(const sched_context_t *sc) { return sc->refill_max > 0; }
static inline bool sc_round_robin(const sched_context_t *sc) { return sc->period == 0; }
static inline struct refill *refill_head(sched_context_t *sc) { return &sc_refills(sc)[sc->refill_head]; }

/* Budget bookkeeping (schedcontext.c). The kernel's WCET estimate is seL4's; the minimum
 * budget is twice it (abi §5.7). */
#define KERNEL_WCET_US 10
static inline uint64_t us_to_ticks(uint64_t us) { return us * arch_tsc_mhz(); }
static inline uint64_t min_budget_ticks(void) { return us_to_ticks(2 * KERNEL_WCET_US * CONFIG_KERNEL_WCET_SCALE); }
static inline uint64_t wcet_ticks(void) { return us_to_ticks(KERNEL_WCET_US * CONFIG_KERNEL_WCET_SCALE); }
/* The head refill can be used now / holds enough to run on after `usage` more. */
static inline ALWAYS_INLINE bool refill_ready(sched_context_t *sc) { return refill_head(sc)->time <= ks_cur_time + wcet_ticks(); }
static inline ALWAYS_INLINE bool refill_sufficient(sched_context_t *sc, uint64_t usage)
{
    uint64_t amount = refill_head(sc)->amount;
    return amount > usage && amount - usage >= min_budget_ticks();
}
/* For a fastpath, which does not charge time: would check_budget() at time `now` let the
 * current thread, on sc, go on? It would charge the time since ks_charged_until to the head
 * refill first (refill_charge: amount less that, and for a sporadic SC time plus that). */
static inline ALWAYS_INLINE bool budget_left_fast(sched_context_t *sc, uint64_t now)
{
    uint64_t used = now - ks_charged_until; /* ks_charged_until <= ks_cur_time <= now */
    return sc == ks_running_sc && sc && sc_active(sc) && refill_head(sc)->time + used <= now + wcet_ticks() &&
           refill_sufficient(sc, used);
}
void refill_new(sched_context_t *sc, word_t max_refills, uint64_t budget, uint64_t period);
void refill_update(sched_context_t *sc, uint64_t budget, uint64_t period, word_t max_refills);
void refill_charge(sched_context_t *sc, uint64_t usage);
/* A thread on sc was woken (IPC, signal, resume, bind): for a sporadic SC that is not the
 * running one, budget left over from the past becomes available from now on. */
void refill_unblock_check_sporadic(sched_context_t *sc);
static inline void refill_unblock_check(sched_context_t *sc)
{
    if (sc && sc->sporadic) /* inline: most SCs are not sporadic and every wake-up asks */
        refill_unblock_check_sporadic(sc);
}

void sched_context_bind_tcb(sched_context_t *sc, struct tcb *t);
void sched_context_unbind_tcb(sched_context_t *sc);
void sched_context_donate(sched_context_t *sc, struct tcb *to);
void sched_context_bind_notification(sched_context_t *sc, struct notification *n);
void sched_context_unbind_notification(sched_context_t *sc);
void sched_context_unbind_all(sched_context_t *sc);
void sched_context_complete_yield_to(struct tcb *yielder);
void sched_context_finalise(sched_context_t *sc);

struct invocation;
word_t decode_sched_context_invocation(struct invocation *inv);
word_t decode_sched_control_invocation(struct invocation *inv);
