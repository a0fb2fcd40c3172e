/*
 * Capabilities and capability slots.
 *
 * A capability is two words. Word 0 holds the type (bits 0..4, the seL4 cap tag that
 * seL4_DebugCapIdentify reports), 15 bits of small per-type fields (bits 5..19) and an
 * address (bits 20..63: address >> 4, sign-extended, so kernel virtual addresses round-trip).
 * Word 1 is a full per-type word (badge, guard, free index, mapping, IRQ number...).
 * Untyped and frame caps hold physical addresses (they may be device memory outside the
 * kernel window); every other object cap holds the object's kernel virtual address.
 *
 * A slot (cte) is a cap plus its derivation-tree (MDB) links: 32 bytes, seL4_SlotBits = 5.
 */
#pragma once
#include "types.h"

enum cap_type {
    cap_null = 0,
    cap_frame = 1,
    cap_untyped = 2,
    cap_page_table = 3,
    cap_endpoint = 4,
    cap_page_directory = 5,
    cap_notification = 6,
    cap_pdpt = 7,
    cap_reply = 8,
    cap_pml4 = 9,
    cap_cnode = 10,
    cap_asid_control = 11,
    cap_thread = 12,
    cap_asid_pool = 13,
    cap_irq_control = 14,
    cap_io_space = 15,
    cap_irq_handler = 16,
    cap_io_page_table = 17,
    cap_zombie = 18,
    cap_io_port = 19,
    cap_domain = 20,
    cap_sched_context = 22,
    cap_sched_control = 24,
    cap_io_port_control = 31,
};

typedef struct cap {
    word_t w0, w1;
} cap_t;

typedef struct mdb_node {
    word_t prev; /* cte_t * */
    word_t next; /* cte_t *, bit 0 = revocable, bit 1 = first badged */
} mdb_node_t;

typedef struct cte {
    cap_t cap;
    mdb_node_t mdb;
} cte_t;

_Static_assert(sizeof(cte_t) == 32, "a slot is 2^seL4_SlotBits bytes");

/* ---- generic fields ---- */

static inline enum cap_type cap_get_type(cap_t c) { return (enum cap_type)(c.w0 & 0x1f); }
static inline word_t cap_small(cap_t c, unsigned shift, unsigned bits)
{
    return (c.w0 >> (5 + shift)) & MASK(bits);
}
static inline cap_t cap_set_small(cap_t c, unsigned shift, unsigned bits, word_t v)
{
    c.w0 = (c.w0 & ~(MASK(bits) << (5 + shift))) | ((v & MASK(bits)) << (5 + shift));
    return c;
}
static inline word_t cap_addr(cap_t c) { return (word_t)(((sword_t)c.w0 >> 20) << 4); }
static inline cap_t cap_make(enum cap_type t, word_t addr, word_t w1)
{
    cap_t c = { .w0 = (word_t)t | ((addr >> 4) << 20), .w1 = w1 };
    return c;
}
static inline cap_t cap_null_cap(void) { return (cap_t){ 0, 0 }; }
static inline bool cap_is_null(cap_t c) { return cap_get_type(c) == cap_null; }
static inline void *cap_ptr(cap_t c) { return (void *)cap_addr(c); }

/* ---- per-type fields ---- */

/* Untyped: paddr, size bits, device flag; w1 = free offset in bytes from the start. */
static inline cap_t cap_untyped_new(paddr_t base, unsigned size_bits, bool device, word_t free_offset)
{
    cap_t c = cap_make(cap_untyped, base, free_offset);
    c = cap_set_small(c, 0, 6, size_bits);
    return cap_set_small(c, 6, 1, device);
}
static inline paddr_t cap_untyped_paddr(cap_t c) { return cap_addr(c); }
static inline unsigned cap_untyped_size_bits(cap_t c) { return (unsigned)cap_small(c, 0, 6); }
static inline bool cap_untyped_is_device(cap_t c) { return cap_small(c, 6, 1); }
static inline word_t cap_untyped_free_offset(cap_t c) { return c.w1; }

