/* Thread control blocks. The object is 2^seL4_TCBBits bytes: the TCB's own CNode of five
 * slots, then the thread state. */
#pragma once
struct invocation;
#include "types.h"
#include "cap.h"
#include "arch.h"
#include "abi.h"
#include "fault.h"

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
    struct arch_tcb arch;
    enum thread_state state;
    uint8_t priority, mcp, domain;
    word_t flags;      /* seL4_TCBFlag_* */
    word_t ipc_buffer; /* user vaddr of the IPC buffer, 0 = none */

    /* While blocked in IPC: what on, and the send's properties. */
    void *blocking_object; /* endpoint_t or notification_t */
    word_t blocking_badge;
    bool blocking_can_grant, blocking_can_grant_reply, blocking_is_call;
    struct reply *reply;   /* Recv's reply object, or the reply object a caller waits on */
    struct tcb *ep_next, *ep_prev; /* endpoint / notification queue */
    struct notification *bound_notification;
    struct fault fault; /* the fault being sent (type seL4_Fault_NullFault: none) */

    /* Scheduling. */
    struct sched_context *sc;
    struct sched_context *yield_to;
    struct tcb *sched_next, *sched_prev; /* ready queue */
    struct tcb *release_next;            /* release queue (waiting for a refill) */
    bool in_ready_queue, in_release_queue;

    struct tcb *debug_next, *debug_prev; /* every TCB, for DebugDumpScheduler */
    char name[TCB_NAME_LEN];
} tcb_t;

_Static_assert(sizeof(tcb_t) <= BIT(seL4_TCBBits), "TCB object must fit in 2^seL4_TCBBits bytes");

extern tcb_t *current_thread;

void tcb_init(tcb_t *t, const char *name);
const char *thread_state_name(enum thread_state s);
/* Thread state changes that keep the scheduler's view right. */
void set_thread_state(tcb_t *t, enum thread_state s);
static inline bool thread_runnable(const tcb_t *t) { return t->state == thread_running || t->state == thread_restart; }
/* Leave whatever IPC the thread is blocked in (the syscall will be restarted or dropped). */
void cancel_ipc(tcb_t *t);
void suspend_thread(tcb_t *t);
void restart_thread(tcb_t *t);
void tcb_set_priority(tcb_t *t, unsigned prio);
word_t decode_tcb_invocation(struct invocation *inv);

/* The thread's IPC buffer as kernel words, or NULL when it has no usable one (abi §3). As a
 * receiver (write) the frame must be writable. */
word_t *thread_ipc_buffer(tcb_t *t, bool write);
tcb_t *tcb_first(void);
/* The last cap to the TCB is being deleted: stop the thread (it leaves the ready queue and
 * becomes Inactive) and take it off the list of all threads. Its five slots are emptied
 * afterwards by the deletion (delete.c). */
void tcb_finalise(tcb_t *t);
