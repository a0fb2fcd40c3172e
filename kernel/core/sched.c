/* Ready queues: one FIFO per priority and a bitmap to find the highest non-empty one. */
#include "sched.h"
#include "tcb.h"
#include "arch.h"
#include "abi.h"

#define NUM_PRIOS (seL4_MaxPrio + 1)
static tcb_t *queue_head[NUM_PRIOS], *queue_tail[NUM_PRIOS];
static word_t prio_bitmap[NUM_PRIOS / 64];
tcb_t *current_thread;

void sched_enqueue(tcb_t *t)
{
    if (t->in_ready_queue)
        return;
    unsigned p = t->priority;
    t->sched_next = NULL;
    t->sched_prev = queue_tail[p];
    if (queue_tail[p])
        queue_tail[p]->sched_next = t;
    else
        queue_head[p] = t;
    queue_tail[p] = t;
    prio_bitmap[p / 64] |= BIT(p % 64);
    t->in_ready_queue = true;
}

void sched_dequeue(tcb_t *t)
{
    if (!t->in_ready_queue)
        return;
    unsigned p = t->priority;
    if (t->sched_prev)
        t->sched_prev->sched_next = t->sched_next;
    else
        queue_head[p] = t->sched_next;
    if (t->sched_next)
        t->sched_next->sched_prev = t->sched_prev;
    else
        queue_tail[p] = t->sched_prev;
    if (!queue_head[p])
        prio_bitmap[p / 64] &= ~BIT(p % 64);
    t->in_ready_queue = false;
}

static tcb_t *highest_ready(void)
{
    for (int w = NUM_PRIOS / 64 - 1; w >= 0; w--)
        if (prio_bitmap[w])
            return queue_head[w * 64 + 63 - __builtin_clzll(prio_bitmap[w])];
    return NULL;
}

NORETURN void schedule_and_return(void)
{
    tcb_t *next = highest_ready();
    if (!next) {
        current_thread = NULL;
        arch_idle();
    }
    if (next != current_thread) {
        arch_switch_thread(current_thread, next);
        current_thread = next;
    }
    arch_restore_user(next);
}
