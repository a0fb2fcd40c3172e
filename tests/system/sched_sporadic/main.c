/* Sporadic vs constant-bandwidth scheduling contexts (abi §10.2, the Sporadic flag of
 * SchedControl_ConfigureFlags). A thread with 2 ms budget every 10 ms runs 1 ms, blocks,
 * and is woken 6 ms after it started. With the Sporadic flag the kernel's unblock check
 * moves its remaining budget to "now", so the 1 ms it then runs comes back only at 16 ms:
 * between 7.5 and 15 ms it gets 1 ms (the first refill, due at 10 ms). Without the flag the
 * refills keep their times: the 1 ms it runs after waking is charged as if used at 1 ms,
 * comes back at 11 ms and merges with the 10 ms refill, so it gets 2 ms in that window.
 * Timed with the TSC under -icount. */
#include <stdio.h>
#include <sel4/sel4.h>
#include "../common/check.h"
#include "../common/thread.h"
#include "../common/sched_util.h"

#define BUDGET_US 2000
#define PERIOD_US 10000
#define WAKE_US 6000
#define WINDOW_FROM_US 7500
#define WINDOW_TO_US 15000
#define END_US 20000

static seL4_CPtr ntfn;
static volatile uint64_t e0;         /* when the thread started its first run */
static volatile int phase;           /* 1: blocked after its first run; 2: measured */
static volatile uint64_t window_run; /* TSC ticks it ran in [WINDOW_FROM_US, WINDOW_TO_US) */
static volatile uint64_t first_after_wake;

static void sporadic_fn(seL4_Word a0, seL4_Word a1)
{
    (void)a0, (void)a1;
    seL4_Wait(ntfn, NULL);
    e0 = rdtsc();
    spin_us(1000);
    phase = 1;
    seL4_Wait(ntfn, NULL);
    uint64_t gap = us_to_tsc(100), last = rdtsc(), from = e0 + us_to_tsc(WINDOW_FROM_US),
             to = e0 + us_to_tsc(WINDOW_TO_US), end = e0 + us_to_tsc(END_US);
    first_after_wake = last - e0;
    window_run = 0;
    while (last < end) {
        uint64_t now = rdtsc();
        if (now - last < gap && now >= from && now < to)
            window_run += now - last;
        last = now;
    }
    phase = 2;
    seL4_Wait(ntfn, NULL);
}

/* Run the scenario on a fresh thread whose SC has the given flags; its run time in the window. */
static uint64_t run_scenario(seL4_Word flags)
{
    phase = 0;
    struct test_thread t = test_thread_new(flags ? "sporadic" : "constant", 200, sporadic_fn, 0, 0, false, false);
    seL4_Error e = seL4_SchedControl_ConfigureFlags(cairn_bootinfo()->schedcontrol.start, t.sc, BUDGET_US, PERIOD_US,
                                                    4, 0, flags);
    CHECK(flags ? "sporadic SC: ConfigureFlags succeeds" : "constant-bandwidth SC: ConfigureFlags succeeds", e == 0);
    seL4_TCB_Resume(t.tcb);     /* it runs (priority 200 > ours) and waits for the start */
    seL4_Signal(ntfn);          /* ... starts its first run at once */
    while (phase != 1)
        ;
    while (rdtsc() < e0 + us_to_tsc(WAKE_US))
        ;
    seL4_Signal(ntfn);
    while (phase != 2)
        ;
    seL4_TCB_Suspend(t.tcb);
    printf("%s: woken at %lu us after its start, ran %lu us between %u and %u us\n",
           flags ? "sporadic" : "constant bandwidth", (unsigned long)tsc_to_us(first_after_wake),
           (unsigned long)tsc_to_us(window_run), WINDOW_FROM_US, WINDOW_TO_US);
    return tsc_to_us(window_run);
}

int main(void)
{
    test_init();
    ntfn = test_alloc_obj(seL4_NotificationObject, 0);
    /* The root task (100) gets the time the test thread (200) may not use. */
    seL4_TCB_SetPriority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, 100);
    uint64_t constant = run_scenario(0);
    uint64_t sporadic = run_scenario(seL4_SchedContext_Sporadic);
    CHECK("without the Sporadic flag the budget it did not use before blocking is not moved: ~2 ms in the window",
          constant >= 1700 && constant <= 2300);
    CHECK("with the Sporadic flag the unblock check moves it to the wake-up: ~1 ms in the window",
          sporadic >= 700 && sporadic <= 1300);
    return check_failures;
}
