/* System-test helpers: threads in the root task's CSpace, in its address space (or another:
 * test_thread_create, and common/vspace.h). Each thread gets a TCB and (unless passive) an
 * SC, an IPC buffer (in the root's VSpace: a page of the image), its own stack and TLS
 * block. Objects come from the simple allocator. */
#pragma once
#include <stdint.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sel4/sel4.h>
#include <cairn/runtime.h>
#include <cairn/alloc.h>

#define TEST_MAX_THREADS 16
#define TEST_STACK_SIZE 16384

struct test_thread {
    seL4_CPtr tcb, sc;
    seL4_IPCBuffer *ipc;
};

static __attribute__((unused)) cairn_alloc_t test_alloc;
static __attribute__((unused)) unsigned test_threads_used;
static __attribute__((unused)) char test_ipc_pages[TEST_MAX_THREADS][4096] __attribute__((aligned(4096)));
static __attribute__((unused)) char test_stacks[TEST_MAX_THREADS][TEST_STACK_SIZE] __attribute__((aligned(16)));
static __attribute__((unused)) char test_tls[TEST_MAX_THREADS][1024] __attribute__((aligned(64)));
extern char __ehdr_start[];

static __attribute__((unused)) void test_init(void) { cairn_alloc_init(&test_alloc, cairn_bootinfo()); }

/* The frame cap of a page of the root task's image. */
static __attribute__((unused)) seL4_CPtr image_frame_cap(void *page)
{
    seL4_Word start = (seL4_Word)__ehdr_start & ~4095ul;
    return cairn_bootinfo()->userImageFrames.start + ((seL4_Word)page - start) / 4096;
}

static __attribute__((unused)) seL4_CPtr test_alloc_obj(seL4_Word type, seL4_Word size_bits)
{
    seL4_CPtr cap = 0;
    seL4_Error e = cairn_alloc_object(&test_alloc, type, size_bits, &cap);
    if (e != seL4_NoError) {
        printf("FAIL: allocating an object of type %lu failed with error %d\n", (unsigned long)type, (int)e);
        return 0;
    }
    return cap;
}

/* Configure an SC: budget and period in microseconds. */
static __attribute__((unused)) seL4_Error test_sc_configure(seL4_CPtr sc, seL4_Word budget_us, seL4_Word period_us)
{
    return seL4_SchedControl_ConfigureFlags(cairn_bootinfo()->schedcontrol.start, sc, budget_us, period_us, 0, 0, 0);
}

/* Create a thread running fn(arg0, arg1) at prio in the VSpace `vspace`; passive threads get
 * no SC. Its IPC buffer is the frame ipc_frame, at ipc_vaddr in that VSpace, and its stack ends
 * at stack_top there. Its TLS block is one of test_tls, in the root task's image (a thread in
 * another VSpace needs the image mapped there: common/vspace.h). The thread is started
 * (resumed) unless start is false. */
static __attribute__((unused)) struct test_thread test_thread_create(const char *name, int prio,
                                                                     void (*fn)(seL4_Word, seL4_Word),
                                                                     seL4_Word arg0, seL4_Word arg1, bool passive,
                                                                     bool start, seL4_CPtr vspace, seL4_Word ipc_vaddr,
                                                                     seL4_CPtr ipc_frame, seL4_Word stack_top)
{
    struct test_thread t = { 0 };
    unsigned i = test_threads_used++;
    if (i >= TEST_MAX_THREADS) {
        printf("FAIL: test helper: too many threads\n");
        return t;
    }
    t.tcb = test_alloc_obj(seL4_TCBObject, 0);
    t.ipc = (seL4_IPCBuffer *)ipc_vaddr;
    seL4_Error e = seL4_TCB_Configure(t.tcb, seL4_CapInitThreadCNode, 0, vspace, 0, ipc_vaddr, ipc_frame);
    if (e)
        printf("FAIL: %s: TCB_Configure: error %d\n", name, (int)e);
    if (!passive) {
        t.sc = test_alloc_obj(seL4_SchedContextObject, 8);
        if ((e = test_sc_configure(t.sc, 5000, 5000)))
            printf("FAIL: %s: SchedControl_Configure: error %d\n", name, (int)e);
    }
    e = seL4_TCB_SetSchedParams(t.tcb, seL4_CapInitThreadTCB, prio, prio, passive ? seL4_CapNull : t.sc, seL4_CapNull);
    if (e)
        printf("FAIL: %s: TCB_SetSchedParams: error %d\n", name, (int)e);
    seL4_DebugNameThread(t.tcb, name);

    uintptr_t tp = cairn_tls_init(test_tls[i], sizeof(test_tls[i]));
    *(seL4_IPCBuffer **)cairn_tls_variable(tp, &__sel4_ipc_buffer) = t.ipc;
    seL4_UserContext regs = { 0 };
    regs.rip = (seL4_Word)fn;
    regs.rsp = stack_top - 8; /* as if called */
    regs.rdi = arg0;
    regs.rsi = arg1;
    regs.fs_base = tp;
    e = seL4_TCB_WriteRegisters(t.tcb, start, 0, sizeof(regs) / sizeof(seL4_Word), &regs);
    if (e)
        printf("FAIL: %s: TCB_WriteRegisters: error %d\n", name, (int)e);
    return t;
}

/* Create a thread running fn(arg0, arg1) at prio in the root task's VSpace, with a stack and
 * an IPC buffer page of the image; passive threads get no SC. The thread is started
 * (resumed) unless start is false. */
static __attribute__((unused)) struct test_thread test_thread_new(const char *name, int prio, void (*fn)(seL4_Word, seL4_Word),
                                          seL4_Word arg0, seL4_Word arg1, bool passive, bool start)
{
    unsigned i = test_threads_used;
    if (i >= TEST_MAX_THREADS) {
        printf("FAIL: test helper: too many threads\n");
        return (struct test_thread){ 0 };
    }
    return test_thread_create(name, prio, fn, arg0, arg1, passive, start, seL4_CapInitThreadVSpace,
                              (seL4_Word)test_ipc_pages[i], image_frame_cap(test_ipc_pages[i]),
                              (seL4_Word)(test_stacks[i] + TEST_STACK_SIZE));
}
