/* The derivation tree (MDB): every non-empty slot is in a doubly linked list in which a
 * derived cap directly follows its source (boot caps each start a list of their own). Who is
 * whose child follows from the order and is_mdb_parent_of() (cap.c). */
#include "cap.h"
#include "printk.h"

void cte_insert(cte_t *parent, cte_t *slot, cap_t cap, bool revocable, bool first_badged)
{
    kassert(cap_is_null(slot->cap));
    slot->cap = cap;
    slot->mdb.prev = 0;
    slot->mdb.next = 0;
    mdb_set_flags(slot, revocable, first_badged);
    if (!parent)
        return;
    cte_t *next = mdb_next(parent);
    mdb_set_prev(slot, parent);
    mdb_set_next(slot, next);
    if (next)
        mdb_set_prev(next, slot);
    mdb_set_next(parent, slot);
}

void cte_insert_derived(cte_t *src, cte_t *dest, cap_t cap)
{
    bool revocable = is_cap_revocable(cap, src->cap);
    cap_t s = src->cap;
    if (cap_get_type(s) == cap_untyped && cap_get_type(cap) == cap_untyped &&
        cap_untyped_paddr(s) == cap_untyped_paddr(cap) && cap_untyped_size_bits(s) == cap_untyped_size_bits(cap))
        src->cap = cap_untyped_new(cap_untyped_paddr(s), cap_untyped_size_bits(s), cap_untyped_is_device(s),
                                   BIT(cap_untyped_size_bits(s)));
    cte_insert(src, dest, cap, revocable, revocable);
}

/* Point the neighbours of s back at s. */
static void link_neighbours(cte_t *s)
{
    if (mdb_prev(s))
        mdb_set_next(mdb_prev(s), s);
    if (mdb_next(s))
        mdb_set_prev(mdb_next(s), s);
}

void cte_move(cte_t *src, cte_t *dest, cap_t cap)
{
    kassert(cap_is_null(dest->cap) && !dest->mdb.prev && !dest->mdb.next);
    dest->cap = cap;
    dest->mdb = src->mdb;
    src->cap = cap_null_cap();
    src->mdb.prev = 0;
    src->mdb.next = 0;
    link_neighbours(dest);
}

/* x with the names a and b exchanged (a neighbour that is one of the swapped slots). */
static cte_t *swapped(cte_t *x, cte_t *a, cte_t *b) { return x == a ? b : x == b ? a : x; }

void cte_swap(cte_t *s1, cap_t c1, cte_t *s2, cap_t c2)
{
    kassert(s1 != s2);
    cte_t *p1 = mdb_prev(s1), *n1 = mdb_next(s1), *p2 = mdb_prev(s2), *n2 = mdb_next(s2);
    word_t flags1 = s1->mdb.next & 3, flags2 = s2->mdb.next & 3;
    /* Each cap keeps its MDB position and flags; only the slots holding them change. The
     * renaming also covers two slots that are MDB neighbours of each other. */
    s1->cap = c2;
    s1->mdb.prev = (word_t)swapped(p2, s1, s2);
    s1->mdb.next = (word_t)swapped(n2, s1, s2) | flags2;
    s2->cap = c1;
    s2->mdb.prev = (word_t)swapped(p1, s1, s2);
    s2->mdb.next = (word_t)swapped(n1, s1, s2) | flags1;
    link_neighbours(s1);
    link_neighbours(s2);
}

void cte_remove(cte_t *slot)
{
    cte_t *prev = mdb_prev(slot), *next = mdb_next(slot);
    if (prev)
        mdb_set_next(prev, next);
    if (next) {
        mdb_set_prev(next, prev);
        if (mdb_first_badged(slot))
            next->mdb.next |= MDB_FIRST_BADGED;
    }
    slot->cap = cap_null_cap();
    slot->mdb.prev = 0;
    slot->mdb.next = 0;
}

const char *cap_type_name(enum cap_type t)
{
    switch (t) {
    case cap_null: return "null";
    case cap_frame: return "frame";
    case cap_untyped: return "untyped";
    case cap_page_table: return "page table";
    case cap_endpoint: return "endpoint";
    case cap_page_directory: return "page directory";
    case cap_notification: return "notification";
    case cap_pdpt: return "PDPT";
    case cap_reply: return "reply";
    case cap_pml4: return "PML4";
    case cap_cnode: return "CNode";
    case cap_asid_control: return "ASID control";
    case cap_thread: return "TCB";
    case cap_asid_pool: return "ASID pool";
    case cap_irq_control: return "IRQ control";
    case cap_io_space: return "IO space";
    case cap_irq_handler: return "IRQ handler";
    case cap_io_page_table: return "IO page table";
    case cap_zombie: return "zombie";
    case cap_io_port: return "IO port";
    case cap_domain: return "domain";
    case cap_sched_context: return "scheduling context";
    case cap_sched_control: return "sched control";
    case cap_io_port_control: return "IO port control";
    }
    return "unknown";
}
