/* SchedControl_ConfigureFlags (abi §5.7): every check in the sheet's order with its exact
 * error reply. MIN_BUDGET is 20 us; MAX_PERIOD_US = (2^64 - 1) / TSC MHz / 8, computed from
 * the TSC frequency in the extra BootInfo; extra refills are bounded by the SC's size. Also
 * the boundaries that must succeed, and other labels on the SchedControl cap. */
#include <stdio.h>
#include <string.h>
#include <sel4/sel4.h>
#include "../common/check.h"
#include "../common/thread.h"
#include "../common/sched_util.h"

static seL4_CPtr sched_control, park_ntfn;
static volatile int marked;

static void mark_fn(seL4_Word a0, seL4_Word a1)
{
    (void)a0, (void)a1;
    marked = 1;
    seL4_Word b;
    for (;;)
        seL4_Wait(park_ntfn, &b);
}

/* ConfigureFlags by hand: 5 words, 1 cap. */
static struct raw_reply cf(seL4_CPtr sc, seL4_Word budget, seL4_Word period, seL4_Word extra, seL4_Word badge,
                           seL4_Word flags)
{
    seL4_Word mrs[5] = { budget, period, extra, badge, flags };
    return raw_invoke(sched_control, SchedControlConfigureFlags, 1, &sc, 5, mrs);
}

