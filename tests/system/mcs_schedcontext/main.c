/* SchedContext_Bind, Unbind, UnbindObject, Consumed and YieldTo (abi §5.8, §10.3, §10.4):
 * each error with its exact reply, in the sheet's order, and the effects: binding an SC to
 * a runnable passive thread starts it, Unbind stops a thread without changing its state,
 * Consumed reports plausible microseconds and resets, YieldTo moves a lower-priority thread
 * to the head of its queue, runs an equal-priority one first and returns its consumed time. */
#include <stdio.h>
#include <string.h>
#include <sel4/sel4.h>
#include "../common/check.h"
#include "../common/thread.h"
#include "../common/sched_util.h"

static seL4_CPtr park_ntfn, root_ntfn, block_ntfn;
static volatile int log_[16], log_n;
static volatile uint64_t counter, progress;
static volatile int entries;

static void park(void)
{
    seL4_Word b;
    for (;;)
        seL4_Wait(park_ntfn, &b);
}

static void count_fn(seL4_Word a0, seL4_Word a1)
{
    (void)a0, (void)a1;
    entries++;
    for (uint64_t i = 1;; i++)
        progress = i, counter++;
}

static void log_fn(seL4_Word id, seL4_Word signal)
{
    log_[log_n++] = (int)id;
    if (signal)
        seL4_Signal(root_ntfn);
    park();
}

static void spin_then_log_fn(seL4_Word id, seL4_Word us)
{
    spin_us(us);
    log_[log_n++] = (int)id;
    park();
}

static void block_fn(seL4_Word a0, seL4_Word a1)
{
    (void)a0, (void)a1;
    seL4_Word b;
    seL4_Wait(block_ntfn, &b);
    log_[log_n++] = 77;
    park();
}

static volatile seL4_Word yield_err;
static void yield_to_fn(seL4_Word sc, seL4_Word a1)
{
    (void)a1;
    yield_err = (seL4_Word)seL4_SchedContext_YieldTo(sc).error;
    seL4_Signal(root_ntfn);
    park();
}

static struct raw_reply sc_inv(seL4_CPtr sc, seL4_Word label, seL4_CPtr cap, bool with_cap)
{
    return raw_invoke(sc, label, with_cap ? 1 : 0, &cap, 0, NULL);
}

