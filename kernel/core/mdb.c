/* The derivation tree (MDB): every non-empty slot is in one doubly linked list in which a
 * derived cap directly follows its source. */
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

void cte_remove(cte_t *slot)
{
    cte_t *prev = mdb_prev(slot), *next = mdb_next(slot);
    if (prev)
        mdb_set_next(prev, next);
    if (next)
        mdb_set_prev(next, prev);
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
