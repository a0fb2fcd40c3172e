/*
 * Timeout faults (abi §10.8, §11): a thread on a sporadic scheduling context (budget <
 * period) with a timeout endpoint (TCB_SetTimeoutEndpoint, TCB slot 4) that uses up its
 * budget sends the handler a Timeout fault: label 5, the timeout cap's badge, MR0 = the SC's
 * badge (SchedControl_ConfigureFlags), MR1 = the microseconds consumed since the last report.
 * A label-0 reply resumes it: it waits for its refill, runs its next budget and times out
 * again one period later; a reply can also set its registers (FaultIP first). A round-robin SC (budget == period) never raises a timeout fault,
 * and a thread without a timeout endpoint just waits for its refill.
 * The fault endpoint (slot 3) and the timeout endpoint are the same endpoint with different
 * badges, so the handler sees which cap the kernel used.
 */
#include <stdio.h>
#include <sel4/sel4.h>
#include "../common/check.h"
#include "../common/thread.h"
#include "../common/fault_helpers.h"

#define BUDGET_US 2000
#define PERIOD_US 20000
#define SC_BADGE 0x5c1
#define FAULT_BADGE 0x70
#define TIMEOUT_BADGE 0x71
#define RR_TIMEOUT_BADGE 0x72
#define WATCH_FAULT_BADGE 0x7d
#define WATCH_MSG_BADGE 0x7e
#define WATCH_LABEL 0x77
#define WATCH_MS 60
#define WATCH_BUDGET_US 500
#define WATCH_PERIOD_US 10000

static seL4_CPtr ep, freply, park_ntfn, watch_cap;
static uint64_t tsc_mhz;
static volatile uint64_t spin_count, rr_count, redirected_count;
static volatile unsigned watch_gaps;

static inline uint64_t rdtsc(void)
{
    uint32_t lo, hi;
    __asm__ volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi)::"memory");
    return ((uint64_t)hi << 32) | lo;
}

/* The TSC frequency from the extra BootInfo (abi §7.4). */
static uint64_t find_tsc_mhz(void)
{
    const seL4_BootInfo *bi = cairn_bootinfo();
    const char *extra = (const char *)bi + 4096;
    for (seL4_Word off = 0; off + sizeof(seL4_BootInfoHeader) <= bi->extraLen;) {
        const seL4_BootInfoHeader *h = (const seL4_BootInfoHeader *)(extra + off);
        if (h->len == 0)
            break;
        if (h->id == SEL4_BOOTINFO_HEADER_X86_TSC_FREQ)
            return *(const uint32_t *)(h + 1);
        off += h->len;
    }
    return 0;
}

static void spinner(seL4_Word a0, seL4_Word a1)
{
    (void)a0, (void)a1;
    for (;;)
        spin_count++;
}

/* Where a timeout reply sends the spinner (it never returns: it runs on the spinner's stack). */
static void redirected(void)
{
    for (;;)
        redirected_count++;
}

static void rr_spinner(seL4_Word a0, seL4_Word a1)
{
    (void)a0, (void)a1;
    for (;;)
        rr_count++;
}

/* Spins for WATCH_MS of wall-clock time on a small sporadic budget, counting the times it
 * found itself stopped for a while (waiting for its refill), then tells the root task. */
static void watchdog(seL4_Word a0, seL4_Word a1)
{
    (void)a0, (void)a1;
    uint64_t start = rdtsc(), last = start, gap = 3000 * tsc_mhz; /* 3 ms */
    for (;;) {
        uint64_t now = rdtsc();
        if (now - last > gap)
            watch_gaps++;
        last = now;
        if (now - start > WATCH_MS * 1000 * tsc_mhz)
            break;
    }
    seL4_Send(watch_cap, seL4_MessageInfo_new(WATCH_LABEL, 0, 0, 0));
    seL4_Word b;
    for (;;)
        seL4_Wait(park_ntfn, &b);
}

/* A thread with the given SC parameters, fault and timeout endpoints (0: none). */
static struct test_thread new_thread(const char *name, int prio, void (*fn)(seL4_Word, seL4_Word), seL4_Word budget,
                                     seL4_Word period, seL4_Word sc_badge, seL4_Word fault_badge, seL4_Word timeout_badge)
{
    struct test_thread t = faulter_new(name, prio, fn, 0, 0, mint_badged(ep, seL4_AllRights, fault_badge), false);
    seL4_Error e = seL4_SchedControl_ConfigureFlags(cairn_bootinfo()->schedcontrol.start, t.sc, budget, period, 0,
                                                    sc_badge, seL4_SchedContext_Sporadic);
    if (timeout_badge)
        e |= seL4_TCB_SetTimeoutEndpoint(t.tcb, mint_badged(ep, seL4_AllRights, timeout_badge));
    e |= seL4_TCB_Resume(t.tcb);
    if (e)
        printf("FAIL: setting up %s failed\n", name);
    return t;
}

