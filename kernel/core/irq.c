/*
 * User interrupts, the arch-neutral half (abi §5.5): the state of each IRQ, IRQControl's
 * generic Get, the IRQHandler invocations, and delivery.
 *
 * An IRQ is inactive (no handler cap), signalling (a handler cap exists) or reserved (the
 * kernel's timer). The notification an IRQ signals is a copy of the user's notification cap
 * in a slot the kernel keeps for that IRQ (irq_node): an ordinary member of the derivation
 * tree, a child of the cap it was copied from. So revoking that cap (or the untyped of the
 * notification) unbinds the IRQ, deleting the user's copies does not destroy a notification
 * the IRQ still signals, and the kernel's copy keeps the badge it was bound with.
 */
#include "irq.h"
#include "arch.h"
#include "delete.h"
#include "notification.h"
#include "printk.h"
#include "abi.h"

enum irq_state { irq_inactive = 0, irq_signal, irq_reserved };

static uint8_t irq_state[ARCH_NUM_IRQS] = { [TIMER_IRQ] = irq_reserved };
static cte_t irq_node[ARCH_NUM_IRQS];

cte_t *irq_node_slots(void) { return irq_node; }

bool irq_is_active(unsigned irq) { return irq_state[irq] != irq_inactive; }

void irq_issue_handler(cte_t *control, cte_t *dest, unsigned irq)
{
    irq_state[irq] = irq_signal;
    cte_insert_derived(control, dest, cap_irq_handler_new(irq)); /* revocable: from IRQControl */
    arch_irq_mask(irq, false);
}

void irq_handler_finalise(unsigned irq)
{
    cte_delete_one(&irq_node[irq]);
    irq_state[irq] = irq_inactive;
    arch_irq_mask(irq, true);
}

/* IRQControl_Get (label IRQIssueIRQHandler): which IRQ numbers it may issue is the arch's
 * call (x86 with the IOAPIC: none; its own labels issue them). */
static exception_t decode_irq_control_get(struct invocation *inv)
{
    cte_t *root = inv_extra_cap(inv, 0);
    if (inv->length < 3 || !root) {
        user_error("IRQControl_Get: truncated message (it takes 3 message registers and a CNode cap).");
        return seL4_TruncatedMessage;
    }
    word_t irq = inv_mr(inv, 0);
    exception_t e = arch_check_irq(inv, irq);
    if (e != EXCEPTION_NONE)
        return e;
    if (irq_is_active((unsigned)irq)) {
        user_error("IRQControl_Get: IRQ %lu already has a handler: revoke or delete it first.", irq);
        return seL4_RevokeFirst;
    }
    cte_t *dest;
    e = lookup_target_slot(inv, false, root->cap, inv_mr(inv, 1), inv_mr(inv, 2), &dest);
    if (e == EXCEPTION_NONE)
        e = ensure_empty_slot(inv, dest);
    if (e != EXCEPTION_NONE)
        return e;
    irq_issue_handler(inv->slot, dest, (unsigned)irq);
    return EXCEPTION_NONE;
}

exception_t decode_irq_control_invocation(struct invocation *inv)
{
    if (inv->label == IRQIssueIRQHandler)
        return decode_irq_control_get(inv);
    return decode_arch_irq_control_invocation(inv);
}

exception_t decode_irq_handler_invocation(struct invocation *inv)
{
    unsigned irq = cap_irq_handler_irq(inv->cap);
    switch (inv->label) {
    case IRQAckIRQ:
        arch_irq_mask(irq, false);
        return EXCEPTION_NONE;
    case IRQSetIRQHandler: {
        cte_t *ntfn = inv_extra_cap(inv, 0);
        if (!ntfn) {
            user_error("IRQHandler_SetNotification: truncated message (no notification cap).");
            return seL4_TruncatedMessage;
        }
        if (cap_get_type(ntfn->cap) != cap_notification) {
            user_error("IRQHandler_SetNotification: the cap is not a notification cap (it is %s).",
                       cap_type_name(cap_get_type(ntfn->cap)));
            return err_invalid_capability(inv, 0); /* index 0, as seL4 reports it */
        }
        if (!(cap_rights(ntfn->cap) & seL4_CanWrite.words[0])) {
            user_error("IRQHandler_SetNotification: the notification cap has no Write right to signal it.");
            return err_invalid_capability(inv, 0);
        }
        cte_delete_one(&irq_node[irq]);
        cte_insert_derived(ntfn, &irq_node[irq], ntfn->cap);
        return EXCEPTION_NONE;
    }
    case IRQClearIRQHandler:
        cte_delete_one(&irq_node[irq]);
        return EXCEPTION_NONE;
    default:
        user_error("IRQHandler: illegal operation (label %lu).", inv->label);
        return seL4_IllegalOperation;
    }
}

void irq_deliver(unsigned irq)
{
    if (irq >= ARCH_NUM_IRQS) {
        kprintf("Received IRQ %u, which is above the largest IRQ %u\n", irq, ARCH_NUM_IRQS - 1);
    } else if (irq_state[irq] == irq_signal) {
        cap_t c = irq_node[irq].cap;
        if (cap_get_type(c) == cap_notification && (cap_rights(c) & seL4_CanWrite.words[0]))
            send_signal(cap_ptr(c), cap_badge(c));
        else
            kprintf("Undelivered IRQ: %u\n", irq);
        arch_irq_mask(irq, true); /* until the handler Acks it */
    } else {
        arch_irq_mask(irq, true);
        kprintf("Received disabled IRQ: %u\n", irq);
    }
    arch_ack_irq(irq);
}
