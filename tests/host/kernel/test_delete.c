/* Deletion and Revoke (abi §9.2): finalisation of the last cap, recursive deletion of CNodes
 * and TCBs through zombies, cycles, preemption and restart, the running thread deleting
 * itself, and the arch objects' finalisation. */
#include "kenv.h"
#include "cap.h"
#include "delete.h"
#include "sched.h"

int host_failures;

static const word_t ALL = 0xf;

/* Caps in the slots of a CNode cap's object that are not empty. */
static unsigned used_slots(cap_t cnode)
{
    unsigned n = 0;
    for (word_t i = 0; i < BIT(cap_cnode_radix(cnode)); i++)
        n += !cap_is_null(cap_cnode_slots(cnode)[i].cap);
    return n;
}

static bool thread_listed(const tcb_t *t)
{
    for (tcb_t *x = tcb_first(); x; x = x->debug_next)
        if (x == t)
            return true;
    return false;
}

/* Put the cap of root slot `from` into slot `index` of the CNode in root slot `cnode`,
 * with CNode operations (Move keeps it the same cap, Copy derives it). */
static word_t into_cnode(word_t label, word_t cnode, word_t index, word_t from)
{
    const word_t mr[5] = { index, cap_cnode_radix(kcap(cnode)), from, 64, ALL }, caps[1] = { KS_CNODE };
    return kcall(cnode, label, label == CNodeMove ? 4 : 5, 1, caps, mr);
}

/* A CNode (radix 3) in `slot` holding: a copy of the endpoint in ep_slot, the only cap to a
 * second endpoint, the only cap to a nested CNode (radix 2) that holds the only cap to a
 * TCB, and a copy of the root CNode cap. 5 objects in all. */
static void build_tree(word_t slot, word_t ep_slot, word_t scratch)
{
    new_cnode(slot, 3);
    into_cnode(CNodeCopy, slot, 0, ep_slot);
    new_endpoint(scratch);
    into_cnode(CNodeMove, slot, 7, scratch);
    new_cnode(scratch, 2);
    new_tcb(scratch + 1);
    into_cnode(CNodeMove, scratch, 3, scratch + 1);
    into_cnode(CNodeMove, slot, 5, scratch);
    into_cnode(CNodeCopy, slot, 2, KS_CNODE);
}

static void test_simple(void)
{
    kenv_init();
    new_endpoint(10);
    HCHECK("Copy, then Delete of the copy leaves the original", cn_copy(11, 10, ALL) == 0 && cn_delete(11) == 0 &&
                                                                   cap_is_null(kcap(11)) && !cap_is_null(kcap(10)) &&
                                                                   mdb_next(kslot(10)) == NULL);
    HCHECK("Delete of the last endpoint cap", cn_delete(10) == 0 && cap_is_null(kcap(10)) &&
                                                  !cte_has_children(kslot(KS_UNTYPED)));
    HCHECK("Delete of an untyped with children leaves the children", ({
               new_untyped(12, 12);
               cte_t *child = kslot(13);
               cte_insert(kslot(12), child, cap_endpoint_new(paddr_to_kptr(cap_untyped_paddr(kcap(12))), 0, ALL), true,
                          true);
               cn_delete(12) == 0 && cap_is_null(kcap(12)) && !cap_is_null(child->cap) &&
                   is_mdb_parent_of(kslot(KS_UNTYPED), child);
           }));
    HCHECK("invariants hold", kinvariants() == 0);
}

static void test_recursive(unsigned preempt_every)
{
    char name[160];
    kenv_init();
    new_endpoint(10);
    build_tree(20, 10, 30);
    tcb_t *child = NULL;
    for (tcb_t *t = tcb_first(); t; t = t->debug_next)
        if (t != kt)
            child = t;
    snprintf(name, sizeof(name), "[preempt every %u] the tree is built (5 caps in the CNode's subtree)", preempt_every);
    HCHECK(name, used_slots(kcap(20)) == 4 && child && kinvariants() == 0);
    cap_t outer = kcap(20), inner = cap_cnode_slots(kcap(20))[5].cap;

    preempt_test_every = preempt_every;
    word_t r = cn_delete(20);
    preempt_test_every = 0;
    snprintf(name, sizeof(name), "[preempt every %u] Delete of the CNode succeeds%s", preempt_every,
             preempt_every ? " after restarts" : "");
    HCHECK(name, r == 0 && cap_is_null(kcap(20)) && (preempt_every == 0 || kcall_restarts > 0));
    snprintf(name, sizeof(name), "[preempt every %u] its slots and the nested CNode's are empty", preempt_every);
    HCHECK(name, used_slots(outer) == 0 && used_slots(inner) == 0);
    snprintf(name, sizeof(name), "[preempt every %u] the nested TCB was destroyed", preempt_every);
    HCHECK(name, !thread_listed(child) && child->state == thread_inactive);
    snprintf(name, sizeof(name), "[preempt every %u] the endpoint keeps only its original cap; the untyped "
             "owns nothing but it", preempt_every);
    HCHECK(name, mdb_next(kslot(10)) == NULL && mdb_next(kslot(KS_UNTYPED)) == kslot(10));
    snprintf(name, sizeof(name), "[preempt every %u] the root CNode cap lost its copy only", preempt_every);
    HCHECK(name, mdb_next(kslot(KS_CNODE)) == &kt->cnode[tcb_slot_cspace] && !cap_is_null(kcap(KS_CNODE)));
    snprintf(name, sizeof(name), "[preempt every %u] invariants hold", preempt_every);
    HCHECK(name, kinvariants() == 0);
}

