/* Interrupts: the kernel timer (budgets and releases) and user IRQs (the interrupts issue
 * binds them to notifications; until then they are reported and dropped). */
#include "arch.h"
#include "printk.h"
#include "sched.h"

NORETURN void handle_interrupt(unsigned irq)
{
    sched_kernel_entry();
    arch_ack_irq(irq);
    if (irq == TIMER_IRQ)
        check_budget();
    else
        kprintf("Undelivered IRQ: %u\n", irq);
    schedule_and_return();
}
