/* Preemption order by priority (abi §10.1): the highest runnable thread runs; threads at
 * priorities 0..255 run strictly in priority order; a thread made runnable (Resume, a
 * Signal, SetPriority) at a higher priority than the running one runs at once, one at the
 * same priority does not; lowering one's own priority below a ready thread lets it run. */
#include <stdio.h>
#include <string.h>
#include <sel4/sel4.h>
#include "../common/check.h"
#include "../common/thread.h"
#include "../common/sched_util.h"

static seL4_CPtr root_ntfn, park_ntfn, wake_ntfn;
static volatile int log_[32], log_n;
static struct test_thread th[12];

static void record(int v) { log_[log_n++] = v; }

static void park(void)
{
    seL4_Word b;
    for (;;)
        seL4_Wait(park_ntfn, &b);
}

/* Order test: log the priority; the lowest one wakes the root task. */
static void prio_fn(seL4_Word prio, seL4_Word last)
{
    record((int)prio);
    if (last)
        seL4_Signal(root_ntfn);
    park();
}

static void log_and_park(seL4_Word id, seL4_Word a1)
{
    (void)a1;
    record((int)id);
    park();
}

/* Waits on wake_ntfn, then logs its id. */
static void waiter_fn(seL4_Word id, seL4_Word a1)
{
    (void)a1;
    seL4_Word b;
    seL4_Wait(wake_ntfn, &b);
    record((int)id);
    park();
}

/* The driver of the preemption tests, at priority 100; logs 1xx entries itself. */
static void driver_fn(seL4_Word a0, seL4_Word a1)
{
    (void)a0, (void)a1;
    seL4_CPtr me = th[0].tcb;
    record(100);
    seL4_TCB_Resume(th[1].tcb); /* priority 150: runs at once */
    record(101);
    seL4_TCB_Resume(th[2].tcb); /* priority 100: waits */
    record(102);
    seL4_Signal(wake_ntfn);      /* wakes th[3] (priority 120): runs at once */
    record(103);
    seL4_TCB_SetPriority(th[4].tcb, seL4_CapInitThreadTCB, 110); /* ready at 50, now 110: runs */
    record(104);
    seL4_TCB_SetPriority(me, seL4_CapInitThreadTCB, 40); /* below th[5] (50): it runs */
    record(105);
    seL4_Yield(); /* th[2] (100) is gone... the only other ready thread at 40 is none */
    record(106);
    seL4_Signal(root_ntfn);
    park();
}

int main(void)
{
    test_init();
    root_ntfn = test_alloc_obj(seL4_NotificationObject, 0);
    park_ntfn = test_alloc_obj(seL4_NotificationObject, 0);
    wake_ntfn = test_alloc_obj(seL4_NotificationObject, 0);
    seL4_Word b;

    /* ---- strict priority order, 0..255 ---- */
    static const int prios[] = { 63, 0, 255, 128, 1, 254, 200, 127, 64 };
    enum { N = sizeof(prios) / sizeof(prios[0]) };
    for (int i = 0; i < N; i++)
        th[i] = test_thread_new("prio", prios[i], prio_fn, (seL4_Word)prios[i], prios[i] == 0, false, false);
    for (int i = 0; i < N; i++)
        seL4_TCB_Resume(th[i].tcb);
    CHECK("nine threads resumed at 0..255: none runs while the root task (255) runs", log_n == 0);
    seL4_Wait(root_ntfn, &b);
    static const int want[] = { 255, 254, 200, 128, 127, 64, 63, 1, 0 };
    bool ok = log_n == N;
    for (int i = 0; ok && i < N; i++)
        ok = log_[i] == want[i];
    CHECK("when it blocks they run in priority order 255 254 200 128 127 64 63 1 0", ok);
    if (!ok) {
        for (int i = 0; i < log_n; i++)
            printf(" %d", log_[i]);
        printf("\n");
    }
    for (int i = 0; i < N; i++)
        seL4_TCB_Suspend(th[i].tcb);

    /* ---- preemption by newly runnable threads ---- */
    log_n = 0;
    seL4_CPtr self = seL4_CapInitThreadTCB;
    /* th[0] driver at 100; th[1] at 150 (suspended); th[2] at 100 (suspended);
     * th[3] at 120 blocked on wake_ntfn; th[4] ready at 50; th[5] ready at 50. */
    static const int pp[] = { 100, 150, 100, 120, 50, 50 };
    for (int i = 0; i < 6; i++) {
        seL4_TCB_SetPriority(th[i].tcb, self, pp[i]);
        seL4_TCB_SetMCPriority(th[i].tcb, self, 255);
    }
    test_thread_restart(&th[1], log_and_park, 1, 0, false);
    test_thread_restart(&th[2], log_and_park, 2, 0, false);
    test_thread_restart(&th[3], waiter_fn, 3, 0, true);
    test_thread_restart(&th[4], log_and_park, 4, 0, true);
    test_thread_restart(&th[5], log_and_park, 5, 0, true);
    /* Let th[3] reach its Wait (it is the only thread above 50 besides us). */
    seL4_TCB_SetPriority(self, self, 115);
    seL4_TCB_SetPriority(self, self, 255);
    CHECK("setup: th[3] is blocked, nothing logged yet", log_n == 0);
    test_thread_restart(&th[0], driver_fn, 0, 0, true);
    seL4_Wait(root_ntfn, &b);
    /* Expected: 100 | Resume(150) -> 1 | 101 | Resume(100): waits | 102 | Signal(120) -> 3 |
     * 103 | SetPriority(th[4], 110) -> 4 | 104 | drop to 40 -> th[2] (100), th[5] (50) | 105
     * | Yield | 106. */
    static const int want2[] = { 100, 1, 101, 102, 3, 103, 4, 104, 2, 5, 105, 106 };
    enum { N2 = sizeof(want2) / sizeof(want2[0]) };
    ok = log_n == N2;
    for (int i = 0; ok && i < N2; i++)
        ok = log_[i] == want2[i];
    if (!ok) {
        for (int i = 0; i < log_n; i++)
            printf(" %d", log_[i]);
        printf("\n");
    }
    CHECK("Resume of a higher-priority thread: it runs at once", log_n >= 3 && log_[1] == 1 && log_[2] == 101);
    CHECK("Resume of an equal-priority thread: it waits for its turn", log_n >= 4 && log_[3] == 102);
    CHECK("Signal waking a higher-priority thread: it runs at once", log_n >= 6 && log_[4] == 3 && log_[5] == 103);
    CHECK("SetPriority raising a ready thread above the caller: it runs at once",
          log_n >= 8 && log_[6] == 4 && log_[7] == 104);
    CHECK("lowering one's own priority: the ready threads above run first, highest first",
          log_n >= 11 && log_[8] == 2 && log_[9] == 5 && log_[10] == 105);
    CHECK("the whole sequence is exact", ok);
    return check_failures;
}
