/*
 * dynamic-1: bring up the seL4 user libraries in a root task (BootInfo as a simple_t, an
 * allocman allocator behind a vka_t), then start a second thread that shares our CSpace and
 * VSpace. The thread is built by hand from a TCB: configure, priority, registers, resume.
 *
 * This is the scenario of seL4's "dynamic-1" tutorial with every task done, using the same
 * library calls. Cairn is an MCS kernel, which changes two things:
 *  - seL4_TCB_Configure takes no fault endpoint (MCS sets it with seL4_TCB_SetSchedParams or
 *    seL4_TCB_SetSpace), so the call has one argument fewer than in the tutorial;
 *  - a thread runs only on a scheduling context, so the new thread gets one of its own.
 * The tutorial's root task simply returns and leaves the new thread running; here the root
 * task's return ends the system, so it first waits for the thread to report in (a
 * notification) and then returns 0.
 */
#include <autoconf.h>
#include <stdio.h>
#include <sel4/sel4.h>
#include <simple/simple.h>
#include <simple-default/simple-default.h>
#include <vka/object.h>
#include <allocman/allocman.h>
#include <allocman/bootstrap.h>
#include <allocman/vka.h>
#include <utils/arith.h>
#include <utils/zf_log.h>
#include <sel4utils/sel4_zf_logif.h>
#include <sel4utils/thread.h>
#include <sel4platsupport/bootinfo.h>

/* Memory allocman keeps its own bookkeeping in until it can allocate more. */
#define ALLOCATOR_STATIC_POOL_SIZE (BIT(seL4_PageBits) * 10)
static char allocator_mem_pool[ALLOCATOR_STATIC_POOL_SIZE];

static seL4_BootInfo *info;
static simple_t simple;
static vka_t vka;
static allocman_t *allocman;

/* The second thread's stack: static memory in our own image. The ABI wants 16-byte
 * alignment, so the top is aligned and the thread starts as if just called. */
#define THREAD_2_STACK_WORDS 512
static seL4_Word thread_2_stack[THREAD_2_STACK_WORDS] __attribute__((aligned(16)));

/* Signalled by thread_2 once it has printed; the root task waits for it. */
static vka_object_t done_ntfn;

/* Budget and period (microseconds) of thread_2's scheduling context: a full budget, so it
 * shares the CPU round-robin like a thread on a non-MCS kernel. */
#define THREAD_2_PERIOD_US (CONFIG_BOOT_THREAD_TIME_SLICE * 1000)

/* thread_2 has no IPC buffer and no TLS: it only uses system calls that pass everything in
 * registers (seL4_DebugPutChar under printf, seL4_Signal, seL4_Wait). */
static void thread_2(void)
{
    printf("thread_2: hallo wereld\n");
    seL4_Signal(done_ntfn.cptr);
    /* Nothing more to do, and no function to return to: block for good. */
    for (;;)
        seL4_Wait(done_ntfn.cptr, NULL);
}

int main(void)
{
    int error;

    info = platsupport_get_bootinfo();
    ZF_LOGF_IF(info == NULL, "No BootInfo.");
    zf_log_set_tag_prefix("dynamic-1:");
    NAME_THREAD(seL4_CapInitThreadTCB, "dynamic-1");

    /* The boot environment as a simple_t, and show what the kernel gave us. */
    simple_default_init_bootinfo(&simple, info);
    simple_print(&simple);

    /* An allocator over BootInfo's untypeds and empty slots, seen through a vka_t. */
    allocman = bootstrap_use_current_simple(&simple, ALLOCATOR_STATIC_POOL_SIZE, allocator_mem_pool);
    ZF_LOGF_IF(allocman == NULL, "Could not create the allocator (is the static pool big enough?).");
    allocman_make_vka(&vka, allocman);

    /* The roots of our CSpace and VSpace: the new thread will use both. */
    seL4_CPtr cspace_cap = simple_get_cnode(&simple);
    seL4_CPtr pd_cap = simple_get_pd(&simple);

    /* A bare TCB: no address spaces, no registers, no time yet. */
    vka_object_t tcb_object = { 0 };
    error = vka_alloc_tcb(&vka, &tcb_object);
    ZF_LOGF_IFERR(error, "Could not allocate a TCB.");

    /* Our CSpace and VSpace; no IPC buffer (the thread does no message-register IPC). */
    error = seL4_TCB_Configure(tcb_object.cptr, cspace_cap, seL4_NilData, pd_cap, seL4_NilData, 0, 0);
    ZF_LOGF_IFERR(error, "Could not give the new TCB our CSpace and VSpace.");

    /* Just below ours: it runs once we block, so the output order does not depend on where
     * our round-robin timeslice happens to end (the tutorial uses seL4_MaxPrio). */
    error = seL4_TCB_SetPriority(tcb_object.cptr, simple_get_tcb(&simple), seL4_MaxPrio - 1);
    ZF_LOGF_IFERR(error, "Could not set the new thread's priority.");

    /* MCS: processor time comes from a scheduling context bound to the TCB. */
    vka_object_t sc_object = { 0 };
    error = vka_alloc_sched_context(&vka, &sc_object);
    ZF_LOGF_IFERR(error, "Could not allocate a scheduling context.");
    error = seL4_SchedControl_Configure(simple_get_sched_ctrl(&simple, 0), sc_object.cptr,
                                        THREAD_2_PERIOD_US, THREAD_2_PERIOD_US, 0, 0);
    ZF_LOGF_IFERR(error, "Could not configure the scheduling context.");
    error = seL4_SchedContext_Bind(sc_object.cptr, tcb_object.cptr);
    ZF_LOGF_IFERR(error, "Could not bind the scheduling context to the new thread.");

    error = vka_alloc_notification(&vka, &done_ntfn);
    ZF_LOGF_IFERR(error, "Could not allocate a notification.");

    NAME_THREAD(tcb_object.cptr, "dynamic-1: thread_2");

    /* Where it starts: thread_2, with the stack just below the top of thread_2_stack. */
    seL4_UserContext regs = { 0 };
    sel4utils_set_instruction_pointer(&regs, (seL4_Word)thread_2);
    uintptr_t stack_top = (uintptr_t)thread_2_stack + sizeof(thread_2_stack);
    ZF_LOGF_IF(stack_top % (2 * sizeof(seL4_Word)) != 0, "The stack top %#lx is not 16-byte aligned.",
               (unsigned long)stack_top);
    /* A function is entered with a return address on the stack: leave room for one. */
    sel4utils_set_stack_pointer(&regs, stack_top - sizeof(seL4_Word));

    /* Only the first two registers matter: the instruction and stack pointers. */
    error = seL4_TCB_WriteRegisters(tcb_object.cptr, 0, 0, 2, &regs);
    ZF_LOGF_IFERR(error, "Could not write the new thread's registers.");

    error = seL4_TCB_Resume(tcb_object.cptr);
    ZF_LOGF_IFERR(error, "Could not start the new thread.");
    printf("main: hello world\n");

    /* Our return would end the system: let thread_2 have its say first. */
    seL4_Wait(done_ntfn.cptr, NULL);
    return 0;
}