static void test_zombie_visible(void)
{
    kenv_init();
    new_endpoint(10);
    build_tree(20, 10, 30);
    preempt_test_every = 1;
    HCHECK("a preempted Delete leaves a zombie in the slot", kcall_once(KS_CNODE, CNodeDelete, 2, 0, NULL,
                                                                        (const word_t[]){ 20, 64 }) == ~0ul &&
                                                                 cap_get_type(kcap(20)) == cap_zombie);
    preempt_test_every = 0;
    HCHECK("a zombie is a long-running delete", slot_cap_long_running_delete(kslot(20)));
    HCHECK("invariants hold with a zombie", kinvariants() == 0);
    HCHECK("Copy of a zombie is IllegalOperation", cn_copy(40, 20, ALL) == seL4_IllegalOperation);
    HCHECK("Move of a zombie is allowed", cn_move(40, 20) == 0 && cap_get_type(kcap(40)) == cap_zombie);
    HCHECK("Delete of the moved zombie finishes the job", cn_delete(40) == 0 && cap_is_null(kcap(40)) &&
                                                              mdb_next(kslot(KS_UNTYPED)) == kslot(10));
    HCHECK("invariants hold", kinvariants() == 0);
    new_cnode(41, 2);
    HCHECK("the final cap of a CNode is a long-running delete", slot_cap_long_running_delete(kslot(41)));
    cn_copy(42, 41, ALL);
    HCHECK("a CNode cap with a copy is not", !slot_cap_long_running_delete(kslot(41)));
    HCHECK("an endpoint cap is not", !slot_cap_long_running_delete(kslot(10)));
}

static void test_cycles(void)
{
    /* A CNode holding its own last cap (reached by Revoke of its untyped). */
    kenv_init();
    new_untyped(10, 16);
    cap_t u = kcap(10); /* the CNode is carved from untyped 10 by hand */
    cte_insert(kslot(10), kslot(11), cap_cnode_new(paddr_to_kptr(cap_untyped_paddr(u)), 3, 0, 0), true, true);
    kslot(10)->cap = cap_untyped_new(cap_untyped_paddr(u), 16, false, BIT(3 + seL4_SlotBits));
    new_endpoint(12);
    into_cnode(CNodeMove, 11, 1, 12);
    cn_copy(13, 11, ALL);               /* a second cap to the CNode, to address it */
    into_cnode(CNodeMove, 13, 4, 11);   /* the original into its own slot 4 */
    HCHECK("self-containing CNode built", cn_delete(13) == 0 && kinvariants() == 0);
    HCHECK("Revoke of its untyped destroys it and its contents",
           cn_revoke(10) == 0 && !cte_has_children(kslot(10)) && mdb_next(kslot(10)) == NULL);
    HCHECK("invariants hold", kinvariants() == 0);

    /* Two CNodes holding each other's last caps, plus an endpoint each. */
    for (unsigned every = 0; every < 4; every++) {
        char name[128];
        kenv_init();
        new_untyped(10, 16);
        cap_t u2 = kcap(10);
        paddr_t base = cap_untyped_paddr(u2);
        cte_insert(kslot(10), kslot(11), cap_cnode_new(paddr_to_kptr(base), 2, 0, 0), true, true);
        cte_insert(kslot(10), kslot(12), cap_cnode_new(paddr_to_kptr(base + 0x80), 2, 0, 0), true, true);
        cte_insert(kslot(10), kslot(13), cap_endpoint_new(paddr_to_kptr(base + 0x100), 0, ALL), true, true);
        cte_insert(kslot(10), kslot(14), cap_endpoint_new(paddr_to_kptr(base + 0x110), 0, ALL), true, true);
        kslot(10)->cap = cap_untyped_new(base, 16, false, 0x120);
        cn_copy(15, 11, ALL);
        cn_copy(16, 12, ALL);
        into_cnode(CNodeMove, 15, 3, 13);
        into_cnode(CNodeMove, 16, 3, 14);
        into_cnode(CNodeMove, 15, 1, 12); /* A[1] = the original cap to B */
        into_cnode(CNodeMove, 16, 1, 11); /* B[1] = the original cap to A */
        cn_delete(15);
        cn_delete(16);
        snprintf(name, sizeof(name), "[preempt every %u] a ring of two CNodes is built", every);
        HCHECK(name, kinvariants() == 0 && cte_has_children(kslot(10)));
        preempt_test_every = every;
        word_t r = cn_revoke(10);
        preempt_test_every = 0;
        snprintf(name, sizeof(name), "[preempt every %u] Revoke of their untyped destroys the ring", every);
        HCHECK(name, r == 0 && mdb_next(kslot(10)) == NULL);
        snprintf(name, sizeof(name), "[preempt every %u] invariants hold", every);
        HCHECK(name, kinvariants() == 0);
    }
}