int main(void)
{
    test_init();
    sched_control = cairn_bootinfo()->schedcontrol.start;
    seL4_Word max_us = ~0ul / tsc_mhz() / 8, min_us = 20;
    printf("TSC %u MHz: MAX_PERIOD_US = %lu\n", tsc_mhz(), (unsigned long)max_us);
    seL4_CPtr sc = test_alloc_obj(seL4_SchedContextObject, 8);
    seL4_CPtr sc7 = test_alloc_obj(seL4_SchedContextObject, 7), sc10 = test_alloc_obj(seL4_SchedContextObject, 10);
    seL4_CPtr tcb = test_alloc_obj(seL4_TCBObject, 0);
    park_ntfn = test_alloc_obj(seL4_NotificationObject, 0);
    struct raw_reply r;

    CHECK("one SchedControl cap in BootInfo",
          cairn_bootinfo()->schedcontrol.end - cairn_bootinfo()->schedcontrol.start == 1);
    /* 1. Truncated */
    seL4_Word mrs[5] = { 1000, 1000, 0, 0, 0 };
    r = raw_invoke(sched_control, SchedControlConfigureFlags, 0, NULL, 5, mrs);
    CHECK("1. no cap: TruncatedMessage", is_error0(r, seL4_TruncatedMessage));
    r = raw_invoke(sched_control, SchedControlConfigureFlags, 1, &sc, 4, mrs);
    CHECK("1. 4 words: TruncatedMessage", is_error0(r, seL4_TruncatedMessage));
    /* 2.-5. the range of budget and period */
    r = cf(sc, max_us + 1, max_us + 1, 0, 0, 0);
    CHECK("2. budget above MAX_PERIOD_US: RangeError(20, MAX_PERIOD_US)", is_range(r, min_us, max_us));
    r = cf(sc, 1000, max_us + 1, 0, 0, 0);
    CHECK("3. period above MAX_PERIOD_US: RangeError(20, MAX_PERIOD_US)", is_range(r, min_us, max_us));
    r = cf(sc, 19, 1000, 0, 0, 0);
    CHECK("4. budget 19 us: RangeError(20, MAX_PERIOD_US)", is_range(r, min_us, max_us));
    r = cf(sc, 0, 1000, 0, 0, 0);
    CHECK("4. budget 0: RangeError(20, MAX_PERIOD_US)", is_range(r, min_us, max_us));
    r = cf(sc, 20, 19, 0, 0, 0);
    CHECK("5. period 19 us (before budget > period): RangeError(20, MAX_PERIOD_US)", is_range(r, min_us, max_us));
    r = cf(sc, 0, 0, 0, 0, 0);
    CHECK("budget 0 and period 0: RangeError(20, MAX_PERIOD_US)", is_range(r, min_us, max_us));
    /* 6. budget > period */
    r = cf(sc, 5000, 1000, 0, 0, 0);
    CHECK("6. budget 5000 > period 1000: RangeError(20, 1000)", is_range(r, min_us, 1000));
    r = cf(sc, 21, 20, 0, 0, 0);
    CHECK("6. budget 21 > period 20: RangeError(20, 20)", is_range(r, min_us, 20));
    /* 7. not an SC */
    r = cf(tcb, 1000, 1000, 0, 0, 0);
    CHECK("7. a TCB as target: InvalidCapability(1)", is_invalid_cap(r, 1));
    r = cf(seL4_CapNull, 1000, 1000, 0, 0, 0);
    CHECK("7. a null cap as target: InvalidCapability(1)", is_invalid_cap(r, 1));
    r = cf(tcb, 5000, 1000, 0, 0, 0);
    CHECK("6 before 7: a TCB target with budget > period: RangeError(20, 1000)", is_range(r, min_us, 1000));
    r = cf(tcb, 1000, 1000, 1000, 0, 0);
    CHECK("7 before 8: a TCB target with 1000 extra refills: InvalidCapability(1)", is_invalid_cap(r, 1));
    /* 8. extra refills: (2^size - 128) / 16 at most */
    r = cf(sc, 1000, 10000, 9, 0, 0);
    CHECK("8. 2^8-byte SC, 9 extra refills: RangeError(0, 8)", is_range(r, 0, 8));
    r = cf(sc7, 1000, 10000, 1, 0, 0);
    CHECK("8. 2^7-byte SC, 1 extra refill: RangeError(0, 0)", is_range(r, 0, 0));
    r = cf(sc10, 1000, 10000, 57, 0, 0);
    CHECK("8. 2^10-byte SC, 57 extra refills: RangeError(0, 56)", is_range(r, 0, 56));
    CHECK("seL4_MaxExtraRefills agrees: 0, 8 and 56 for 2^7, 2^8, 2^10",
          seL4_MaxExtraRefills(7) == 0 && seL4_MaxExtraRefills(8) == 8 && seL4_MaxExtraRefills(10) == 56);

    /* The boundaries succeed. */
    r = cf(sc, 20, 20, 0, 0, 0);
    CHECK("budget = period = 20 us: success, empty reply", r.label == 0 && r.length == 0);
    r = cf(sc, 20, max_us, 8, 0x1234, seL4_SchedContext_Sporadic);
    CHECK("budget 20 us, period MAX_PERIOD_US, 8 extra refills, a badge, sporadic: success", r.label == 0);
    r = cf(sc, max_us, max_us, 0, 0, 0);
    CHECK("budget = period = MAX_PERIOD_US: success", r.label == 0);
    r = cf(sc7, 1000, 10000, 0, 0, 0);
    CHECK("2^7-byte SC with 0 extra refills: success", r.label == 0);
    r = cf(sc10, 1000, 10000, 56, 0, ~0ul);
    CHECK("2^10-byte SC with 56 extra refills (unknown flag bits ignored): success", r.label == 0);
    CHECK("the libsel4 seL4_SchedControl_Configure wrapper (flags 0)",
          seL4_SchedControl_Configure(sched_control, sc, 5000, 10000, 0, 0) == seL4_NoError);

    /* An SC that was never configured cannot run its thread; configuring it starts it. */
    seL4_CPtr fresh = test_alloc_obj(seL4_SchedContextObject, 8);
    struct test_thread t = test_thread_new("waits-for-budget", 200, mark_fn, 0, 0, true, false);
    seL4_Error e = seL4_TCB_SetSchedParams(t.tcb, seL4_CapInitThreadTCB, 200, 200, fresh, seL4_CapNull);
    seL4_TCB_Resume(t.tcb);
    seL4_TCB_SetPriority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, 100);
    seL4_Yield();
    CHECK("a runnable thread bound to an unconfigured SC does not run", e == 0 && marked == 0);
    r = cf(fresh, 1000, 1000, 0, 0, 0);
    int after = marked;
    seL4_TCB_SetPriority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, 255);
    CHECK("ConfigureFlags of its SC: it runs at once (above the caller)", r.label == 0 && after == 1);

    /* Other labels on a SchedControl cap. */
    r = raw_invoke(sched_control, SchedContextBind, 1, &sc, 5, mrs);
    CHECK("a SchedContext label on SchedControl: IllegalOperation", is_error0(r, seL4_IllegalOperation));
    r = raw_invoke(sched_control, InvalidInvocation, 0, NULL, 0, mrs);
    CHECK("label 0 on SchedControl: IllegalOperation", is_error0(r, seL4_IllegalOperation));
    return check_failures;
}
