/* Interrupts: the kernel timer (budgets and releases) and user IRQs, which signal the
 * notifications their handlers are bound to (irq.c). */
#include "arch.h"
#include "irq.h"
#include "sched.h"

NORETURN void handle_interrupt(unsigned irq)
{
    sched_kernel_entry();
    if (irq == TIMER_IRQ) {
        arch_ack_irq(irq);
        check_budget();
    } else {
        irq_deliver(irq);
    }
    schedule_and_return();
}
