/* The scheduler: ready queues by priority, and the way out of the kernel. */
#pragma once
#include "types.h"

struct tcb;
void sched_enqueue(struct tcb *t);
void sched_dequeue(struct tcb *t);
/* Pick the thread to run, switch to it and leave the kernel (idles if none). */
NORETURN void schedule_and_return(void);
