/*
 * The per-type rules of capabilities (abi §9.2): what a Copy/Mint derives, how badges,
 * guards and rights change, which caps cover the same memory or object, and the MDB parent
 * relation that Revoke and the finality of a deletion are built on. Arch cap types (odd
 * tags) are the arch's business: arch/<arch>/cap.c.
 */
#include "cap.h"
#include "arch.h"
#include "printk.h"
#include "abi.h"

bool cap_object_region(cap_t c, paddr_t *base, word_t *bits)
{
    switch (cap_get_type(c)) {
    case cap_untyped:
        *base = cap_untyped_paddr(c);
        *bits = cap_untyped_size_bits(c);
        return true;
    case cap_thread: *bits = seL4_TCBBits; break;
    case cap_endpoint: *bits = seL4_EndpointBits; break;
    case cap_notification: *bits = seL4_NotificationBits; break;
    case cap_reply: *bits = seL4_ReplyBits; break;
    case cap_cnode: *bits = cap_cnode_radix(c) + seL4_SlotBits; break;
    case cap_sched_context: *bits = cap_sched_context_size_bits(c); break;
    case cap_zombie:
        *bits = cap_zombie_is_tcb(c) ? seL4_TCBBits : cap_zombie_radix(c) + seL4_SlotBits;
        break;
    default:
        return cap_is_arch(c) && arch_cap_region(c, base, bits);
    }
    *base = kptr_to_paddr(cap_ptr(c)); /* kernel objects live in the kernel window */
    return true;
}

bool cte_has_children(const cte_t *slot)
{
    const cte_t *next = mdb_next(slot);
    return next && is_mdb_parent_of(slot, next);
}

cap_t derive_cap(const cte_t *slot, cap_t cap, word_t *error)
{
    *error = seL4_NoError;
    if (cap_is_arch(cap))
        return arch_derive_cap(slot, cap, error);
    switch (cap_get_type(cap)) {
    case cap_zombie:
    case cap_irq_control:
        return cap_null_cap(); /* unique: only Move may relocate them */
    case cap_untyped:
        if (cte_has_children(slot)) { /* its memory is (partly) in use */
            *error = seL4_RevokeFirst;
            return cap_null_cap();
        }
        return cap;
    default:
        return cap;
    }
}

cap_t update_cap_data(bool preserve, word_t data, cap_t cap)
{
    switch (cap_get_type(cap)) {
    case cap_endpoint:
    case cap_notification:
        /* Only an unbadged cap can be badged, and only by Mint. */
        if (!preserve && cap_badge(cap) == 0) {
            cap.w1 = data;
            return cap;
        }
        return cap_null_cap();
    case cap_cnode: {
        word_t guard_size = data & MASK(seL4_GuardSizeBits);
        if (guard_size + cap_cnode_radix(cap) > seL4_WordBits)
            return cap_null_cap();
        word_t guard = (data >> seL4_GuardSizeBits) & MASK(seL4_GuardBits) & MASK(guard_size);
        return cap_cnode_new(cap_cnode_slots(cap), cap_cnode_radix(cap), (unsigned)guard_size, guard);
    }
    default:
        return cap; /* no cap data (IOSpace data matters only with an IOMMU) */
    }
}

cap_t mask_cap_rights(word_t rights, cap_t cap)
{
    rights &= MASK(seL4_CapRightsBits);
    if (cap_is_arch(cap))
        return arch_mask_cap_rights(rights, cap);
    switch (cap_get_type(cap)) {
    case cap_endpoint: /* same bit layout: write, read, grant, grant-reply */
        return cap_set_small(cap, 0, 4, cap_rights(cap) & rights);
    case cap_notification: /* send, receive */
        return cap_set_small(cap, 0, 4, cap_rights(cap) & rights & 3);
    case cap_reply:
        return cap_set_small(cap, 0, 1, cap_reply_can_grant(cap) && (rights & BIT(2)));
    default:
        return cap;
    }
}

bool same_region_as(cap_t a, cap_t b)
{
    switch (cap_get_type(a)) {
    case cap_untyped: {
        paddr_t ub, bb;
        word_t ubits, bbits;
        if (!cap_object_region(b, &bb, &bbits))
            return false;
        cap_object_region(a, &ub, &ubits);
        paddr_t utop = ub + MASK(ubits), btop = bb + MASK(bbits);
        return ub <= bb && btop <= utop && bb <= btop;
    }
    case cap_endpoint:
    case cap_notification:
    case cap_thread:
    case cap_reply:
        return cap_get_type(b) == cap_get_type(a) && cap_addr(a) == cap_addr(b);
    case cap_cnode:
        return cap_get_type(b) == cap_cnode && cap_addr(a) == cap_addr(b) &&
               cap_cnode_radix(a) == cap_cnode_radix(b);
    case cap_sched_context:
        return cap_get_type(b) == cap_sched_context && cap_addr(a) == cap_addr(b) &&
               cap_sched_context_size_bits(a) == cap_sched_context_size_bits(b);
    case cap_domain:
        return cap_get_type(b) == cap_domain;
    case cap_irq_control: /* IRQ handlers are issued from it: its children */
        return cap_get_type(b) == cap_irq_control || cap_get_type(b) == cap_irq_handler;
    case cap_irq_handler:
        return cap_get_type(b) == cap_irq_handler && cap_irq_handler_irq(a) == cap_irq_handler_irq(b);
    case cap_sched_control:
        return cap_get_type(b) == cap_sched_control && a.w1 == b.w1;
    default: /* null and zombie cover nothing */
        return cap_is_arch(a) && cap_is_arch(b) && arch_same_region_as(a, b);
    }
}

bool same_object_as(cap_t a, cap_t b)
{
    if (cap_get_type(a) == cap_untyped)
        return false; /* untyped caps are always final: deleting one destroys nothing */
    if (cap_get_type(a) == cap_irq_control && cap_get_type(b) == cap_irq_handler)
        return false;
    if (cap_is_arch(a) && cap_is_arch(b))
        return arch_same_object_as(a, b);
    return same_region_as(a, b);
}

bool is_mdb_parent_of(const cte_t *a, const cte_t *b)
{
    if (!mdb_revocable(a) || !same_region_as(a->cap, b->cap))
        return false;
    switch (cap_get_type(a->cap)) {
    case cap_endpoint:
    case cap_notification: {
        /* A badged parent only owns copies of its own badge, not a separate Mint of it. */
        word_t badge = cap_badge(a->cap);
        return badge == 0 || (badge == cap_badge(b->cap) && !mdb_first_badged(b));
    }
    default:
        return true;
    }
}

bool is_final_cap(const cte_t *slot)
{
    const cte_t *prev = mdb_prev(slot), *next = mdb_next(slot);
    if (prev && same_object_as(prev->cap, slot->cap))
        return false;
    return !next || !same_object_as(slot->cap, next->cap);
}

bool is_cap_revocable(cap_t derived, cap_t src)
{
    if (cap_is_arch(derived))
        return arch_is_cap_revocable(derived, src);
    switch (cap_get_type(derived)) {
    case cap_endpoint:
    case cap_notification:
        return cap_badge(derived) != cap_badge(src); /* a Mint that badged it */
    case cap_irq_handler:
        return cap_get_type(src) == cap_irq_control;
    case cap_untyped:
        return true;
    default:
        return false;
    }
}

bool slot_cap_long_running_delete(const cte_t *slot)
{
    switch (cap_get_type(slot->cap)) {
    case cap_thread:
    case cap_cnode:
        return is_final_cap(slot);
    case cap_zombie:
        return true;
    default:
        return false;
    }
}
