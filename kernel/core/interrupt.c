/* Interrupts: the kernel timer and user IRQs (the interrupts issue binds them to
 * notifications; until then they are reported and dropped). */
#include "arch.h"
#include "printk.h"
#include "sched.h"

NORETURN void handle_interrupt(unsigned irq)
{
    kprintf("Undelivered IRQ: %u\n", irq);
    arch_ack_irq(irq);
    schedule_and_return();
}
