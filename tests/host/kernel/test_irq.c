/* IRQ handlers in the kernel core (core/irq.c, abi §5.5): where the handler cap and the
 * kernel's copy of the bound notification cap sit in the derivation tree, what masks and
 * unmasks the IRQ, delivery, and what deleting and revoking each cap does. The fake arch
 * lets the generic IRQControl_Get issue any IRQ (as a PIC would) and records mask bits. */
#include "kenv.h"
#include "cap.h"
#include "delete.h"
#include "irq.h"
#include "notification.h"

int host_failures;

static const word_t ALL = 0xf;
enum { H = 10, H2 = 11, N = 12, NB = 13, N2 = 14 };

static word_t irq_get(word_t irq, word_t dest)
{
    const word_t mr[3] = { irq, dest, 64 }, caps[1] = { KS_CNODE };
    return kcall(KS_IRQ_CONTROL, IRQIssueIRQHandler, 3, 1, caps, mr);
}
static word_t set_ntfn(word_t handler, word_t ntfn)
{
    const word_t caps[1] = { ntfn };
    return kcall(handler, IRQSetIRQHandler, 0, 1, caps, NULL);
}
static word_t handler_op(word_t handler, word_t label) { return kcall(handler, label, 0, 0, NULL, NULL); }

static notification_t *ntfn_of(word_t slot) { return cap_ptr(kcap(slot)); }
static cte_t *node(unsigned irq) { return &irq_node_slots()[irq]; }

static void test_issue(void)
{
    kenv_init();
    HCHECK("Get(IRQ 40) issues a handler cap", irq_get(40, H) == 0 && cap_get_type(kcap(H)) == cap_irq_handler &&
                                                   cap_irq_handler_irq(kcap(H)) == 40);
    HCHECK("...a revocable MDB child of IRQControl", mdb_next(kslot(KS_IRQ_CONTROL)) == kslot(H) && mdb_revocable(kslot(H)) &&
                                                         is_mdb_parent_of(kslot(KS_IRQ_CONTROL), kslot(H)));
    HCHECK("...and the IRQ is unmasked at once", !fake_irqs.masked[40]);
    HCHECK("Get(IRQ 40) again: RevokeFirst", irq_get(40, H2) == seL4_RevokeFirst && cap_is_null(kcap(H2)));
    HCHECK("Get of the kernel timer's IRQ: RevokeFirst (reserved)", irq_get(TIMER_IRQ, H2) == seL4_RevokeFirst);
    HCHECK("Get of an IRQ the arch refuses: its error", irq_get(ARCH_NUM_IRQS, H2) == seL4_IllegalOperation);
    HCHECK("Copy of the handler cap: not revocable, a child of the original",
           cn_copy(H2, H, ALL) == 0 && !mdb_revocable(kslot(H2)) && is_mdb_parent_of(kslot(KS_IRQ_CONTROL), kslot(H2)));
    HCHECK("Delete of one copy leaves the IRQ unmasked and active",
           cn_delete(H) == 0 && !fake_irqs.masked[40] && irq_get(40, H) == seL4_RevokeFirst);
    HCHECK("Delete of the final copy masks it and frees it", cn_delete(H2) == 0 && fake_irqs.masked[40] && irq_get(40, H) == 0);
    HCHECK("Revoke of IRQControl deletes the handlers and masks the IRQ",
           cn_revoke(KS_IRQ_CONTROL) == 0 && cap_is_null(kcap(H)) && fake_irqs.masked[40] && irq_get(40, H) == 0);
    HCHECK("invariants hold", kinvariants() == 0);
}

