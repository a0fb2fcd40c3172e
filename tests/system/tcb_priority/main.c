/* TCB_SetPriority, TCB_SetMCPriority and TCB_SetSchedParams (abi §5.3): the MCP authority
 * checks (RangeError(0, authority's MCP)), 256 priorities, and every check of
 * SetSchedParams in the sheet's order, each with its exact error reply; the effects:
 * a new priority and MCP take hold, binding an SC starts a runnable thread, a null SC
 * stops it. */
#include <stdio.h>
#include <string.h>
#include <sel4/sel4.h>
#include "../common/check.h"
#include "../common/thread.h"
#include "../common/sched_util.h"

static volatile int ran[4];
static volatile uint64_t counter;
static seL4_CPtr block_ntfn;

static void mark_fn(seL4_Word i, seL4_Word a1)
{
    (void)a1;
    ran[i] = 1;
    for (;;)
        seL4_Yield();
}

static void count_fn(seL4_Word a0, seL4_Word a1)
{
    (void)a0, (void)a1;
    for (;;)
        counter++;
}

static void block_fn(seL4_Word a0, seL4_Word a1)
{
    (void)a0, (void)a1;
    seL4_Word badge;
    for (;;) {
        seL4_Wait(block_ntfn, &badge);
        ran[3]++;
    }
}

/* SetSchedParams by hand: 2 words, 3 caps. */
static struct raw_reply ssp(seL4_CPtr tcb, seL4_CPtr auth, seL4_Word mcp, seL4_Word prio, seL4_CPtr sc, seL4_CPtr fault)
{
    seL4_CPtr caps[3] = { auth, sc, fault };
    seL4_Word mrs[2] = { mcp, prio };
    return raw_invoke(tcb, TCBSetSchedParams, 3, caps, 2, mrs);
}

