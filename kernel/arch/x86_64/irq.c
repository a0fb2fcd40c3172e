/*
 * x86 interrupts for user drivers (abi §5.5, §12.5), IOAPIC mode: IRQControl_GetIOAPIC routes
 * an IOAPIC pin and IRQControl_GetMSI reserves a vector for a device's MSIs; the generic
 * IRQControl_Get is refused. The core does the rest (core/irq.c).
 *
 * Numbering: the IRQ argument v of GetIOAPIC/GetMSI is 0..107; it is internal IRQ v + 16 and
 * CPU vector v + 48 (internal IRQ n is CPU vector n + 32; 0..15 are the masked PIC's).
 */
#include "x86.h"
#include "arch.h"
#include "irq.h"
#include "printk.h"
#include "x86_internal.h"
#include "abi.h"

#define IRQ_USER_MIN 16
#define IRQ_USER_MAX 123
_Static_assert(IRQ_USER_MIN + VECTOR_IRQ_BASE == VECTOR_USER_IRQ_MIN, "user IRQ v + 16 is CPU vector v + 48");
_Static_assert(IRQ_USER_MAX < TIMER_IRQ && TIMER_IRQ + VECTOR_IRQ_BASE == VECTOR_TIMER, "the timer is no user IRQ");
_Static_assert(ARCH_NUM_IRQS + VECTOR_IRQ_BASE <= VECTOR_USER_TRAP_MIN, "IRQ vectors end where user traps begin");

#define PCI_BUS_MAX 255
#define PCI_DEV_MAX 31
#define PCI_FUNC_MAX 7

/* Where each issued IRQ comes from: an IOAPIC pin (masked there) or MSIs (never masked; the
 * device's MSI data is the CPU vector, which the user programs). */
enum irq_source { source_none = 0, source_ioapic, source_msi };
static struct {
    uint8_t source, ioapic, pin;
} routes[ARCH_NUM_IRQS];

static unsigned irq_vector(unsigned irq) { return irq + VECTOR_IRQ_BASE; }

void arch_irq_mask(unsigned irq, bool masked)
{
    if (irq < ARCH_NUM_IRQS && routes[irq].source == source_ioapic)
        ioapic_mask_pin(routes[irq].ioapic, routes[irq].pin, irq_vector(irq), masked);
}

exception_t arch_check_irq(struct invocation *inv, word_t irq)
{
    (void)inv;
    user_error("IRQControl_Get of IRQ %lu: illegal operation with the IOAPIC; use IRQControl_GetIOAPIC or "
               "IRQControl_GetMSI.", irq);
    return seL4_IllegalOperation;
}

static exception_t check_ioapic_args(struct invocation *inv, word_t ioapic, word_t pin, word_t level, word_t polarity)
{
    if (acpi.num_ioapics == 0) {
        user_error("IRQControl_GetIOAPIC: this machine has no IOAPIC.");
        return seL4_IllegalOperation;
    }
    if (ioapic >= acpi.num_ioapics) {
        user_error("IRQControl_GetIOAPIC: IOAPIC %lu does not exist (there are %u).", ioapic, acpi.num_ioapics);
        return err_range(inv, 0, acpi.num_ioapics - 1);
    }
    if (pin >= ioapic_pins[ioapic]) {
        user_error("IRQControl_GetIOAPIC: pin %lu does not exist (IOAPIC %lu has %u pins).", pin, ioapic,
                   ioapic_pins[ioapic]);
        return err_range(inv, 0, ioapic_pins[ioapic] - 1);
    }
    if (level > 1) {
        user_error("IRQControl_GetIOAPIC: level must be 0 (edge) or 1 (level-triggered), not %lu.", level);
        return err_range(inv, 0, 1);
    }
    if (polarity > 1) {
        user_error("IRQControl_GetIOAPIC: polarity must be 0 (active high) or 1 (active low), not %lu.", polarity);
        return err_range(inv, 0, 1);
    }
    return EXCEPTION_NONE;
}

static exception_t check_msi_args(struct invocation *inv, word_t bus, word_t dev, word_t func)
{
    if (bus > PCI_BUS_MAX) {
        user_error("IRQControl_GetMSI: PCI bus %lu is above %u.", bus, PCI_BUS_MAX);
        return err_range(inv, 0, PCI_BUS_MAX);
    }
    if (dev > PCI_DEV_MAX) {
        user_error("IRQControl_GetMSI: PCI device %lu is above %u.", dev, PCI_DEV_MAX);
        return err_range(inv, 0, PCI_DEV_MAX);
    }
    if (func > PCI_FUNC_MAX) {
        user_error("IRQControl_GetMSI: PCI function %lu is above %u.", func, PCI_FUNC_MAX);
        return err_range(inv, 0, PCI_FUNC_MAX);
    }
    return EXCEPTION_NONE;
}

exception_t decode_arch_irq_control_invocation(struct invocation *inv)
{
    bool is_ioapic = inv->label == X86IRQIssueIRQHandlerIOAPIC;
    const char *what = is_ioapic ? "IRQControl_GetIOAPIC" : "IRQControl_GetMSI";
    if (!is_ioapic && inv->label != X86IRQIssueIRQHandlerMSI) {
        user_error("IRQControl: illegal operation (label %lu).", inv->label);
        return seL4_IllegalOperation;
    }
    cte_t *root = inv_extra_cap(inv, 0);
    if (inv->length < 7 || !root) {
        user_error("%s: truncated message (it takes 7 message registers and a CNode cap).", what);
        return seL4_TruncatedMessage;
    }
    word_t v = inv_mr(inv, 6);
    if (v > IRQ_USER_MAX - IRQ_USER_MIN) {
        user_error("%s: vector %lu is outside 0..%u.", what, v, IRQ_USER_MAX - IRQ_USER_MIN);
        return err_range(inv, 0, IRQ_USER_MAX - IRQ_USER_MIN);
    }
    unsigned irq = (unsigned)v + IRQ_USER_MIN;
    if (irq_is_active(irq)) {
        user_error("%s: IRQ %u (vector %lu) already has a handler: revoke or delete it first.", what, irq, v);
        return seL4_RevokeFirst;
    }
    cte_t *dest;
    exception_t e = lookup_target_slot(inv, false, root->cap, inv_mr(inv, 0), inv_mr(inv, 1), &dest);
    if (e == EXCEPTION_NONE)
        e = ensure_empty_slot(inv, dest);
    if (e != EXCEPTION_NONE)
        return e;
    word_t a = inv_mr(inv, 2), b = inv_mr(inv, 3), c = inv_mr(inv, 4), d = inv_mr(inv, 5);
    e = is_ioapic ? check_ioapic_args(inv, a, b, c, d) : check_msi_args(inv, a, b, c); /* d: MSI handle, unchecked */
    if (e != EXCEPTION_NONE)
        return e;

    if (is_ioapic) {
        ioapic_route_pin((unsigned)a, (unsigned)b, irq_vector(irq), c, d);
        routes[irq].source = source_ioapic;
        routes[irq].ioapic = (uint8_t)a;
        routes[irq].pin = (uint8_t)b;
    } else {
        routes[irq].source = source_msi;
    }
    irq_issue_handler(inv->slot, dest, irq);
    return EXCEPTION_NONE;
}
