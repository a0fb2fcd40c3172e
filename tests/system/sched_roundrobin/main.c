/* Equal priorities (abi §10.1, §10.7): threads at one priority with round-robin SCs
 * (budget = period) share the CPU in turns of one budget each, in FIFO order; seL4_Yield
 * moves the caller to the back of its queue with a fresh budget; a round-robin thread alone
 * at its priority runs continuously. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sel4/sel4.h>
#include "../common/check.h"
#include "../common/thread.h"
#include "../common/sched_util.h"

#define SLICES 30
#define BUDGET_US 2000

static seL4_CPtr root_ntfn, park_ntfn;
static volatile int last_runner = -1, nlog;
static volatile int log_id[64];
static volatile uint64_t log_t[64];
static volatile int stop;

static void park(void)
{
    seL4_Word b;
    for (;;)
        seL4_Wait(park_ntfn, &b);
}

/* Busy threads: each switch between them is logged by the thread that now runs. */
static void spinner_fn(seL4_Word id, seL4_Word a1)
{
    (void)a1;
    for (;;) {
        if (stop)
            park();
        if (last_runner != (int)id) {
            last_runner = (int)id;
            log_t[nlog] = rdtsc();
            log_id[nlog] = (int)id;
            if (++nlog == SLICES + 1) {
                stop = 1;
                seL4_Signal(root_ntfn);
            }
        }
    }
}

static void yielder_fn(seL4_Word id, seL4_Word a1)
{
    (void)a1;
    for (int i = 0; i < 4; i++) {
        log_id[nlog++] = (int)id;
        seL4_Yield();
    }
    if (id == 2)
        seL4_Signal(root_ntfn);
    park();
}

/* Alone at its priority with a 1 ms round-robin SC: measures over 30 ms how much of the
 * time it ran (gaps longer than 50 us count as not running). */
static volatile uint64_t alone_run, alone_total, alone_max_gap;
static void alone_fn(seL4_Word a0, seL4_Word a1)
{
    (void)a0, (void)a1;
    uint64_t gap = us_to_tsc(50), start = rdtsc(), last = start, run = 0, maxgap = 0;
    while (last - start < us_to_tsc(30000)) {
        uint64_t now = rdtsc(), d = now - last;
        if (d < gap)
            run += d;
        else if (d > maxgap)
            maxgap = d;
        last = now;
    }
    alone_run = run, alone_total = last - start, alone_max_gap = maxgap;
    seL4_Signal(root_ntfn);
    park();
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
    seL4_Word b;
    struct test_thread t[3];

    /* ---- time slices: three busy threads, 2 ms round-robin budgets ---- */
    for (int i = 0; i < 3; i++) {
        t[i] = test_thread_new("spinner", 100, spinner_fn, (seL4_Word)i, 0, false, false);
        test_sc_configure(t[i].sc, BUDGET_US, BUDGET_US);
    }
    for (int i = 0; i < 3; i++)
        seL4_TCB_Resume(t[i].tcb);
    seL4_Wait(root_ntfn, &b);
    bool cyclic = nlog == SLICES + 1 && log_id[0] == 0;
    for (int i = 1; cyclic && i <= SLICES; i++)
        cyclic = log_id[i] == (log_id[i - 1] + 1) % 3;
    CHECK("three busy round-robin threads at one priority run in turns 0 1 2 0 1 2 ...", cyclic);
    if (!cyclic) {
        for (int i = 0; i < nlog; i++)
            printf(" %d", log_id[i]);
        printf("\n");
    }
    uint64_t slice[SLICES];
    for (int i = 0; i < SLICES; i++)
        slice[i] = tsc_to_us(log_t[i + 1] - log_t[i]);
    qsort(slice, SLICES, sizeof(slice[0]), cmp64);
    printf("turns of a 2000 us budget: median %lu us, min %lu us, max %lu us\n", (unsigned long)slice[SLICES / 2],
           (unsigned long)slice[0], (unsigned long)slice[SLICES - 1]);
    CHECK("each turn lasts about one budget: median within 1500..3000 us",
          slice[SLICES / 2] >= 1500 && slice[SLICES / 2] <= 3000);
    /* (The first switch of all runs the kernel's timer path for the first time: under TCG
     * its translation makes that one turn a few hundred microseconds shorter.) */
    CHECK("no turn is much shorter than the budget (min >= 1000 us)", slice[0] >= 1000);
    for (int i = 0; i < 3; i++)
        seL4_TCB_Suspend(t[i].tcb);

    /* ---- seL4_Yield: to the back of the queue ---- */
    nlog = 0;
    for (int i = 0; i < 3; i++) {
        test_sc_configure(t[i].sc, 5000, 5000);
        test_thread_restart(&t[i], yielder_fn, (seL4_Word)i, 0, true);
    }
    seL4_Wait(root_ntfn, &b);
    bool order = nlog == 12;
    for (int i = 0; order && i < 12; i++)
        order = log_id[i] == i % 3;
    CHECK("three threads that log and Yield four times: exactly 0 1 2 0 1 2 0 1 2 0 1 2", order);
    for (int i = 0; i < 3; i++)
        seL4_TCB_Suspend(t[i].tcb);

    /* Yield with no other thread at the caller's priority returns at once. */
    uint64_t t0 = rdtsc();
    for (int i = 0; i < 100; i++)
        seL4_Yield();
    uint64_t per = tsc_to_us(rdtsc() - t0) / 100;
    printf("seL4_Yield alone at its priority: %lu us each\n", (unsigned long)per);
    CHECK("seL4_Yield alone at its priority returns at once (< 200 us)", per < 200);

    /* ---- a round-robin SC alone at its priority runs continuously ---- */
    test_sc_configure(t[0].sc, 1000, 1000);
    test_thread_restart(&t[0], alone_fn, 0, 0, true);
    seL4_Wait(root_ntfn, &b);
    unsigned pct10 = (unsigned)(alone_run * 1000 / alone_total);
    printf("a 1 ms round-robin thread alone: ran %u.%u%% of %lu us, longest gap %lu us\n", pct10 / 10, pct10 % 10,
           (unsigned long)tsc_to_us(alone_total), (unsigned long)tsc_to_us(alone_max_gap));
    CHECK("a round-robin thread alone at its priority runs >= 90% of the time", pct10 >= 900);
    return check_failures;
}