int main(void)
{
    test_init();
    seL4_CPtr self = seL4_CapInitThreadTCB, ep = test_alloc_obj(seL4_EndpointObject, 0);
    seL4_CPtr ntfn = test_alloc_obj(seL4_NotificationObject, 0);
    block_ntfn = test_alloc_obj(seL4_NotificationObject, 0);
    struct test_thread a = test_thread_new("a", 10, mark_fn, 0, 0, false, false);
    struct test_thread b = test_thread_new("b", 10, mark_fn, 1, 0, false, false);
    struct raw_reply r;
    seL4_CPtr caps[1];
    seL4_Word mrs[2] = { 0 };

    /* ---- SetPriority / SetMCPriority ---- */
    caps[0] = self;
    r = raw_invoke(a.tcb, TCBSetPriority, 1, caps, 0, mrs);
    CHECK("SetPriority with no words: TruncatedMessage", is_error0(r, seL4_TruncatedMessage));
    mrs[0] = 5;
    r = raw_invoke(a.tcb, TCBSetPriority, 0, caps, 1, mrs);
    CHECK("SetPriority with no authority cap: TruncatedMessage", is_error0(r, seL4_TruncatedMessage));
    caps[0] = ep;
    r = raw_invoke(a.tcb, TCBSetPriority, 1, caps, 1, mrs);
    CHECK("SetPriority with an endpoint as authority: InvalidCapability(1)", is_invalid_cap(r, 1));
    mrs[0] = 256;
    r = raw_invoke(a.tcb, TCBSetPriority, 1, caps, 1, mrs);
    CHECK("SetPriority 256 with an endpoint as authority: the cap comes first", is_invalid_cap(r, 1));
    caps[0] = self;
    r = raw_invoke(a.tcb, TCBSetPriority, 1, caps, 1, mrs);
    CHECK("SetPriority 256 (root's MCP is 255): RangeError(0, 255)", is_range(r, 0, 255));
    CHECK("SetPriority 255 and 0: success", seL4_TCB_SetPriority(a.tcb, self, 255) == 0 &&
                                                seL4_TCB_SetPriority(a.tcb, self, 0) == 0);
    caps[0] = self, mrs[0] = 256;
    r = raw_invoke(a.tcb, TCBSetMCPriority, 1, caps, 1, mrs);
    CHECK("SetMCPriority 256: RangeError(0, 255)", is_range(r, 0, 255));
    r = raw_invoke(a.tcb, TCBSetMCPriority, 0, caps, 1, mrs);
    CHECK("SetMCPriority with no authority cap: TruncatedMessage", is_error0(r, seL4_TruncatedMessage));
    caps[0] = ntfn;
    r = raw_invoke(a.tcb, TCBSetMCPriority, 1, caps, 1, mrs);
    CHECK("SetMCPriority with a notification as authority: InvalidCapability(1)", is_invalid_cap(r, 1));

    /* a's MCP is 100: as an authority it allows up to 100, for priority and MCP alike. */
    CHECK("SetMCPriority(a, 100)", seL4_TCB_SetMCPriority(a.tcb, self, 100) == 0);
    caps[0] = a.tcb, mrs[0] = 101;
    r = raw_invoke(b.tcb, TCBSetPriority, 1, caps, 1, mrs);
    CHECK("SetPriority 101 with a (MCP 100) as authority: RangeError(0, 100)", is_range(r, 0, 100));
    r = raw_invoke(b.tcb, TCBSetMCPriority, 1, caps, 1, mrs);
    CHECK("SetMCPriority 101 with a as authority: RangeError(0, 100)", is_range(r, 0, 100));
    CHECK("SetPriority and SetMCPriority 100 with a as authority: success",
          seL4_TCB_SetPriority(b.tcb, a.tcb, 100) == 0 && seL4_TCB_SetMCPriority(b.tcb, a.tcb, 100) == 0);
    /* The authority's priority does not matter, only its MCP (a's priority is 0). */
    CHECK("... a's own priority (0) is no limit", seL4_TCB_SetPriority(b.tcb, a.tcb, 50) == 0);
    /* A lowered MCP cannot be raised again with the same authority. */
    seL4_TCB_SetMCPriority(a.tcb, self, 20);
    caps[0] = a.tcb, mrs[0] = 21;
    r = raw_invoke(a.tcb, TCBSetMCPriority, 1, caps, 1, mrs);
    CHECK("a (MCP 20) raising its own MCP to 21: RangeError(0, 20)", is_range(r, 0, 20));
    seL4_TCB_SetMCPriority(a.tcb, self, 255);

    /* ---- a new priority takes effect at once ---- */
    seL4_TCB_SetPriority(a.tcb, self, 10);
    seL4_TCB_Resume(a.tcb);
    CHECK("a at 10 does not run while the root task (255) runs", ran[0] == 0);
    seL4_TCB_SetPriority(a.tcb, self, 255);
    CHECK("SetPriority(a, 255): equal to the root task, a waits its turn", ran[0] == 0);
    seL4_Yield();
    CHECK("... after seL4_Yield a has run", ran[0] == 1);
    seL4_TCB_Suspend(a.tcb);
    seL4_TCB_SetPriority(b.tcb, self, 0);
    seL4_TCB_Resume(b.tcb);
    seL4_TCB_SetPriority(self, self, 1);
    CHECK("b at priority 0 does not run while the root task is at priority 1", ran[1] == 0);
    seL4_TCB_SetPriority(self, self, 0);
    seL4_Yield();
    CHECK("... and at 0, after a Yield, b (priority 0) has run", ran[1] == 1);
    seL4_TCB_SetPriority(self, self, 255);
    seL4_TCB_Suspend(b.tcb);

    /* ---- SetSchedParams, check by check ---- */
    struct test_thread c = test_thread_new("c", 100, count_fn, 0, 0, true, false); /* passive */
    seL4_CPtr sc1 = test_alloc_obj(seL4_SchedContextObject, 8), sc2 = test_alloc_obj(seL4_SchedContextObject, 8);
    test_sc_configure(sc1, 5000, 5000);
    test_sc_configure(sc2, 5000, 5000);
    seL4_CPtr caps3[3] = { self, sc1, seL4_CapNull };
    r = raw_invoke(c.tcb, TCBSetSchedParams, 3, caps3, 1, mrs);
    CHECK("1. SetSchedParams with 1 word: TruncatedMessage", is_error0(r, seL4_TruncatedMessage));
    r = raw_invoke(c.tcb, TCBSetSchedParams, 2, caps3, 2, mrs);
    CHECK("1. SetSchedParams with 2 caps: TruncatedMessage", is_error0(r, seL4_TruncatedMessage));
    r = ssp(c.tcb, ep, 300, 300, ep, ep);
    CHECK("2. authority not a TCB (everything else bad too): InvalidCapability(1)", is_invalid_cap(r, 1));
    r = ssp(c.tcb, b.tcb, 300, 0, ep, ntfn); /* b's MCP is 100 */
    CHECK("3. mcp 300 above the authority's MCP 100: RangeError(0, 100)", is_range(r, 0, 100));
    r = ssp(c.tcb, b.tcb, 100, 101, ep, ntfn);
    CHECK("4. priority 101 above the authority's MCP 100: RangeError(0, 100)", is_range(r, 0, 100));
    r = ssp(c.tcb, self, 256, 0, sc1, 0);
    CHECK("3. mcp 256 with the root's authority: RangeError(0, 255)", is_range(r, 0, 255));

    /* 5a: the target already has another SC. */
    CHECK("bind sc1 to c with SetSchedParams", ssp(c.tcb, self, 100, 100, sc1, 0).label == 0);
    r = ssp(c.tcb, self, 100, 100, sc2, ntfn);
    CHECK("5a. the target has a different SC (bad fault ep too): IllegalOperation", is_error0(r, seL4_IllegalOperation));
    CHECK("5a. the same SC again: success", ssp(c.tcb, self, 100, 100, sc1, 0).label == 0);
    /* 5b: the SC is bound to another thread. */
    struct test_thread d = test_thread_new("d", 100, count_fn, 0, 0, true, false);
    r = ssp(d.tcb, self, 100, 100, sc1, ntfn);
    CHECK("5b. the SC is bound to another thread: IllegalOperation", is_error0(r, seL4_IllegalOperation));
    /* 5c: a blocked target and an SC that is not active. */
    struct test_thread bl = test_thread_new("blocker", 200, block_fn, 0, 0, false, true);
    seL4_TCB_SetPriority(self, self, 150); /* bl (200) runs and blocks in Wait */
    seL4_TCB_SetPriority(self, self, 255);
    CHECK("SchedContext_Unbind of the blocked thread's SC", seL4_SchedContext_Unbind(bl.sc) == 0);
    seL4_CPtr fresh = test_alloc_obj(seL4_SchedContextObject, 8);
    r = ssp(bl.tcb, self, 200, 200, fresh, ntfn);
    CHECK("5c. blocked target, SC never configured: IllegalOperation", is_error0(r, seL4_IllegalOperation));
    CHECK("5c. blocked target, configured SC: success", ssp(bl.tcb, self, 200, 200, bl.sc, 0).label == 0);
    seL4_Signal(block_ntfn);
    seL4_TCB_SetPriority(self, self, 150);
    seL4_TCB_SetPriority(self, self, 255);
    CHECK("... and the thread runs on it when woken", ran[3] == 1);
    /* 6: a null SC. */
    r = ssp(self, self, 255, 255, seL4_CapNull, ntfn);
    CHECK("6. a null SC for the caller itself: IllegalOperation", is_error0(r, seL4_IllegalOperation));
    /* 7, 8: other cap types. */
    r = ssp(c.tcb, self, 100, 100, ep, ntfn);
    CHECK("7. an endpoint as SC (bad fault ep too): InvalidCapability(2)", is_invalid_cap(r, 2));
    r = ssp(c.tcb, self, 100, 100, sc1, ntfn);
    CHECK("8. a notification as fault endpoint: InvalidCapability(3)", is_invalid_cap(r, 3));
    seL4_CPtr ep_w;
    cairn_alloc_slot(&test_alloc, &ep_w);
    seL4_CNode_Mint(seL4_CapInitThreadCNode, ep_w, 64, seL4_CapInitThreadCNode, ep, 64, seL4_CanWrite, 0);
    r = ssp(c.tcb, self, 100, 100, sc1, ep_w);
    CHECK("8. an endpoint without Grant/GrantReply as fault endpoint: InvalidCapability(3)", is_invalid_cap(r, 3));
    r = ssp(c.tcb, self, 100, 100, sc1, ep);
    CHECK("an endpoint with all rights as fault endpoint: success", r.label == 0 && r.length == 0);

    /* Effects: priority, MCP, SC; a null SC unbinds a running thread's SC and stops it. */
    r = ssp(c.tcb, self, 90, 80, sc1, 0);
    caps[0] = c.tcb, mrs[0] = 91;
    struct raw_reply r2 = raw_invoke(d.tcb, TCBSetPriority, 1, caps, 1, mrs);
    CHECK("SetSchedParams set c's MCP to 90: c as authority allows 90, not 91",
          r.label == 0 && is_range(r2, 0, 90));
    seL4_TCB_Resume(c.tcb);
    seL4_TCB_SetPriority(self, self, 80);
    yield_for_us(12000);
    uint64_t c1 = counter;
    r = ssp(c.tcb, self, 90, 80, seL4_CapNull, 0);
    uint64_t c2 = counter;
    yield_for_us(12000);
    seL4_TCB_SetPriority(self, self, 255);
    CHECK("c at priority 80 on sc1 runs round robin with the root task at 80", c1 > 0);
    CHECK("SetSchedParams with a null SC unbinds it: c stops", r.label == 0 && counter == c2);
    r = ssp(c.tcb, self, 90, 80, sc2, 0);
    seL4_TCB_SetPriority(self, self, 80);
    yield_for_us(12000);
    seL4_TCB_SetPriority(self, self, 255);
    CHECK("SetSchedParams with another SC: c runs again", r.label == 0 && counter > c2);
    return check_failures;
}
