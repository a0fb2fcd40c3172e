/* Thread control blocks. The object is 2^seL4_TCBBits bytes: the TCB's own CNode of five
 * slots, then the thread state. */
#pragma once
#include "types.h"
#include "cap.h"
#include "arch.h"
#include "abi.h"

enum thread_state {
    thread_inactive = 0,
    thread_running,
    thread_restart, /* runnable; re-executes its syscall when it next runs */
    thread_blocked_on_recv,
    thread_blocked_on_send,
    thread_blocked_on_reply,
    thread_blocked_on_notification,
};

/* The TCB's own capability slots (tcb_cnode[]). */
enum tcb_slot {
    tcb_slot_cspace = 0,
    tcb_slot_vspace = 1,
    tcb_slot_ipc_buffer = 2,
    tcb_slot_fault_handler = 3,
    tcb_slot_timeout_handler = 4,
    tcb_slot_count
};

#define TCB_NAME_LEN 848 /* what seL4 keeps of a DebugNameThread name, NUL included */

typedef struct tcb {
    cte_t cnode[tcb_slot_count];
    struct user_context ctx;
    enum thread_state state;
    uint8_t priority, mcp;
    word_t ipc_buffer; /* user vaddr of the IPC buffer, 0 = none */
    struct tcb *sched_next, *sched_prev; /* ready queue links */
    bool in_ready_queue;
    struct tcb *debug_next, *debug_prev; /* every TCB, for DebugDumpScheduler */
    char name[TCB_NAME_LEN];
} tcb_t;

_Static_assert(sizeof(tcb_t) <= BIT(seL4_TCBBits), "TCB object must fit in 2^seL4_TCBBits bytes");

extern tcb_t *current_thread;

void tcb_init(tcb_t *t, const char *name);
const char *thread_state_name(enum thread_state s);
/* Stop a thread for good after an unhandled fault (it becomes Inactive). */
void thread_stop(tcb_t *t);

/* The thread's IPC buffer as kernel words, or NULL when it has no usable one (abi §3). As a
 * receiver (write) the frame must be writable. */
word_t *thread_ipc_buffer(tcb_t *t, bool write);
tcb_t *tcb_first(void);
/* The last cap to the TCB is being deleted: stop the thread (it leaves the ready queue and
 * becomes Inactive) and take it off the list of all threads. Its five slots are emptied
 * afterwards by the deletion (delete.c). */
void tcb_finalise(tcb_t *t);