int main(void)
{
    test_init();
    tsc_mhz = find_tsc_mhz();
    ep = test_alloc_obj(seL4_EndpointObject, 0);
    freply = test_alloc_obj(seL4_ReplyObject, 0);
    park_ntfn = test_alloc_obj(seL4_NotificationObject, 0);
    struct fault_msg m;

    /* 1. A sporadic SC that runs out of budget. */
    struct test_thread s = new_thread("spinner", 100, spinner, BUDGET_US, PERIOD_US, SC_BADGE, FAULT_BADGE, TIMEOUT_BADGE);
    fault_recv(ep, freply, &m);
    uint64_t t1 = rdtsc();
    seL4_Word used1 = m.mr[seL4_Timeout_Consumed];
    printf("timeout fault 1: consumed %lu us\n", (unsigned long)used1);
    CHECK("budget used up: Timeout fault, label 5, length 2, badge of the timeout cap 0x71, MR0 = the SC badge 0x5c1",
          m.label == seL4_Fault_Timeout && m.length == seL4_Timeout_Length && m.badge == TIMEOUT_BADGE &&
              m.mr[seL4_Timeout_Data] == SC_BADGE);
    CHECK("MR1 = the time consumed: the budget (2000 us), less at most twice the 20 us minimum budget, plus timer "
          "latency",
          used1 >= BUDGET_US - 40 && used1 <= BUDGET_US + 1500);
    uint64_t count1 = spin_count;
    reply_to_fault(freply, 0, 0);
    fault_recv(ep, freply, &m);
    uint64_t t2 = rdtsc();
    seL4_Word used2 = m.mr[seL4_Timeout_Consumed];
    printf("timeout fault 2: consumed %lu us, %lu us after the first\n", (unsigned long)used2,
           (unsigned long)((t2 - t1) / tsc_mhz));
    CHECK("after a label-0 reply the thread runs its next budget and times out again (same badges)",
          m.label == seL4_Fault_Timeout && m.badge == TIMEOUT_BADGE && m.mr[seL4_Timeout_Data] == SC_BADGE &&
              spin_count > count1);
    CHECK("the second report counts only the time since the first (consumed was reset)",
          used2 >= BUDGET_US - 40 && used2 <= BUDGET_US + 1500);
    CHECK("between the two it waited for its refill: at least period - budget (18 ms) passed",
          (t2 - t1) / tsc_mhz >= PERIOD_US - BUDGET_US - 1000);

    /* A reply in seL4_TimeoutReply order (FaultIP first) moves the thread elsewhere. */
    seL4_UserContext regs = { 0 };
    regs.rip = (seL4_Word)redirected;
    seL4_Send(freply, seL4_TimeoutReply_new(true, regs, 1));
    fault_recv(ep, freply, &m);
    CHECK("a 1-word TimeoutReply [FaultIP] resumes the thread in another function, which runs out of budget in its "
          "turn",
          m.label == seL4_Fault_Timeout && m.badge == TIMEOUT_BADGE && redirected_count > 0);
    seL4_TCB_Suspend(s.tcb);

    /* 2. A round-robin SC with a timeout endpoint never times out; a sporadic thread without
     * one just waits for its refills. */
    new_thread("rr-spinner", 100, rr_spinner, BUDGET_US, BUDGET_US, 0x5c2, FAULT_BADGE, RR_TIMEOUT_BADGE);
    watch_cap = mint_badged(ep, seL4_AllRights, WATCH_MSG_BADGE);
    new_thread("watchdog", 150, watchdog, WATCH_BUDGET_US, WATCH_PERIOD_US, 0x5c3, WATCH_FAULT_BADGE, 0);
    fault_recv(ep, freply, &m);
    printf("watchdog: %u waits for a refill in %d ms\n", watch_gaps, WATCH_MS);
    CHECK("the first message after 60 ms is the watchdog's own (label 0x77): no timeout fault from the round-robin "
          "SC, none from the watchdog",
          m.label == WATCH_LABEL && m.badge == WATCH_MSG_BADGE);
    CHECK("meanwhile the round-robin thread ran", rr_count > 0);
    CHECK("the watchdog (500 us every 10 ms, no timeout endpoint) was stopped for its refill at least 3 times",
          watch_gaps >= 3);
    seL4_Word badge = 0x1234;
    seL4_NBRecv(ep, &badge, freply);
    CHECK("and no fault message is pending", badge == 0);
    return 0;
}
