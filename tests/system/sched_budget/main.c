/* Budget enforcement (abi §10.1, §10.2): a busy thread whose SC has a 1 ms budget every
 * 10 ms (SchedControl_ConfigureFlags, constant-bandwidth and sporadic) gets about 10% of
 * the CPU even though it is the highest-priority thread, in stretches no longer than its
 * budget; 3 ms every 10 ms gives about 30%. Measured with the TSC over 200 ms: by the thread
 * itself, by the lower-priority root task that gets the rest, and by SchedContext_Consumed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sel4/sel4.h>
#include "../common/check.h"
#include "../common/thread.h"
#include "../common/sched_util.h"

#define WINDOW_US 200000

/* What the budget thread measured: TSC ticks it ran, its longest uninterrupted stretch and
 * the lengths of its stretches (up to 64). */
static volatile uint64_t b_run, b_max_stretch, b_stretch[64];
static volatile unsigned b_nstretch;

static void budget_fn(seL4_Word a0, seL4_Word a1)
{
    (void)a0, (void)a1;
    uint64_t gap = us_to_tsc(300), last = rdtsc(), stretch = 0;
    for (;;) {
        uint64_t now = rdtsc(), d = now - last;
        if (d < gap) {
            b_run += d;
            stretch += d;
            if (stretch > b_max_stretch)
                b_max_stretch = stretch;
        } else {
            if (stretch && b_nstretch < 64)
                b_stretch[b_nstretch++] = stretch;
            stretch = 0;
        }
        last = now;
    }
}

static int cmp64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* Run the budget thread with (budget, period, flags) for WINDOW_US while the root task spins
 * at a lower priority; print and check the shares. */
static void measure(struct test_thread *t, seL4_Word budget, seL4_Word period, seL4_Word flags, unsigned lo_pct,
                    unsigned hi_pct)
{
    seL4_CPtr sched_control = cairn_bootinfo()->schedcontrol.start;
    seL4_Error e = seL4_SchedControl_ConfigureFlags(sched_control, t->sc, budget, period, 0, 0, flags);
    b_run = 0, b_max_stretch = 0, b_nstretch = 0;
    seL4_SchedContext_Consumed(t->sc); /* reset the counter */
    uint64_t gap = us_to_tsc(300), t0 = rdtsc(), last = t0, root_run = 0;
    test_thread_restart(t, budget_fn, 0, 0, true); /* higher priority: it runs at once */
    while (last - t0 < us_to_tsc(WINDOW_US)) {
        uint64_t now = rdtsc();
        if (now - last < gap)
            root_run += now - last;
        last = now;
    }
    seL4_TCB_Suspend(t->tcb);
    seL4_SchedContext_Consumed_t c = seL4_SchedContext_Consumed(t->sc);
    uint64_t total = rdtsc() - t0;
    unsigned self_pm = (unsigned)(b_run * 1000 / total), root_pm = (unsigned)(root_run * 1000 / total);
    unsigned cons_pm = (unsigned)(c.consumed * 1000 / tsc_to_us(total));
    unsigned rel_pm = (unsigned)(b_run * 1000 / (b_run + root_run));
    uint64_t st[64];
    unsigned n = b_nstretch;
    for (unsigned i = 0; i < n; i++)
        st[i] = b_stretch[i];
    qsort(st, n, sizeof(st[0]), cmp64);
    uint64_t median = n ? tsc_to_us(st[n / 2]) : 0;
    char name[160];
    printf("budget %lu us / period %lu us%s over %lu us: thread measured %u.%u%%, Consumed %lu us = %u.%u%%, "
           "root task %u.%u%%, thread/(thread+root) %u.%u%%, %u stretches: median %lu us, longest %lu us\n",
           (unsigned long)budget, (unsigned long)period, flags ? " (sporadic)" : "", (unsigned long)tsc_to_us(total),
           self_pm / 10, self_pm % 10, (unsigned long)c.consumed, cons_pm / 10, cons_pm % 10, root_pm / 10,
           root_pm % 10, rel_pm / 10, rel_pm % 10, n, (unsigned long)median, (unsigned long)tsc_to_us(b_max_stretch));
    snprintf(name, sizeof(name), "%lu/%lu us%s: ConfigureFlags succeeds", (unsigned long)budget,
             (unsigned long)period, flags ? " sporadic" : "");
    CHECK(name, e == seL4_NoError);
    snprintf(name, sizeof(name), "%lu/%lu us%s: the busy thread's own measure of its share is within %u%%..%u%%",
             (unsigned long)budget, (unsigned long)period, flags ? " sporadic" : "", lo_pct, hi_pct);
    CHECK(name, self_pm >= lo_pct * 10 && self_pm <= hi_pct * 10);
    snprintf(name, sizeof(name), "%lu/%lu us%s: SchedContext_Consumed gives a share within %u%%..%u%%",
             (unsigned long)budget, (unsigned long)period, flags ? " sporadic" : "", lo_pct, hi_pct);
    CHECK(name, c.error == 0 && cons_pm >= lo_pct * 10 && cons_pm <= hi_pct * 10);
    snprintf(name, sizeof(name), "%lu/%lu us%s: relative to the root task's share it is within %u%%..%u%%",
             (unsigned long)budget, (unsigned long)period, flags ? " sporadic" : "", lo_pct, hi_pct);
    CHECK(name, rel_pm >= lo_pct * 10 && rel_pm <= hi_pct * 10);
    /* The median, not the longest: under a loaded host QEMU may deliver a timer late. */
    snprintf(name, sizeof(name), "%lu/%lu us%s: it runs in stretches of about one budget (median %lu..%lu us)",
             (unsigned long)budget, (unsigned long)period, flags ? " sporadic" : "", (unsigned long)budget / 2,
             (unsigned long)budget + 300);
    CHECK(name, n >= 10 && median >= budget / 2 && median <= budget + 300);
}

