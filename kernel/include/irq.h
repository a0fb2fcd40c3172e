/*
 * User interrupts (abi §5.5, §12.5): IRQControl issues one IRQHandler cap per IRQ, the
 * handler binds the IRQ to a notification, and each interrupt is a signal with the badge of
 * that notification cap; the line then stays masked until the handler Acks it.
 *
 * The arch-neutral half is core/irq.c; how an IRQ is routed and masked (x86: the IOAPIC
 * redirection entries, MSIs) is the arch's (arch/x86_64/irq.c), through arch_irq_mask() and
 * the arch's IRQControl labels.
 */
#pragma once
#include "types.h"
#include "cap.h"
#include "invocation.h"

/* Invocations of IRQControl (the generic Get here, arch labels in the arch) and IRQHandler. */
exception_t decode_irq_control_invocation(struct invocation *inv);
exception_t decode_irq_handler_invocation(struct invocation *inv);

/* For the arch's IRQControl labels: whether an IRQ has a handler (or is the kernel's), and
 * the common effect of issuing one once the arch has routed the IRQ (masked): the IRQ
 * signals, the new IRQHandler cap in dest is a revocable MDB child of the IRQControl cap
 * in control, and the IRQ is unmasked. */
bool irq_is_active(unsigned irq);
void irq_issue_handler(cte_t *control, cte_t *dest, unsigned irq);

/* The final IRQHandler cap of an IRQ is being deleted: the notification is unbound, the IRQ
 * masked and free to issue again (delete.c). */
void irq_handler_finalise(unsigned irq);

/* An interrupt other than the kernel timer arrived (interrupt.c): signal the notification
 * bound to it and mask it until Ack, then acknowledge it at the controller. */
void irq_deliver(unsigned irq);

/* The kernel's slots that hold the notification cap bound to each IRQ (ARCH_NUM_IRQS of
 * them), for the invariant checker: MDB members like any slot of a CNode. */
cte_t *irq_node_slots(void);