/* Endpoint: rights bits 0 write(send) 1 read(receive) 2 grant 3 grant-reply; w1 = badge. */
static inline cap_t cap_endpoint_new(void *ep, word_t badge, unsigned rights)
{
    return cap_set_small(cap_make(cap_endpoint, (word_t)ep, badge), 0, 4, rights);
}
/* Notification: rights bit 0 send, bit 1 receive; w1 = badge. */
static inline cap_t cap_notification_new(void *ntfn, word_t badge, unsigned rights)
{
    return cap_set_small(cap_make(cap_notification, (word_t)ntfn, badge), 0, 4, rights);
}
static inline word_t cap_badge(cap_t c) { return c.w1; }
static inline unsigned cap_rights(cap_t c) { return (unsigned)cap_small(c, 0, 4); }
/* Whether any of the rights in `mask` is there (tested in place: the fastpath's way). */
static inline bool cap_has_any_right(cap_t c, unsigned mask) { return c.w0 & ((word_t)mask << 5); }
/* Whether the cap is of `type` (endpoint or notification) with all the rights in `mask`:
 * type and rights are the low bits of w0, so one masked comparison. */
static inline bool cap_is_with_rights(cap_t c, enum cap_type type, unsigned mask)
{
    return (c.w0 & (0x1f | (word_t)mask << 5)) == ((word_t)type | (word_t)mask << 5);
}

/* Reply: bit 0 of small fields = can grant. */
static inline cap_t cap_reply_new(void *reply, bool can_grant)
{
    return cap_set_small(cap_make(cap_reply, (word_t)reply, 0), 0, 1, can_grant);
}
static inline bool cap_reply_can_grant(cap_t c) { return cap_small(c, 0, 1); }

/* CNode: radix, guard size; w1 = guard. */
static inline cap_t cap_cnode_new(cte_t *slots, unsigned radix, unsigned guard_size, word_t guard)
{
    cap_t c = cap_make(cap_cnode, (word_t)slots, guard);
    c = cap_set_small(c, 0, 6, radix);
    return cap_set_small(c, 6, 7, guard_size);
}
static inline unsigned cap_cnode_radix(cap_t c) { return (unsigned)cap_small(c, 0, 6); }
static inline unsigned cap_cnode_guard_size(cap_t c) { return (unsigned)cap_small(c, 6, 7); }
static inline word_t cap_cnode_guard(cap_t c) { return c.w1; }
static inline cte_t *cap_cnode_slots(cap_t c) { return (cte_t *)cap_addr(c); }

static inline cap_t cap_thread_new(void *tcb) { return cap_make(cap_thread, (word_t)tcb, 0); }

static inline cap_t cap_sched_context_new(void *sc, unsigned size_bits)
{
    return cap_set_small(cap_make(cap_sched_context, (word_t)sc, 0), 0, 6, size_bits);
}
static inline unsigned cap_sched_context_size_bits(cap_t c) { return (unsigned)cap_small(c, 0, 6); }

static inline cap_t cap_sched_control_new(unsigned core) { return cap_make(cap_sched_control, 0, core); }
static inline cap_t cap_irq_handler_new(unsigned irq) { return cap_make(cap_irq_handler, 0, irq); }
static inline unsigned cap_irq_handler_irq(cap_t c) { return (unsigned)c.w1; }

static inline cap_t cap_io_port_new(unsigned first, unsigned last)
{
    return cap_make(cap_io_port, 0, (word_t)first | ((word_t)last << 16));
}
static inline unsigned cap_io_port_first(cap_t c) { return (unsigned)(c.w1 & 0xffff); }
static inline unsigned cap_io_port_last(cap_t c) { return (unsigned)((c.w1 >> 16) & 0xffff); }

/* Frames: paddr, size (0 = 4 KiB, 1 = 2 MiB, 2 = 1 GiB), VM rights (bit 0 write, bit 1 read),
 * device flag; w1 = mapping: vaddr | asid (asid 0 = not mapped; seL4 never hands out ASID 0). */
