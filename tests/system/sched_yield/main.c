/* seL4_Yield under MCS (abi §10.7): a round-robin thread goes to the back of its queue and
 * comes back with a whole budget; a thread on a periodic SC gives up the rest of its budget
 * and sleeps until its next refill, one period later, while Consumed counts only the time it
 * really ran; Suspend/Resume cannot be used to get budget early (sel4test SCHED0016). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sel4/sel4.h>
#include "../common/check.h"
#include "../common/thread.h"
#include "../common/sched_util.h"

#define PERIODS 6

static seL4_CPtr root_ntfn, park_ntfn;
static volatile uint64_t stamps[PERIODS + 1];
static volatile int nstamps, state;
static volatile uint64_t b_counter, a_second_stretch, b_before, b_after;

static void park(void)
{
    seL4_Word b;
    for (;;)
        seL4_Wait(park_ntfn, &b);
}

/* Periodic: note the time, Yield (sleep until the next refill), PERIODS + 1 times. */
static void periodic_fn(seL4_Word a0, seL4_Word a1)
{
    (void)a0, (void)a1;
    while (nstamps <= PERIODS) {
        stamps[nstamps++] = rdtsc();
        seL4_Yield();
    }
    seL4_Signal(root_ntfn);
    park();
}

static void busy_fn(seL4_Word a0, seL4_Word a1)
{
    (void)a0, (void)a1;
    for (;;)
        b_counter++;
}

/* Round robin: use 3 ms of a 5 ms budget, Yield, then measure the next turn. */
static void rr_fn(seL4_Word a0, seL4_Word a1)
{
    (void)a0, (void)a1;
    spin_us(3000);
    b_before = b_counter;
    seL4_Yield();
    b_after = b_counter;
    /* This turn lasts until the busy thread runs again (its counter moves). */
    uint64_t start = rdtsc(), last = start;
    for (;;) {
        uint64_t now = rdtsc(); /* read before the check: a preemption in between is not counted */
        if (b_counter != b_after)
            break;
        last = now;
    }
    a_second_stretch = last - start;
    seL4_Signal(root_ntfn);
    park();
}

static void once_per_second_fn(seL4_Word a0, seL4_Word a1)
{
    (void)a0, (void)a1;
    for (;;) {
        state++;
        seL4_Yield();
    }
}

static int cmp64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

int main(void)
{
    test_init();
    root_ntfn = test_alloc_obj(seL4_NotificationObject, 0);
    park_ntfn = test_alloc_obj(seL4_NotificationObject, 0);
    seL4_CPtr self = seL4_CapInitThreadTCB;
    seL4_Word b;

    /* ---- periodic SC: Yield sleeps until the next refill ---- */
    struct test_thread p = test_thread_new("periodic", 200, periodic_fn, 0, 0, false, false);
    seL4_Error e = test_sc_configure(p.sc, 2000, 20000);
    seL4_SchedContext_Consumed(p.sc);
    seL4_TCB_Resume(p.tcb);
    seL4_Wait(root_ntfn, &b);
    uint64_t iv[PERIODS];
    for (int i = 0; i < PERIODS; i++)
        iv[i] = tsc_to_us(stamps[i + 1] - stamps[i]);
    seL4_SchedContext_Consumed_t c = seL4_SchedContext_Consumed(p.sc);
    printf("2 ms / 20 ms SC, Yield each period: intervals (us)");
    for (int i = 0; i < PERIODS; i++)
        printf(" %lu", (unsigned long)iv[i]);
    printf("; Consumed %lu us\n", (unsigned long)c.consumed);
    qsort(iv, PERIODS, sizeof(iv[0]), cmp64);
    CHECK("a 2 ms / 20 ms SC", e == seL4_NoError);
    CHECK("Yield on a periodic SC sleeps until the next period: median interval 18..24 ms",
          iv[PERIODS / 2] >= 18000 && iv[PERIODS / 2] <= 24000);
    CHECK("... never much less than a period (min >= 15 ms)", iv[0] >= 15000);
    CHECK("Consumed counts only the time really used, not the budgets given up (< 2000 us for 7 periods)",
          c.error == 0 && c.consumed < 2000);
    seL4_TCB_Suspend(p.tcb);

    /* ---- round robin: to the back of the queue, then a whole budget ---- */
    seL4_TCB_SetPriority(self, self, 200);
    struct test_thread a = test_thread_new("rr-a", 100, rr_fn, 0, 0, false, true);
    struct test_thread bb = test_thread_new("rr-b", 100, busy_fn, 0, 0, false, true);
    (void)a, (void)bb;
    seL4_Wait(root_ntfn, &b);
    seL4_TCB_Suspend(bb.tcb);
    printf("round robin: the turn after Yield lasted %lu us (budget 5000 us)\n",
           (unsigned long)tsc_to_us(a_second_stretch));
    CHECK("Yield of a round-robin thread lets the other thread at its priority run", b_after > b_before);
    CHECK("... and its next turn is a whole budget (>= 4000 us of 5000), not the 2000 us left",
          tsc_to_us(a_second_stretch) >= 4000);
    seL4_TCB_SetPriority(self, self, 255);

    /* ---- SCHED0016: Suspend/Resume does not give budget early ---- */
    struct test_thread o = test_thread_new("once-per-second", 100, once_per_second_fn, 0, 0, false, false);
    e = test_sc_configure(o.sc, 1000, 1000000);
    seL4_TCB_SetPriority(self, self, 100);
    seL4_TCB_Resume(o.tcb);
    seL4_Yield();
    int first = state;
    bool stays = true;
    for (int i = 0; i < 10; i++) {
        seL4_TCB_Suspend(o.tcb);
        seL4_TCB_Resume(o.tcb);
        seL4_Yield();
        stays = stays && state == 1;
    }
    seL4_TCB_SetPriority(self, self, 255);
    CHECK("a 1 ms / 1 s thread runs once and yields", e == 0 && first == 1);
    CHECK("10 x Suspend + Resume + Yield: it does not run again before its period", stays);
    return check_failures;
}