/* Per mille of the next `us` microseconds that the caller runs. */
static unsigned own_share(uint64_t us)
{
    uint64_t gap = us_to_tsc(300), t0 = rdtsc(), last = t0, run = 0;
    while (last - t0 < us_to_tsc(us)) {
        uint64_t now = rdtsc();
        if (now - last < gap)
            run += now - last;
        last = now;
    }
    return (unsigned)(run * 1000 / (last - t0));
}

int main(void)
{
    test_init();
    printf("TSC %u MHz\n", tsc_mhz());
    /* The root task at 100 soaks up the time the budget thread (200) may not use. */
    seL4_TCB_SetPriority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, 100);
    struct test_thread t = test_thread_new("budget", 200, budget_fn, 0, 0, false, false);
    measure(&t, 1000, 10000, 0, 5, 20);
    measure(&t, 1000, 10000, seL4_SchedContext_Sporadic, 5, 20);
    measure(&t, 3000, 10000, 0, 20, 45);
    measure(&t, 20, 1000, 0, 1, 4); /* the minimum budget, 20 us */

    /* Reconfiguring the running thread's own SC takes effect at once: the root task (alone
     * now) on 2 ms every 4 ms runs about half the time, then on 5 ms round robin all of it. */
    seL4_CPtr sched_control = cairn_bootinfo()->schedcontrol.start;
    seL4_Error e = seL4_SchedControl_Configure(sched_control, seL4_CapInitThreadSC, 2000, 4000, 0, 0);
    unsigned half = own_share(40000);
    seL4_Error e2 = seL4_SchedControl_Configure(sched_control, seL4_CapInitThreadSC, 5000, 5000, 0, 0);
    unsigned full = own_share(40000);
    printf("the root task on its own SC: 2000/4000 us: %u.%u%%, then 5000/5000 us: %u.%u%%\n", half / 10, half % 10,
           full / 10, full % 10);
    CHECK("the root task reconfigures its own SC to 2 ms / 4 ms: it runs 35%..65% of the time",
          e == 0 && half >= 350 && half <= 650);
    CHECK("... and back to 5 ms round robin: >= 90%", e2 == 0 && full >= 900);
    return check_failures;
}