enum frame_size { frame_4k = 0, frame_2m = 1, frame_1g = 2 };
#define VM_WRITE 1u
#define VM_READ 2u
static inline cap_t cap_frame_new(paddr_t base, enum frame_size size, unsigned vm_rights, bool device)
{
    cap_t c = cap_make(cap_frame, base, 0);
    c = cap_set_small(c, 0, 2, size);
    c = cap_set_small(c, 2, 2, vm_rights);
    return cap_set_small(c, 4, 1, device);
}
static inline paddr_t cap_frame_paddr(cap_t c) { return cap_addr(c); }
static inline enum frame_size cap_frame_size(cap_t c) { return (enum frame_size)cap_small(c, 0, 2); }
static inline unsigned cap_frame_size_bits(cap_t c) { return 12 + 9 * (unsigned)cap_frame_size(c); }
static inline unsigned cap_frame_vm_rights(cap_t c) { return (unsigned)cap_small(c, 2, 2); }
static inline bool cap_frame_is_device(cap_t c) { return cap_small(c, 4, 1); }

/* Paging structures (PT, PD, PDPT, PML4): kernel address; w1 = mapping as for frames
 * (for a PML4: the assigned ASID, 0 = unassigned). */
static inline cap_t cap_paging_new(enum cap_type t, void *table, word_t mapping)
{
    return cap_make(t, (word_t)table, mapping);
}
#define ASID_BITS 12
static inline word_t cap_mapped_asid(cap_t c) { return c.w1 & MASK(ASID_BITS); }
static inline vaddr_t cap_mapped_vaddr(cap_t c) { return c.w1 & ~MASK(ASID_BITS); }
static inline cap_t cap_set_mapping(cap_t c, word_t asid, vaddr_t vaddr)
{
    c.w1 = (vaddr & ~MASK(ASID_BITS)) | (asid & MASK(ASID_BITS));
    return c;
}

static inline cap_t cap_asid_pool_new(void *pool, unsigned pool_index)
{
    return cap_set_small(cap_make(cap_asid_pool, (word_t)pool, 0), 0, 3, pool_index);
}
static inline unsigned cap_asid_pool_index(cap_t c) { return (unsigned)cap_small(c, 0, 3); }

/* Zombie: an object whose last cap was deleted while its own slots are still being emptied
 * (delete.c). addr = the object's slot array (a CNode's slots, or the TCB, whose five slots
 * come first); small fields: the CNode's radix, or ZOMBIE_TCB; w1 = slots not yet emptied. */
#define ZOMBIE_TCB 0x7f
static inline cap_t cap_zombie_new(cte_t *slots, unsigned radix_or_tcb, word_t remaining)
{
    return cap_set_small(cap_make(cap_zombie, (word_t)slots, remaining), 0, 7, radix_or_tcb);
}
static inline cte_t *cap_zombie_slots(cap_t c) { return (cte_t *)cap_addr(c); }
static inline bool cap_zombie_is_tcb(cap_t c) { return cap_small(c, 0, 7) == ZOMBIE_TCB; }
static inline unsigned cap_zombie_radix(cap_t c) { return (unsigned)cap_small(c, 0, 7); }
static inline word_t cap_zombie_remaining(cap_t c) { return c.w1; }
static inline cap_t cap_zombie_set_remaining(cap_t c, word_t n)
{
    c.w1 = n;
    return c;
}

/* seL4's tag numbering gives every arch cap type an odd tag (frames, paging structures,
 * ASIDs, IO ports); the core handles the even ones and asks the arch about the rest. */
static inline bool cap_is_arch(cap_t c) { return cap_get_type(c) & 1; }

/* ---- slots and the derivation tree ---- */

#define MDB_REVOCABLE 1ull
#define MDB_FIRST_BADGED 2ull
static inline cte_t *mdb_next(const cte_t *s) { return (cte_t *)(s->mdb.next & ~3ull); }
static inline cte_t *mdb_prev(const cte_t *s) { return (cte_t *)s->mdb.prev; }
static inline bool mdb_revocable(const cte_t *s) { return s->mdb.next & MDB_REVOCABLE; }
static inline bool mdb_first_badged(const cte_t *s) { return s->mdb.next & MDB_FIRST_BADGED; }
static inline void mdb_set_next(cte_t *s, cte_t *n) { s->mdb.next = (s->mdb.next & 3ull) | (word_t)n; }
static inline void mdb_set_prev(cte_t *s, cte_t *p) { s->mdb.prev = (word_t)p; }
static inline void mdb_set_flags(cte_t *s, bool revocable, bool first_badged)
{
    s->mdb.next = (s->mdb.next & ~3ull) | (revocable ? MDB_REVOCABLE : 0) |
                  (first_badged ? MDB_FIRST_BADGED : 0);
}

