/* System-test helpers for the TCB, scheduling and MCS tests: the TSC (user mode may read it;
 * its frequency is in the extra BootInfo chunk SEL4_BOOTINFO_HEADER_X86_TSC_FREQ), raw
 * invocations whose reply label, length and MRs can all be checked, a way for the root task
 * to let threads at its priority run, and restarting a test thread in another function.
 * Tests that measure time run under QEMU -icount (their qemu_args), so that a loaded host
 * cannot disturb the figures. */
#pragma once
#include <stdint.h>
#include <stdbool.h>
#include <sel4/sel4.h>
#include <cairn/runtime.h>
#include "thread.h"

static inline uint64_t rdtsc(void)
{
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi)::"memory");
    return ((uint64_t)hi << 32) | lo;
}

/* The TSC frequency in MHz from the extra BootInfo (abi §7.4), 0 if the chunk is missing. */
static __attribute__((unused)) uint32_t tsc_mhz(void)
{
    static uint32_t mhz;
    if (mhz)
        return mhz;
    seL4_BootInfo *bi = cairn_bootinfo();
    const char *p = (const char *)bi + 4096, *end = p + bi->extraLen;
    while (p + sizeof(seL4_BootInfoHeader) <= end) {
        const seL4_BootInfoHeader *h = (const seL4_BootInfoHeader *)p;
        if (h->len < sizeof(*h))
            break;
        if (h->id == SEL4_BOOTINFO_HEADER_X86_TSC_FREQ) {
            mhz = *(const uint32_t *)(p + sizeof(*h));
            return mhz;
        }
        p += h->len;
    }
    return 0;
}

static inline uint64_t us_to_tsc(uint64_t us) { return us * tsc_mhz(); }
static inline uint64_t tsc_to_us(uint64_t t) { return t / tsc_mhz(); }

static inline void spin_us(uint64_t us)
{
    uint64_t end = rdtsc() + us_to_tsc(us);
    while (rdtsc() < end)
        ;
}

/* Spin for `us`, yielding each time round: threads at the caller's priority share the CPU
 * (round robin) while the caller waits. */
static inline void yield_for_us(uint64_t us)
{
    uint64_t end = rdtsc() + us_to_tsc(us);
    while (rdtsc() < end)
        seL4_Yield();
}

/* A kernel invocation sent by hand, so that tests can send malformed messages and see the
 * whole reply: label (the error), length and the first MRs. */
struct raw_reply {
    seL4_Word label, length;
    seL4_Word mr[8];
};

static __attribute__((unused)) struct raw_reply raw_invoke(seL4_CPtr cap, seL4_Word label, seL4_Word ncaps,
                                                           const seL4_CPtr *caps, seL4_Word length,
                                                           const seL4_Word *mrs)
{
    for (seL4_Word i = 0; i < length; i++)
        seL4_SetMR(i, mrs[i]);
    for (seL4_Word i = 0; i < ncaps; i++)
        seL4_SetCap(i, caps[i]);
    for (seL4_Word i = length; i < 8; i++)
        seL4_SetMR(i, 0xdead0000 + i); /* so that MRs the kernel did not write are visible */
    seL4_MessageInfo_t info = seL4_Call(cap, seL4_MessageInfo_new(label, 0, ncaps, length));
    struct raw_reply r = { seL4_MessageInfo_get_label(info), seL4_MessageInfo_get_length(info), { 0 } };
    for (unsigned i = 0; i < 8; i++)
        r.mr[i] = seL4_GetMR(i);
    return r;
}

/* Error replies of abi §6, exactly: label and length and detail MRs. */
static inline bool is_error0(struct raw_reply r, seL4_Word err) { return r.label == err && r.length == 0; }
static inline bool is_invalid_cap(struct raw_reply r, seL4_Word index)
{
    return r.label == seL4_InvalidCapability && r.length == 1 && r.mr[0] == index;
}
static inline bool is_range(struct raw_reply r, seL4_Word min, seL4_Word max)
{
    return r.label == seL4_RangeError && r.length == 2 && r.mr[0] == min && r.mr[1] == max;
}

/* Start an existing test thread afresh at fn(arg0, arg1) on its own stack (keeping its TLS),
 * optionally resuming it. */
static __attribute__((unused)) seL4_Error test_thread_restart(const struct test_thread *t, void (*fn)(seL4_Word, seL4_Word),
                                                              seL4_Word arg0, seL4_Word arg1, bool resume)
{
    seL4_UserContext regs;
    seL4_Error e = seL4_TCB_ReadRegisters(t->tcb, true, 0, sizeof(regs) / sizeof(seL4_Word), &regs);
    if (e)
        return e;
    unsigned i = (unsigned)(((char *)t->ipc - test_ipc_pages[0]) / 4096);
    seL4_Word fs = regs.fs_base;
    memset(&regs, 0, sizeof(regs));
    regs.rip = (seL4_Word)fn;
    regs.rsp = (seL4_Word)(test_stacks[i] + TEST_STACK_SIZE - 8);
    regs.rdi = arg0;
    regs.rsi = arg1;
    regs.fs_base = fs;
    return seL4_TCB_WriteRegisters(t->tcb, resume, 0, sizeof(regs) / sizeof(seL4_Word), &regs);
}