static void test_threads(void)
{
    kenv_init();
    new_tcb(10);
    tcb_t *t = cap_ptr(kcap(10));
    t->state = thread_running;
    sched_enqueue(t);
    cte_insert(kslot(KS_CNODE), &t->cnode[tcb_slot_cspace], kcap(KS_CNODE), false, false);
    HCHECK("Copy of a TCB cap, Delete of the copy: the thread lives",
           cn_copy(11, 10, ALL) == 0 && cn_delete(11) == 0 && thread_listed(t) && t->in_ready_queue);
    HCHECK("Delete of the last TCB cap: the thread stops and its slots are emptied",
           cn_delete(10) == 0 && !thread_listed(t) && !t->in_ready_queue && t->state == thread_inactive &&
               cap_is_null(t->cnode[tcb_slot_cspace].cap) &&
               mdb_next(kslot(KS_CNODE)) == &kt->cnode[tcb_slot_cspace]);
    HCHECK("invariants hold", kinvariants() == 0);

    /* The running thread deletes its own (last) TCB cap. It is Inactive afterwards, so (as in
     * seL4) the kernel sends no reply: only a thread still Restart after an invocation gets one. */
    const word_t self_mr[2] = { KS_TCB, 64 };
    word_t r = kcall_once(KS_CNODE, CNodeDelete, 2, 0, NULL, self_mr);
    HCHECK("the running thread deletes its own TCB: no reply to a dead thread", r == ~0ul && cap_is_null(kcap(KS_TCB)));
    HCHECK("...and the thread is stopped and unlisted", kt->state == thread_inactive && !thread_listed(kt) &&
                                                            !kt->in_ready_queue);
    HCHECK("...its CSpace root copy went, the root CNode stays", cap_is_null(kt->cnode[tcb_slot_cspace].cap) &&
                                                                    !cap_is_null(kcap(KS_CNODE)));
    HCHECK("invariants hold", kinvariants() == 0);

    /* A thread whose TCB holds the last cap to its own CSpace root R deletes its TCB cap,
     * kept in a CNode C whose only cap is in R: TCB -> R -> C -> the deleted slot is a ring
     * through the deleted slot. */
    for (unsigned every = 0; every < 3; every++) {
        char name[128];
        kenv_init();
        new_endpoint(10);
        new_cnode(20, 2);
        cte_t *c = cap_cnode_slots(kcap(20));
        into_cnode(CNodeMove, 20, 0, KS_TCB);
        snprintf(name, sizeof(name), "[preempt every %u] the TCB's copy of the CSpace root cap is its last", every);
        HCHECK(name, cn_delete(KS_CNODE) == 0 && is_final_cap(&kt->cnode[tcb_slot_cspace]));
        preempt_test_every = every;
        const word_t mr[2] = { 0, 2 };
        r = kcall_once(20, CNodeDelete, 2, 0, NULL, mr);
        preempt_test_every = 0;
        snprintf(name, sizeof(name), "[preempt every %u] the thread deletes its TCB: the call %s", every,
                 every ? "is preempted (and never restarted)" : "completes without a reply (the thread is dead)");
        HCHECK(name, r == ~0ul);
        snprintf(name, sizeof(name), "[preempt every %u] the thread is stopped", every);
        HCHECK(name, kt->state == thread_inactive && !thread_listed(kt));
        if (every) { /* somebody else finishes the deletion: C[0] holds the zombie */
            snprintf(name, sizeof(name), "[preempt every %u] another Delete of the zombie finishes it", every);
            HCHECK(name, cap_get_type(c[0].cap) == cap_zombie && cte_delete(&c[0]) == EXCEPTION_NONE);
        }
        unsigned left = 0;
        for (word_t i = 0; i < BIT(KENV_RADIX); i++)
            left += !cap_is_null(kroot[i].cap);
        snprintf(name, sizeof(name), "[preempt every %u] the CSpace root and C were destroyed with their contents",
                 every);
        HCHECK(name, left == 0 && cap_is_null(c[0].cap) && cap_is_null(kt->cnode[tcb_slot_cspace].cap));
        snprintf(name, sizeof(name), "[preempt every %u] invariants hold", every);
        HCHECK(name, kinvariants() == 0);
    }
}

