/* The MCS scheduler: ready queues by priority (FIFO within one), a release queue of threads
 * waiting for their budget to refill, and the way out of the kernel. */
#pragma once
#include "types.h"

struct tcb;
struct sched_context;

extern struct tcb *current_thread;
extern uint64_t ks_cur_time; /* timestamp of the current kernel entry */
/* The SC time is being charged to, and up to when it has been (the fastpaths read them). */
extern struct sched_context *ks_running_sc;
extern uint64_t ks_charged_until;

/* Append to the back of the thread's priority queue / put it at the front. */
void sched_enqueue(struct tcb *t);
void sched_enqueue_front(struct tcb *t);
void sched_dequeue(struct tcb *t);
void release_enqueue(struct tcb *t);
void release_dequeue(struct tcb *t);

/* Runnable, with an active SC whose budget is available now. */
bool thread_schedulable(const struct tcb *t);
/* A thread became runnable: it may run next (schedule() decides who runs). */
void possible_switch_to(struct tcb *t);
/* The highest priority with a ready thread (0 if none). */
unsigned sched_highest_ready_prio(void);
/* Bit w: some thread is ready at a priority in 64w..64w+63 (sched.c keeps it). */
extern word_t sched_prio_words;
static inline bool sched_any_ready(void) { return sched_prio_words != 0; }
/* Put a runnable thread where it belongs: ready queue, release queue, or nowhere. */
void sched_admit(struct tcb *t);
/* The current thread gives up the rest of its time slice. */
void end_timeslice(bool can_timeout_fault);
/* Charge the time since the last entry to the running SC; false if its budget is gone. */
bool check_budget(void);
/* Charge the running SC up to now. */
void sched_commit(void);
/* seL4_Yield: give up the rest of the current refill. */
void sched_yield_current(void);
/* Debug work (the invariant checker) since the entry is charged to no one. */
void sched_discount_kernel_time(void);
/* Time bookkeeping at every kernel entry. */
void sched_kernel_entry(void);

/* A TCB or SC is being destroyed: drop every reference the scheduler holds to it. */
void sched_forget_thread(struct tcb *t);
void sched_forget_sc(struct sched_context *sc);

/* Pick the thread to run, switch to it and leave the kernel (idles if none). */
NORETURN void schedule_and_return(void);
