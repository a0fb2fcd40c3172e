/* check_invariants() (invariants.c): quiet on a healthy world, and each kind of planted
 * corruption is reported. */
#include "kenv.h"
#include "cap.h"

int host_failures;

static void *ut_kptr(word_t offset) { return paddr_to_kptr(cap_untyped_paddr(kcap(KS_UNTYPED)) + offset); }
static void set_free_offset(word_t offset)
{
    cap_t u = kcap(KS_UNTYPED);
    kslot(KS_UNTYPED)->cap = cap_untyped_new(cap_untyped_paddr(u), cap_untyped_size_bits(u), false, offset);
}

int main(void)
{
    kenv_init();
    new_endpoint(20);
    new_cnode(21, 3);
    cn_copy(22, 20, 0xf);
    cn_mint(23, 20, 0xf, 9);
    cap_cnode_slots(kcap(21))[1].cap = cap_null_cap();
    const word_t mr[4] = { 1, 3, 22, 64 }, caps[1] = { KS_CNODE };
    kcall(21, CNodeMove, 4, 1, caps, mr); /* one cap inside the second CNode */
    new_tcb(24);
    HCHECK("a healthy world has no violations", kinvariants() == 0);

    cte_t *a = kslot(20), *b = mdb_next(a);
    mdb_set_prev(b, kslot(KS_TCB));
    HCHECK("a successor that does not link back is reported", kinvariants() > 0);
    mdb_set_prev(b, a);

    kslot(30)->mdb.next = (word_t)a;
    HCHECK("an empty slot with MDB links is reported", kinvariants() > 0);
    kslot(30)->mdb.next = 0;

    cte_t *last = kslot(20);
    while (mdb_next(last))
        last = mdb_next(last);
    mdb_set_next(last, kslot(31));
    HCHECK("a link to an empty slot is reported", kinvariants() > 0);
    mdb_set_next(last, NULL);

    word_t off = cap_untyped_free_offset(kcap(KS_UNTYPED));
    set_free_offset(off + 0x100);
    cte_insert(NULL, kslot(32), cap_endpoint_new(ut_kptr(off), 0, 0xf), true, true);
    HCHECK("a cap to an object in an untyped that is not its descendant is reported", kinvariants() > 0);
    cte_remove(kslot(32));
    set_free_offset(off);
    HCHECK("(healthy again)", kinvariants() == 0);

    cte_insert(kslot(KS_UNTYPED), kslot(33), cap_endpoint_new(ut_kptr(off + 0x100), 0, 0xf), true, true);
    HCHECK("a child above the untyped's watermark is reported", kinvariants() > 0);
    set_free_offset(off + 0x200);
    HCHECK("(not once the watermark is above it)", kinvariants() == 0);
    cte_remove(kslot(33));
    set_free_offset(off);

    cte_insert(NULL, kslot(34), cap_endpoint_new(paddr_to_kptr(kenv_base() + (12ul << 20)), 0, 0xf), true, true);
    HCHECK("an object in neither an untyped nor boot memory is reported", kinvariants() > 0);
    cte_remove(kslot(34));

    cte_insert(kslot(KS_UNTYPED), kslot(35), cap_endpoint_new((char *)cap_cnode_slots(kcap(21)) + 32, 0, 0xf), true,
               true);
    HCHECK("an object overlapping another is reported", kinvariants() > 0);
    cte_remove(kslot(35));

    cte_insert(kslot(KS_UNTYPED), kslot(36), cap_frame_new(kenv_base() + (4ul << 20), frame_2m, VM_READ, false), true,
               true);
    set_free_offset(BIT(KENV_UT_BITS));
    HCHECK("a large frame over other objects is reported", kinvariants() > 0);
    cte_remove(kslot(36));
    set_free_offset(off);

    HCHECK("the world is healthy after the repairs", kinvariants() == 0);
    HCHECK("and after deleting it all", cn_revoke(KS_UNTYPED) == 0 && kinvariants() == 0);
    return host_failures ? 1 : 0;
}
