/* Threads made by sel4utils (libsel4utils' thread.h): a TCB with a stack and an IPC buffer in
 * a vspace, optionally a scheduling context and a reply object. Anything beyond configuring,
 * starting and cleaning up is done with the seL4 API on thread->tcb.cptr. */
#pragma once

#include <autoconf.h>
#include <stdbool.h>
#include <stddef.h>
#include <sel4/sel4.h>
#include <vka/vka.h>
#include <vka/object.h>
#include <vspace/vspace.h>
#include <sel4utils/thread_config.h>
#include <sel4utils/arch/util.h>

/* Give a thread a name in kernel debug messages (debug builds only). */
#ifdef CONFIG_DEBUG_BUILD
#define NAME_THREAD(_tcbcap, _name) seL4_DebugNameThread(_tcbcap, _name);
#else
#define NAME_THREAD(_tcbcap, _name)
#endif

typedef struct sel4utils_thread {
    vka_object_t tcb;
    vka_object_t sched_context;  /* cptr 0: none */
    void *stack_top;             /* one past the highest stack byte; NULL: no stack */
    void *initial_stack_pointer;
    size_t stack_size;           /* in 4 KiB pages */
    seL4_CPtr ipc_buffer;        /* frame cap of the IPC buffer (0: none) */
    seL4_Word ipc_buffer_addr;   /* its address in the thread's vspace */
    bool own_sc;                 /* sched_context was created here and is freed with the thread */
    bool own_reply;
    vka_object_t reply;
} sel4utils_thread_t;

typedef struct sel4utils_checkpoint {
    void *stack;
    seL4_UserContext regs;
    sel4utils_thread_t *thread;
} sel4utils_checkpoint_t;

/* A thread's entry function: the two arguments given to sel4utils_start_thread, and the
 * address of its IPC buffer. */
typedef void (*sel4utils_thread_entry_fn)(void *arg0, void *arg1, void *ipc_buf);

/* Allocate and configure a thread (TCB, IPC buffer and stack in `alloc`, a reply object on
 * MCS) in CSpace `cspace` with guard word `cspace_root_data`; priority 0 and, on MCS, no
 * scheduling context: it cannot run until it is given one. `parent` is the caller's own
 * vspace. 0 on success, -1 on failure (nothing is left allocated). */
int sel4utils_configure_thread(vka_t *vka, vspace_t *parent, vspace_t *alloc, seL4_CPtr fault_endpoint,
                               seL4_CNode cspace, seL4_Word cspace_root_data, sel4utils_thread_t *res);

/* As sel4utils_configure_thread, with everything taken from `config`. */
int sel4utils_configure_thread_config(vka_t *vka, vspace_t *parent, vspace_t *alloc,
                                      sel4utils_thread_config_t config, sel4utils_thread_t *res);

/* Start a configured thread at entry_point(arg0, arg1, ipc buffer address). The thread gets
 * its own TLS block (a copy of the program's TLS image, placed at the top of its stack, with
 * seL4's IPC buffer pointer set), so the thread must share the caller's address space and
 * program image. resume: 1 to run it now, 0 to leave it suspended. 0 on success. */
int sel4utils_start_thread(sel4utils_thread_t *thread, sel4utils_thread_entry_fn entry_point,
                           void *arg0, void *arg1, int resume);

/* Give back everything the thread owns (TCB, scheduling context and reply object if created
 * for it, IPC buffer, stack) and zero *thread. `vka` and `alloc` must be the ones it was
 * configured with. */
void sel4utils_clean_up_thread(vka_t *vka, vspace_t *alloc, sel4utils_thread_t *thread);

/* Save a (stopped) thread's registers and the used part of its stack; 0 on success. */
int sel4utils_checkpoint_thread(sel4utils_thread_t *thread, sel4utils_checkpoint_t *checkpoint, bool suspend);

/* Put a thread back to a checkpoint; `free` releases the checkpoint's memory. 0 on success. */
int sel4utils_checkpoint_restore(sel4utils_checkpoint_t *checkpoint, bool free, bool resume);

void sel4utils_free_checkpoint(sel4utils_checkpoint_t *checkpoint);

/* Print a fault message received from a fault endpoint, naming the thread. */
void sel4utils_print_fault_message(seL4_MessageInfo_t tag, const char *name);

/* Move a thread to another core: Cairn has one core, so this is -ENOSYS unless core 0. */
int sel4utils_set_sched_affinity(sel4utils_thread_t *thread, sched_params_t params);

static inline seL4_TCB sel4utils_get_tcb(sel4utils_thread_t *thread)
{
    return thread->tcb.cptr;
}

static inline int sel4utils_suspend_thread(sel4utils_thread_t *thread)
{
    return seL4_TCB_Suspend(thread->tcb.cptr);
}
