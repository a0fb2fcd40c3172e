/* Thread control blocks: creation defaults, states and the list of all threads. */
#include "tcb.h"
#include "sched.h"
#include "kstring.h"

static tcb_t *all_threads;

void tcb_init(tcb_t *t, const char *name)
{
    t->state = thread_inactive;
    arch_init_user_context(&t->ctx, 0, 0);
    size_t n = kstrnlen(name, TCB_NAME_LEN - 1);
    memcpy(t->name, name, n);
    t->name[n] = '\0';
    t->debug_prev = NULL;
    t->debug_next = all_threads;
    if (all_threads)
        all_threads->debug_prev = t;
    all_threads = t;
}

const char *thread_state_name(enum thread_state s)
{
    switch (s) {
    case thread_inactive: return "inactive";
    case thread_running: return "running";
    case thread_restart: return "restart";
    case thread_blocked_on_recv: return "blocked on recv";
    case thread_blocked_on_send: return "blocked on send";
    case thread_blocked_on_reply: return "blocked on reply";
    case thread_blocked_on_notification: return "blocked on ntfn";
    }
    return "?";
}

void thread_stop(tcb_t *t)
{
    sched_dequeue(t);
    t->state = thread_inactive;
}

tcb_t *tcb_first(void) { return all_threads; }

void tcb_finalise(tcb_t *t)
{
    /* Nothing can be bound to a TCB or queue it yet except the scheduler (the threads issue
     * adds: unbind notification and SC, complete a pending YieldTo, cancel its IPC). */
    thread_stop(t);
    if (t->debug_prev)
        t->debug_prev->debug_next = t->debug_next;
    else if (all_threads == t)
        all_threads = t->debug_next;
    if (t->debug_next)
        t->debug_next->debug_prev = t->debug_prev;
    t->debug_next = t->debug_prev = NULL;
}

word_t *thread_ipc_buffer(tcb_t *t, bool write)
{
    cap_t c = t->cnode[tcb_slot_ipc_buffer].cap;
    if (cap_get_type(c) != cap_frame || cap_frame_is_device(c) || !t->ipc_buffer)
        return NULL;
    if (write && !(cap_frame_vm_rights(c) & VM_WRITE))
        return NULL;
    paddr_t p = cap_frame_paddr(c) + (t->ipc_buffer & MASK(cap_frame_size_bits(c)));
    return paddr_to_kptr(p);
}