int main(void)
{
    test_init();
    park_ntfn = test_alloc_obj(seL4_NotificationObject, 0);
    root_ntfn = test_alloc_obj(seL4_NotificationObject, 0);
    block_ntfn = test_alloc_obj(seL4_NotificationObject, 0);
    seL4_CPtr self = seL4_CapInitThreadTCB, root_sc = seL4_CapInitThreadSC;
    seL4_CPtr ep = test_alloc_obj(seL4_EndpointObject, 0);
    seL4_CPtr n1 = test_alloc_obj(seL4_NotificationObject, 0), n2 = test_alloc_obj(seL4_NotificationObject, 0);
    seL4_CPtr sc_a = test_alloc_obj(seL4_SchedContextObject, 8), sc_b = test_alloc_obj(seL4_SchedContextObject, 8);
    test_sc_configure(sc_a, 5000, 5000);
    test_sc_configure(sc_b, 5000, 5000);
    struct test_thread p = test_thread_new("passive", 100, count_fn, 0, 0, true, false);
    struct test_thread q = test_thread_new("q", 150, count_fn, 0, 0, true, false);
    struct raw_reply r;
    seL4_Word b;

    /* ---- Bind ---- */
    r = sc_inv(sc_a, SchedContextBind, 0, false);
    CHECK("Bind with no cap: TruncatedMessage", is_error0(r, seL4_TruncatedMessage));
    r = sc_inv(sc_a, SchedContextBind, ep, true);
    CHECK("Bind an endpoint: InvalidCapability(1)", is_invalid_cap(r, 1));
    r = sc_inv(sc_a, SchedContextBind, seL4_CapNull, true);
    CHECK("Bind a null cap: InvalidCapability(1)", is_invalid_cap(r, 1));

    /* A passive thread, resumed, never runs; binding an SC starts it. */
    struct test_thread pl = test_thread_new("passive-logger", 150, log_fn, 7, 0, true, false);
    log_n = 0;
    seL4_TCB_Resume(pl.tcb);
    seL4_TCB_SetPriority(self, self, 100);
    seL4_Yield();
    CHECK("a resumed thread without an SC does not run, even above the caller", log_n == 0);
    r = sc_inv(sc_a, SchedContextBind, pl.tcb, true);
    int logged = log_n; /* pl (150) ran at once, above us (100), and blocked */
    seL4_TCB_SetPriority(self, self, 255);
    CHECK("Bind(TCB) of a runnable passive thread: success, and it runs at once",
          r.label == 0 && r.length == 0 && logged == 1 && log_[0] == 7);
    seL4_SchedContext_UnbindObject(sc_a, pl.tcb);
    CHECK("bind sc_a to another passive thread (not started)", sc_inv(sc_a, SchedContextBind, p.tcb, true).label == 0);
    r = sc_inv(sc_a, SchedContextBind, q.tcb, true);
    CHECK("Bind an SC that already has a thread: IllegalOperation", is_error0(r, seL4_IllegalOperation));
    r = sc_inv(sc_b, SchedContextBind, p.tcb, true);
    CHECK("Bind a thread that already has an SC: IllegalOperation", is_error0(r, seL4_IllegalOperation));

    /* Binding a blocked thread needs a released SC. */
    struct test_thread bl = test_thread_new("blocked", 200, block_fn, 0, 0, false, true);
    seL4_TCB_SetPriority(self, self, 199); /* it runs and blocks */
    seL4_TCB_SetPriority(self, self, 255);
    seL4_SchedContext_Unbind(bl.sc);
    seL4_CPtr never = test_alloc_obj(seL4_SchedContextObject, 8);
    r = sc_inv(never, SchedContextBind, bl.tcb, true);
    CHECK("Bind an unconfigured SC to a blocked thread: IllegalOperation", is_error0(r, seL4_IllegalOperation));
    r = sc_inv(bl.sc, SchedContextBind, bl.tcb, true);
    CHECK("Bind a configured SC to it: success", r.label == 0);
    log_n = 0;
    seL4_Signal(block_ntfn);
    seL4_TCB_SetPriority(self, self, 199);
    seL4_TCB_SetPriority(self, self, 255);
    CHECK("... and it runs when woken", log_n == 1 && log_[0] == 77);

    /* Notifications */
    r = sc_inv(sc_b, SchedContextBind, n1, true);
    CHECK("Bind(notification): success", r.label == 0);
    r = sc_inv(sc_b, SchedContextBind, n2, true);
    CHECK("Bind a second notification to the SC: IllegalOperation", is_error0(r, seL4_IllegalOperation));
    seL4_CPtr sc_c = test_alloc_obj(seL4_SchedContextObject, 8);
    r = sc_inv(sc_c, SchedContextBind, n1, true);
    CHECK("Bind a notification that already has an SC: IllegalOperation", is_error0(r, seL4_IllegalOperation));

    /* ---- UnbindObject ---- */
    r = sc_inv(sc_a, SchedContextUnbindObject, 0, false);
    CHECK("UnbindObject with no cap: TruncatedMessage", is_error0(r, seL4_TruncatedMessage));
    r = sc_inv(sc_a, SchedContextUnbindObject, ep, true);
    CHECK("UnbindObject of an endpoint: InvalidCapability(1)", is_invalid_cap(r, 1));
    r = sc_inv(sc_a, SchedContextUnbindObject, q.tcb, true);
    CHECK("UnbindObject of a TCB not bound to this SC: IllegalOperation", is_error0(r, seL4_IllegalOperation));
    r = sc_inv(sc_a, SchedContextUnbindObject, n1, true);
    CHECK("UnbindObject of a notification bound to another SC: IllegalOperation", is_error0(r, seL4_IllegalOperation));
    r = sc_inv(root_sc, SchedContextUnbindObject, self, true);
    CHECK("UnbindObject of the caller from its own SC: IllegalOperation", is_error0(r, seL4_IllegalOperation));
    r = sc_inv(sc_b, SchedContextUnbindObject, n1, true);
    CHECK("UnbindObject of its notification: success; then it can be bound elsewhere",
          r.label == 0 && sc_inv(sc_c, SchedContextBind, n1, true).label == 0);

    /* UnbindObject / Unbind stop a running thread without changing its state. */
    seL4_TCB_Resume(p.tcb);
    seL4_TCB_SetPriority(self, self, 100);
    yield_for_us(6000);
    r = sc_inv(sc_a, SchedContextUnbindObject, p.tcb, true);
    uint64_t c1 = counter;
    yield_for_us(6000);
    CHECK("UnbindObject(TCB) of a running thread: success, it stops", r.label == 0 && counter == c1);
    uint64_t prog = progress;
    r = sc_inv(sc_a, SchedContextBind, p.tcb, true);
    yield_for_us(6000);
    CHECK("bound again it continues where it was (state unchanged, not restarted)",
          r.label == 0 && counter > c1 && progress > prog && entries == 1);
    r = sc_inv(sc_a, SchedContextUnbind, 0, false);
    c1 = counter;
    yield_for_us(6000);
    CHECK("Unbind: success, the thread stops", r.label == 0 && counter == c1);
    seL4_TCB_SetPriority(self, self, 255);
    r = sc_inv(root_sc, SchedContextUnbind, 0, false);
    CHECK("Unbind of the caller's own SC: IllegalOperation", is_error0(r, seL4_IllegalOperation));
    r = sc_inv(sc_c, SchedContextUnbind, 0, false);
    CHECK("Unbind of an SC with only a notification: success, it is free again",
          r.label == 0 && sc_inv(sc_b, SchedContextBind, n1, true).label == 0);
    r = sc_inv(never, SchedContextUnbind, 0, false);
    CHECK("Unbind of an SC bound to nothing: success", r.label == 0 && r.length == 0);

    /* ---- Consumed ---- */
    seL4_SchedContext_Bind(sc_a, p.tcb);
    seL4_SchedContext_Consumed(sc_a);
    seL4_TCB_SetPriority(self, self, 100);
    uint64_t t0 = rdtsc();
    yield_for_us(20000);
    seL4_TCB_SetPriority(self, self, 255);
    uint64_t wall = tsc_to_us(rdtsc() - t0);
    r = sc_inv(sc_a, SchedContextConsumed, 0, false);
    struct raw_reply r2 = sc_inv(sc_a, SchedContextConsumed, 0, false);
    printf("Consumed after sharing %lu us round robin with the root task: %lu us, then %lu us\n",
           (unsigned long)wall, (unsigned long)r.mr[0], (unsigned long)r2.mr[0]);
    CHECK("Consumed: reply length 1", r.label == 0 && r.length == 1);
    CHECK("Consumed is plausible: 30%..100% of the wall time", r.mr[0] >= wall * 3 / 10 && r.mr[0] <= wall);
    CHECK("Consumed again right away: reset, 0 (the thread has not run since)", r2.label == 0 && r2.mr[0] == 0);
    seL4_SchedContext_Consumed_t own = seL4_SchedContext_Consumed(root_sc);
    CHECK("Consumed of the caller's own SC works", own.error == 0 && own.consumed > 0);
    seL4_SchedContext_Unbind(sc_a);

    /* ---- SC and SchedControl caps in the send phase of a combined syscall: refused ---- */
    seL4_SchedContext_Bind(sc_a, p.tcb);
    seL4_TCB_SetPriority(self, self, 100);
    seL4_Signal(block_ntfn); /* so that the Wait half returns at once (nobody waits on it now) */
    seL4_NBSendWait(sc_a, seL4_MessageInfo_new(SchedContextUnbind, 0, 0, 0), block_ntfn, &b);
    c1 = counter;
    yield_for_us(6000);
    CHECK("NBSendWait with an SC cap as destination and label Unbind: nothing happens, its thread runs on",
          counter > c1);
    seL4_TCB_SetPriority(self, self, 255);
    seL4_SchedContext_Unbind(sc_a);
    seL4_CPtr unconf = test_alloc_obj(seL4_SchedContextObject, 8);
    struct test_thread u = test_thread_new("unconfigured", 200, log_fn, 40, 0, true, false);
    seL4_SchedContext_Bind(unconf, u.tcb);
    seL4_TCB_Resume(u.tcb);
    log_n = 0;
    seL4_Signal(block_ntfn);
    seL4_SetMR(0, 1000), seL4_SetMR(1, 1000), seL4_SetMR(2, 0), seL4_SetMR(3, 0), seL4_SetMR(4, 0);
    seL4_SetCap(0, unconf);
    seL4_NBSendWait(cairn_bootinfo()->schedcontrol.start, seL4_MessageInfo_new(SchedControlConfigureFlags, 0, 1, 5),
                    block_ntfn, &b);
    seL4_TCB_SetPriority(self, self, 100);
    seL4_Yield();
    seL4_TCB_SetPriority(self, self, 255);
    CHECK("NBSendWait with the SchedControl cap and a ConfigureFlags message: not performed (the SC stays unusable)",
          log_n == 0);

    /* ---- YieldTo: errors ---- */
    r = sc_inv(root_sc, SchedContextYieldTo, 0, false);
    CHECK("YieldTo one's own SC: IllegalOperation", is_error0(r, seL4_IllegalOperation));
    r = sc_inv(sc_a, SchedContextYieldTo, 0, false);
    CHECK("YieldTo an SC without a thread: IllegalOperation", is_error0(r, seL4_IllegalOperation));
    /* A thread with MCP 100 yielding to an SC whose thread has priority 200. */
    struct test_thread hi = test_thread_new("hi", 200, log_fn, 50, 0, false, false);
    struct test_thread lo = test_thread_new("lo", 120, log_fn, 51, 0, false, false);
    seL4_TCB_SetMCPriority(lo.tcb, self, 100);
    yield_err = 99;
    test_thread_restart(&lo, yield_to_fn, hi.sc, 0, true);
    seL4_Wait(root_ntfn, &b);
    CHECK("YieldTo from a thread whose MCP (100) is below the target's priority (200): IllegalOperation",
          yield_err == seL4_IllegalOperation);
    r = sc_inv(hi.sc, SchedContextYieldTo, 0, false);
    CHECK("YieldTo a thread that is not runnable: success, consumed 0",
          r.label == 0 && r.length == 1 && r.mr[0] == 0);

    /* ---- YieldTo: effects ---- */
    /* Three threads at 50 queued a, b, c; YieldTo(c) from the root task (255): c is moved to
     * the head of its queue and the call returns at once. */
    log_n = 0;
    struct test_thread t[3];
    for (int i = 0; i < 3; i++)
        t[i] = test_thread_new("yt", 50, log_fn, (seL4_Word)i, i == 1, false, true);
    r = sc_inv(t[2].sc, SchedContextYieldTo, 0, false);
    CHECK("YieldTo a lower-priority thread: returns at once (nothing ran), length 1",
          r.label == 0 && r.length == 1 && log_n == 0);
    seL4_Wait(root_ntfn, &b);
    CHECK("... and that thread now runs first at its priority: 2 0 1",
          log_n == 3 && log_[0] == 2 && log_[1] == 0 && log_[2] == 1);

    /* Equal priority: the target runs first; the caller gets its consumed time afterwards. */
    log_n = 0;
    struct test_thread e = test_thread_new("equal", 100, spin_then_log_fn, 5, 3000, false, false);
    seL4_SchedContext_Consumed(e.sc);
    seL4_TCB_SetPriority(self, self, 100);
    seL4_TCB_Resume(e.tcb);
    r = sc_inv(e.sc, SchedContextYieldTo, 0, false);
    seL4_TCB_SetPriority(self, self, 255);
    printf("YieldTo an equal-priority thread that spins 3000 us: consumed %lu us\n", (unsigned long)r.mr[0]);
    CHECK("YieldTo an equal-priority thread: it runs first (until it blocks)", log_n == 1 && log_[0] == 5);
    CHECK("... and the caller's reply has length 1 with its consumed time (>= 2500 us)",
          r.label == 0 && r.length == 1 && r.mr[0] >= 2500 && r.mr[0] < 1000000);

    return check_failures;
}