/* ---- mdb.c: moving caps and their MDB positions ---- */

/* Insert a new cap into an empty slot as the MDB successor of parent (NULL: an MDB root). */
void cte_insert(cte_t *parent, cte_t *slot, cap_t cap, bool revocable, bool first_badged);
/* Insert a cap derived from the one in src (Copy, Mint) into the empty slot dest, right after
 * src; revocable and first-badged as abi §9.2 says. A copy of a whole untyped marks the
 * source untyped full, so that it cannot retype while the copy exists. */
void cte_insert_derived(cte_t *src, cte_t *dest, cap_t cap);
/* Move the cap in src (replaced by cap: Mutate/Rotate may change its data) to the empty slot
 * dest together with its MDB position and flags; src becomes empty. */
void cte_move(cte_t *src, cte_t *dest, cap_t cap);
/* Exchange the caps (replaced by c1 and c2) and MDB positions of two different slots: after
 * it s1 holds c2 where s2's cap was in the MDB, and s2 holds c1. */
void cte_swap(cte_t *s1, cap_t c1, cte_t *s2, cap_t c2);
/* Remove a cap from its slot and the MDB, leaving the slot empty (no object finalisation).
 * The next cap inherits the first-badged flag, so a badged copy does not become a child of
 * an unrelated cap with the same badge. */
void cte_remove(cte_t *slot);
const char *cap_type_name(enum cap_type t);

/* ---- cap.c: the per-type rules of abi §9.2 ---- */

/* derive: the cap a Copy/Mint puts in the new slot. Sets *error (seL4_RevokeFirst for an
 * untyped with children, seL4_IllegalOperation for unmapped paging structures) or returns a
 * cap, possibly null (IRQControl, IOPortControl, Zombie cannot be copied). */
cap_t derive_cap(const cte_t *slot, cap_t cap, word_t *error);
/* Apply cap data (Mint: preserve = false; Mutate/Rotate: preserve = true): endpoint and
 * notification badges, CNode guards. A null result means the data is not acceptable. */
cap_t update_cap_data(bool preserve, word_t data, cap_t cap);
/* Reduce a cap's rights by a seL4_CapRights_t word. */
cap_t mask_cap_rights(word_t rights, cap_t cap);
/* Whether b refers to memory or a resource inside what a refers to (untyped: its range). */
bool same_region_as(cap_t a, cap_t b);
/* Whether a and b refer to the same object (never for untyped caps). */
bool same_object_as(cap_t a, cap_t b);
/* Whether the cap in b is an MDB child of the cap in a (a revocable parent, same region,
 * badge rules for endpoints and notifications). */
bool is_mdb_parent_of(const cte_t *a, const cte_t *b);
/* Whether the slot's cap has MDB children (they follow it directly). */
bool cte_has_children(const cte_t *slot);
/* Whether no MDB neighbour refers to the same object: deleting it destroys the object. */
bool is_final_cap(const cte_t *slot);
/* Whether a derived cap starts a new subtree (abi §9.2 "Revocable"). */
bool is_cap_revocable(cap_t derived, cap_t src);
/* Whether deleting the cap in slot would be a long-running (preemptible) deletion: the final
 * cap of a CNode or TCB, or a Zombie. TCB_Configure/SetSpace refuse such CSpace/VSpace roots. */
bool slot_cap_long_running_delete(const cte_t *slot);
/* The physical memory of the object a cap refers to (an untyped: its whole range; a zombie:
 * the dying object); false for caps that have none (IRQ, domain, IO ports...). */
bool cap_object_region(cap_t c, paddr_t *base, word_t *size_bits);