static void test_revoke_many(void)
{
    for (unsigned every = 0; every < 3; every++) {
        char name[128];
        kenv_init();
        for (word_t i = 0; i < 60; i++)
            new_endpoint(20 + i);
        new_endpoint(10);
        build_tree(100, 10, 110);
        new_cnode(120, 5);
        preempt_test_every = every;
        word_t r = cn_revoke(KS_UNTYPED);
        preempt_test_every = 0;
        snprintf(name, sizeof(name), "[preempt every %u] Revoke of an untyped with 64 objects", every);
        HCHECK(name, r == 0 && mdb_next(kslot(KS_UNTYPED)) == NULL && (every == 0 || kcall_restarts > 0));
        unsigned left = 0;
        for (word_t i = KS_FREE; i < BIT(KENV_RADIX); i++)
            left += !cap_is_null(kroot[i].cap);
        snprintf(name, sizeof(name), "[preempt every %u] no cap to them is left", every);
        HCHECK(name, left == 0 && kinvariants() == 0);
    }
}

static void test_arch_objects(void)
{
    kenv_init();
    cte_insert(kslot(KS_IO_PORT_CONTROL), kslot(10), cap_io_port_new(0x60, 0x64), true, false);
    HCHECK("IOPort caps are children of IOPortControl", is_mdb_parent_of(kslot(KS_IO_PORT_CONTROL), kslot(10)));
    HCHECK("Copy of an IOPort cap is its child", cn_copy(11, 10, ALL) == 0 && !mdb_revocable(kslot(11)) &&
                                                    is_mdb_parent_of(kslot(10), kslot(11)));
    HCHECK("Delete of the copy does not free the ports", cn_delete(11) == 0 && fake_finalised.ioport_frees == 0);
    HCHECK("Delete of the last IOPort cap frees its range", cn_delete(10) == 0 && fake_finalised.ioport_frees == 1 &&
                                                               cap_io_port_first(fake_finalised.last_ioport) == 0x60 &&
                                                               cap_io_port_last(fake_finalised.last_ioport) == 0x64);
    cte_insert(kslot(KS_IO_PORT_CONTROL), kslot(12), cap_io_port_new(1, 2), true, false);
    cte_insert(kslot(KS_IO_PORT_CONTROL), kslot(13), cap_io_port_new(3, 4), true, false);
    cn_copy(14, 13, ALL);
    HCHECK("Revoke of IOPortControl deletes every issued range", cn_revoke(KS_IO_PORT_CONTROL) == 0 &&
                                                                    fake_finalised.ioport_frees == 3 &&
                                                                    cap_is_null(kcap(14)) &&
                                                                    !cap_is_null(kcap(KS_IO_PORT_CONTROL)));

    cte_insert(NULL, kslot(20), cap_set_mapping(cap_paging_new(cap_page_table, kroot + 1024, 0), 1, 0x400000), true,
               true);
    cn_copy(21, 20, ALL);
    HCHECK("Delete of a mapped page table copy does not unmap it", cn_delete(21) == 0 && fake_finalised.table_unmaps == 0);
    HCHECK("Delete of its last cap unmaps it", cn_delete(20) == 0 && fake_finalised.table_unmaps == 1);
    cte_insert(NULL, kslot(22), cap_paging_new(cap_pml4, kroot + 1152, 1), true, true);
    cn_copy(23, 22, ALL);
    HCHECK("Delete of a PML4 copy keeps its ASID", cn_delete(23) == 0 && fake_finalised.asid_releases == 0);
    HCHECK("Delete of its last cap releases the ASID", cn_delete(22) == 0 && fake_finalised.asid_releases == 1);
    cte_insert(NULL, kslot(24), cap_asid_pool_new(kroot + 1280, 0), true, true);
    HCHECK("Delete of the last ASID pool cap releases the pool", cn_delete(24) == 0 && fake_finalised.pool_releases == 1);
    HCHECK("invariants hold", kinvariants() == 0);
}

int main(void)
{
    test_simple();
    for (unsigned every = 0; every < 4; every++)
        test_recursive(every);
    test_zombie_visible();
    test_cycles();
    test_threads();
    test_revoke_many();
    test_arch_objects();
    return host_failures ? 1 : 0;
}