static void test_notification(void)
{
    kenv_init();
    new_notification(N);
    irq_get(50, H);
    HCHECK("Mint of a badged notification cap", cn_mint(NB, N, ALL, 0x21) == 0);
    HCHECK("SetNotification: the kernel's slot holds a copy of the cap, badge and rights kept",
           set_ntfn(H, NB) == 0 && cap_get_type(node(50)->cap) == cap_notification &&
               node(50)->cap.w0 == kcap(NB).w0 && cap_badge(node(50)->cap) == 0x21);
    HCHECK("...as an MDB child of the user's cap, right after it", mdb_next(kslot(NB)) == node(50) &&
                                                                      is_mdb_parent_of(kslot(NB), node(50)));
    HCHECK("invariants hold with the kernel's slot in the tree", kinvariants() == 0);

    irq_deliver(50);
    HCHECK("delivery: the notification is active with the badge 0x21, the IRQ masked",
           ntfn_of(N)->state == ntfn_active && ntfn_of(N)->badge == 0x21 && fake_irqs.masked[50]);
    irq_deliver(50);
    HCHECK("a second delivery ORs the same badge", ntfn_of(N)->badge == 0x21);
    HCHECK("Ack unmasks", handler_op(H, IRQAckIRQ) == 0 && !fake_irqs.masked[50]);

    HCHECK("Delete of the user's badged cap: the kernel's copy stays (not final)",
           cn_delete(NB) == 0 && cap_get_type(node(50)->cap) == cap_notification && kinvariants() == 0);
    ntfn_of(N)->state = ntfn_idle;
    ntfn_of(N)->badge = 0;
    irq_deliver(50);
    HCHECK("...and is still signalled with badge 0x21", ntfn_of(N)->state == ntfn_active && ntfn_of(N)->badge == 0x21);

    new_notification(N2);
    HCHECK("SetNotification to another notification replaces the copy",
           set_ntfn(H, N2) == 0 && cap_ptr(node(50)->cap) == ntfn_of(N2) && mdb_next(kslot(N2)) == node(50));
    HCHECK("...the old copy has left the tree", mdb_next(kslot(N)) == NULL && kinvariants() == 0);
    HCHECK("Clear empties the kernel's slot", handler_op(H, IRQClearIRQHandler) == 0 && cap_is_null(node(50)->cap) &&
                                                  mdb_next(kslot(N2)) != node(50));
    handler_op(H, IRQAckIRQ);
    irq_deliver(50);
    HCHECK("delivery with nothing bound masks the IRQ and signals nothing",
           fake_irqs.masked[50] && ntfn_of(N2)->state == ntfn_idle);

    HCHECK("Revoke of the notification's cap removes the IRQ's copy", set_ntfn(H, N2) == 0 && cn_revoke(N2) == 0 &&
                                                                          cap_is_null(node(50)->cap));
    HCHECK("Delete of the handler with a notification bound empties the kernel's slot",
           set_ntfn(H, N2) == 0 && cn_delete(H) == 0 && cap_is_null(node(50)->cap) && mdb_next(kslot(N2)) != node(50) &&
               fake_irqs.masked[50] && kinvariants() == 0);
}

static void test_last_cap(void)
{
    kenv_init();
    new_notification(N);
    irq_get(60, H);
    set_ntfn(H, N);
    HCHECK("Delete of the user's only cap: the IRQ's copy keeps the notification",
           cn_delete(N) == 0 && cap_get_type(node(60)->cap) == cap_notification && kinvariants() == 0);
    HCHECK("Delete of the handler: the copy was the final cap and is gone",
           cn_delete(H) == 0 && cap_is_null(node(60)->cap) && kinvariants() == 0);

    new_notification(N);
    irq_get(61, H);
    set_ntfn(H, N);
    HCHECK("Revoke of the untyped deletes the notification and the IRQ's copy of it",
           cn_revoke(KS_UNTYPED) == 0 && cap_is_null(kcap(N)) && cap_is_null(node(61)->cap) &&
               cap_get_type(kcap(H)) == cap_irq_handler && kinvariants() == 0);
    irq_deliver(61);
    HCHECK("...the IRQ then signals nothing and is masked", fake_irqs.masked[61]);
    cn_delete(H);
}

int main(void)
{
    fake_quiet = true;
    test_issue();
    test_notification();
    test_last_cap();
    return host_failures ? 1 : 0;
}
