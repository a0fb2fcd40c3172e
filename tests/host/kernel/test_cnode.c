/* CNode invocations (abi §5.4, §6, §9.2) through handle_invocation: every check in seL4's
 * order with its error code, reply length and detail MRs, and the effect of each operation
 * on the slots and the derivation tree. */
#include "kenv.h"
#include "cap.h"

int host_failures;

/* The reply was error e with exactly these detail MRs. */
static bool reply_is(word_t got, word_t e, unsigned n, const word_t *mrs)
{
    if (got != e || kreply_length() != n)
        return false;
    for (unsigned i = 0; i < n; i++)
        if (kmr(i) != mrs[i])
            return false;
    return true;
}
#define REPLY(got, e, ...) \
    ({ \
        const word_t _m[] = { 0, ##__VA_ARGS__ }; \
        reply_is(got, e, sizeof(_m) / sizeof(_m[0]) - 1, _m + 1); \
    })

static void test_generic_checks(void)
{
    kenv_init();
    const word_t mr[8] = { KS_FREE, 64 };
    HCHECK("label below Revoke is IllegalOperation", REPLY(kcall(KS_CNODE, CNodeRevoke - 1, 2, 0, NULL, mr),
                                                             seL4_IllegalOperation));
    HCHECK("label above Rotate is IllegalOperation", REPLY(kcall(KS_CNODE, CNodeRotate + 1, 2, 0, NULL, mr),
                                                             seL4_IllegalOperation));
    HCHECK("1 MR is TruncatedMessage", REPLY(kcall(KS_CNODE, CNodeDelete, 1, 0, NULL, mr), seL4_TruncatedMessage));
    HCHECK("depth 0 is RangeError(1, 64)", REPLY(cn_slot_op(CNodeDelete, KS_FREE, 0), seL4_RangeError, 1, 64));
    HCHECK("depth 65 is RangeError(1, 64)", REPLY(cn_slot_op(CNodeRevoke, KS_FREE, 65), seL4_RangeError, 1, 64));
    /* The root CNode: radix 8, guard size 56, guard 0. */
    HCHECK("depth = radix is GuardMismatch(bitsLeft 8, guard 0, guard size 56), not a source",
           REPLY(cn_slot_op(CNodeDelete, KS_FREE, KENV_RADIX), seL4_FailedLookup, 0, seL4_GuardMismatch, 8, 0, 56));
    HCHECK("a set guard bit is GuardMismatch(64, 0, 56)",
           REPLY(cn_slot_op(CNodeDelete, (1ul << 63) | KS_FREE, 64), seL4_FailedLookup, 0, seL4_GuardMismatch, 64,
                 0, 56));

    /* A second CNode without guard: radix 4; invoked directly (it is a cap in slot 20). */
    new_cnode(20, 4);
    cap_cnode_slots(kcap(20))[3].cap = cap_null_cap();
    const word_t d2[2] = { 0x3, 2 };
    HCHECK("depth below the level size is DepthMismatch(bitsLeft 2, bitsFound 4)",
           REPLY(kcall(20, CNodeDelete, 2, 0, NULL, d2), seL4_FailedLookup, 0, seL4_DepthMismatch, 2, 4));
    const word_t d8[2] = { 0x35, 8 };
    HCHECK("bits left after a non-CNode slot is DepthMismatch(bitsLeft 4, bitsFound 0)",
           REPLY(kcall(20, CNodeDelete, 2, 0, NULL, d8), seL4_FailedLookup, 0, seL4_DepthMismatch, 4, 0));
    /* A guard on the second level: slot 3 of the radix-4 CNode holds a cap to a radix-2 CNode
     * with guard 0b101 (size 3). */
    new_cnode(21, 2);
    cte_t *s3 = &cap_cnode_slots(kcap(20))[3];
    cte_insert(kslot(21), s3, cap_cnode_new(cap_cnode_slots(kcap(21)), 2, 3, 5), false, false);
    const word_t g_ok[2] = { (0x3 << 5) | (5 << 2) | 1, 9 }, g_bad[2] = { (0x3 << 5) | (4 << 2) | 1, 9 };
    HCHECK("a two-level address resolves (Delete of its empty slot succeeds)",
           REPLY(kcall(20, CNodeDelete, 2, 0, NULL, g_ok), seL4_NoError));
    HCHECK("a second-level guard mismatch is GuardMismatch(bitsLeft 5, guard 5, size 3)",
           REPLY(kcall(20, CNodeDelete, 2, 0, NULL, g_bad), seL4_FailedLookup, 0, seL4_GuardMismatch, 5, 5, 3));
    HCHECK("invariants hold", kinvariants() == 0);
}

static void test_copy_family_checks(void)
{
    kenv_init();
    new_endpoint(10);
    word_t mr[6] = { KS_FREE, 64, 10, 64, seL4_AllRights.words[0], 0 };
    const word_t root[1] = { KS_CNODE }, tcb_root[1] = { KS_TCB };
    static const struct { word_t label; const char *name; } ops[] = {
        { CNodeCopy, "Copy" }, { CNodeMint, "Mint" }, { CNodeMove, "Move" }, { CNodeMutate, "Mutate" } };
    char name[128];
    for (unsigned i = 0; i < 4; i++) {
        word_t l = ops[i].label;
        snprintf(name, sizeof(name), "%s: 3 MRs is TruncatedMessage", ops[i].name);
        HCHECK(name, REPLY(kcall(KS_CNODE, l, 3, 1, root, mr), seL4_TruncatedMessage));
        snprintf(name, sizeof(name), "%s: no source root cap is TruncatedMessage", ops[i].name);
        HCHECK(name, REPLY(kcall(KS_CNODE, l, 6, 0, NULL, mr), seL4_TruncatedMessage));
        snprintf(name, sizeof(name), "%s: an occupied destination is DeleteFirst", ops[i].name);
        mr[0] = KS_TCB;
        HCHECK(name, REPLY(kcall(KS_CNODE, l, 6, 1, root, mr), seL4_DeleteFirst));
        mr[0] = KS_FREE;
        snprintf(name, sizeof(name), "%s: a destination error comes before DeleteFirst", ops[i].name);
        mr[1] = 0;
        HCHECK(name, REPLY(kcall(KS_CNODE, l, 6, 1, root, mr), seL4_RangeError, 1, 64));
        mr[1] = 64;
        snprintf(name, sizeof(name), "%s: a source root that is not a CNode is FailedLookup(source, InvalidRoot)",
                 ops[i].name);
        HCHECK(name, REPLY(kcall(KS_CNODE, l, 6, 1, tcb_root, mr), seL4_FailedLookup, 1, seL4_InvalidRoot));
        snprintf(name, sizeof(name), "%s: source depth 0 is RangeError(1, 64)", ops[i].name);
        mr[3] = 0;
        HCHECK(name, REPLY(kcall(KS_CNODE, l, 6, 1, root, mr), seL4_RangeError, 1, 64));
        snprintf(name, sizeof(name), "%s: a source guard mismatch is FailedLookup(source 1, GuardMismatch)",
                 ops[i].name);
        mr[3] = 8;
        HCHECK(name, REPLY(kcall(KS_CNODE, l, 6, 1, root, mr), seL4_FailedLookup, 1, seL4_GuardMismatch, 8, 0, 56));
        mr[3] = 64;
        snprintf(name, sizeof(name), "%s: an empty source is FailedLookup(source 1, MissingCapability(64))",
                 ops[i].name);
        mr[2] = KS_FREE + 1;
        HCHECK(name, REPLY(kcall(KS_CNODE, l, 6, 1, root, mr), seL4_FailedLookup, 1, seL4_MissingCapability, 64));
        mr[2] = 10;
    }
    HCHECK("Copy: 4 MRs with a good source is TruncatedMessage", REPLY(kcall(KS_CNODE, CNodeCopy, 4, 1, root, mr),
                                                                      seL4_TruncatedMessage));
    HCHECK("Mint: 5 MRs with a good source is TruncatedMessage", REPLY(kcall(KS_CNODE, CNodeMint, 5, 1, root, mr),
                                                                      seL4_TruncatedMessage));
    HCHECK("Mutate: 4 MRs with a good source is TruncatedMessage",
           REPLY(kcall(KS_CNODE, CNodeMutate, 4, 1, root, mr), seL4_TruncatedMessage));
    HCHECK("Move: 4 MRs is enough", REPLY(kcall(KS_CNODE, CNodeMove, 4, 1, root, mr), seL4_NoError) &&
                                        cap_get_type(kcap(KS_FREE)) == cap_endpoint && cap_is_null(kcap(10)));
    HCHECK("Move of an occupied slot onto itself is DeleteFirst", REPLY(cn_move(KS_FREE, KS_FREE), seL4_DeleteFirst));
    HCHECK("Move of an empty slot onto itself is FailedLookup(1, MissingCapability(64))",
           REPLY(cn_move(10, 10), seL4_FailedLookup, 1, seL4_MissingCapability, 64));
    HCHECK("invariants hold", kinvariants() == 0);
}

static void test_derive_rules(void)
{
    kenv_init();
    word_t all = seL4_AllRights.words[0];
    HCHECK("Copy of IRQControl is IllegalOperation", REPLY(cn_copy(KS_FREE, KS_IRQ_CONTROL, all), seL4_IllegalOperation));
    HCHECK("Copy of IOPortControl is IllegalOperation",
           REPLY(cn_copy(KS_FREE, KS_IO_PORT_CONTROL, all), seL4_IllegalOperation));
    HCHECK("Mint of IRQControl is IllegalOperation",
           REPLY(cn_mint(KS_FREE, KS_IRQ_CONTROL, all, 0), seL4_IllegalOperation));
    HCHECK("Move of IRQControl is allowed", REPLY(cn_move(KS_FREE, KS_IRQ_CONTROL), seL4_NoError) &&
                                                cap_get_type(kcap(KS_FREE)) == cap_irq_control &&
                                                mdb_revocable(kslot(KS_FREE)));
    HCHECK("...and back", REPLY(cn_move(KS_IRQ_CONTROL, KS_FREE), seL4_NoError));

    /* Untyped: a copy while it has no children marks the original full; with children,
     * RevokeFirst. */
    HCHECK("Copy of a childless untyped", REPLY(cn_copy(KS_FREE, KS_UNTYPED, all), seL4_NoError) &&
                                              cap_get_type(kcap(KS_FREE)) == cap_untyped &&
                                              mdb_revocable(kslot(KS_FREE)) &&
                                              mdb_next(kslot(KS_UNTYPED)) == kslot(KS_FREE));
    HCHECK("the copied untyped is marked full", cap_untyped_free_offset(kcap(KS_UNTYPED)) == BIT(KENV_UT_BITS));
    HCHECK("the copy keeps its free offset", cap_untyped_free_offset(kcap(KS_FREE)) == 0);
    HCHECK("Copy of an untyped with children is RevokeFirst",
           REPLY(cn_copy(KS_FREE + 1, KS_UNTYPED, all), seL4_RevokeFirst));
    HCHECK("Delete of the copy", REPLY(cn_delete(KS_FREE), seL4_NoError) && cap_is_null(kcap(KS_FREE)));

    /* Paging structures must be mapped to be copied; frames copy unmapped. */
    cte_insert(NULL, kslot(30), cap_paging_new(cap_page_table, kroot + 1024, 0), true, true);
    HCHECK("Copy of an unmapped page table is IllegalOperation", REPLY(cn_copy(KS_FREE, 30, all), seL4_IllegalOperation));
    cte_insert(NULL, kslot(31), cap_set_mapping(cap_paging_new(cap_page_table, kroot + 1152, 0), 1, 0x400000), true,
               true);
    HCHECK("Copy of a mapped page table", REPLY(cn_copy(KS_FREE, 31, all), seL4_NoError) &&
                                              cap_get_type(kcap(KS_FREE)) == cap_page_table);
    cte_insert(NULL, kslot(32), cap_paging_new(cap_pml4, kroot + 1280, 0), true, true);
    HCHECK("Copy of a PML4 without ASID is IllegalOperation", REPLY(cn_copy(KS_FREE + 1, 32, all), seL4_IllegalOperation));
    cap_t mapped = cap_set_mapping(cap_frame_new(kenv_base() + 0xb000, frame_4k, VM_READ | VM_WRITE, false), 1, 0x1000);
    cte_insert(NULL, kslot(33), mapped, true, true);
    HCHECK("Copy of a mapped frame is unmapped", REPLY(cn_copy(KS_FREE + 1, 33, all), seL4_NoError) &&
                                                    cap_mapped_asid(kcap(KS_FREE + 1)) == 0 &&
                                                    cap_frame_paddr(kcap(KS_FREE + 1)) == kenv_base() + 0xb000);
    HCHECK("Copy with Read only makes a read-only frame cap",
           REPLY(cn_copy(KS_FREE + 2, 33, seL4_CanRead.words[0]), seL4_NoError) &&
               cap_frame_vm_rights(kcap(KS_FREE + 2)) == VM_READ);
    HCHECK("Copy with Write only makes a kernel-only frame cap",
           REPLY(cn_copy(KS_FREE + 3, 33, seL4_CanWrite.words[0]), seL4_NoError) &&
               cap_frame_vm_rights(kcap(KS_FREE + 3)) == 0);
    HCHECK("Copy of a read-only frame cap with all rights stays read-only",
           REPLY(cn_copy(KS_FREE + 4, KS_FREE + 2, all), seL4_NoError) && cap_frame_vm_rights(kcap(KS_FREE + 4)) == VM_READ);
    HCHECK("frame copies are children of the original",
           is_mdb_parent_of(kslot(33), kslot(KS_FREE + 1)) && !mdb_revocable(kslot(KS_FREE + 1)));
    HCHECK("Revoke of the frame removes its copies without unmapping it",
           REPLY(cn_revoke(33), seL4_NoError) && cap_is_null(kcap(KS_FREE + 1)) && cap_is_null(kcap(KS_FREE + 4)) &&
               fake_finalised.frame_unmaps == 0);
    HCHECK("Delete of the mapped frame unmaps it", REPLY(cn_delete(33), seL4_NoError) && fake_finalised.frame_unmaps == 1);
    HCHECK("invariants hold", kinvariants() == 0);
}

static void test_badges_and_guards(void)
{
    kenv_init();
    word_t all = seL4_AllRights.words[0];
    new_endpoint(10);
    HCHECK("Mint with badge 0 leaves the endpoint unbadged and not revocable",
           REPLY(cn_mint(11, 10, all, 0), seL4_NoError) && cap_badge(kcap(11)) == 0 && !mdb_revocable(kslot(11)));
    HCHECK("Mint with badge 5 badges it; revocable, first badged",
           REPLY(cn_mint(12, 10, all, 5), seL4_NoError) && cap_badge(kcap(12)) == 5 && mdb_revocable(kslot(12)) &&
               mdb_first_badged(kslot(12)));
    HCHECK("Mint of a badged endpoint is IllegalOperation", REPLY(cn_mint(13, 12, all, 6), seL4_IllegalOperation));
    HCHECK("Mint of a badged endpoint with data 0 is IllegalOperation too",
           REPLY(cn_mint(13, 12, all, 0), seL4_IllegalOperation));
    HCHECK("Copy of a badged endpoint keeps the badge; a child of it",
           REPLY(cn_copy(13, 12, all), seL4_NoError) && cap_badge(kcap(13)) == 5 && is_mdb_parent_of(kslot(12), kslot(13)));
    HCHECK("a second Mint with the same badge is not a child of the first",
           REPLY(cn_mint(14, 10, all, 5), seL4_NoError) && !is_mdb_parent_of(kslot(14), mdb_next(kslot(14))));
    HCHECK("Mutate of an endpoint is IllegalOperation", REPLY(cn_mutate(15, 11, 7), seL4_IllegalOperation));
    HCHECK("Mutate of an endpoint with data 0 is IllegalOperation", REPLY(cn_mutate(15, 11, 0), seL4_IllegalOperation));
    HCHECK("Copy masks endpoint rights", REPLY(cn_copy(15, 10, seL4_CanRead.words[0]), seL4_NoError) &&
                                             cap_rights(kcap(15)) == 2);
    HCHECK("Revoke of the badged cap deletes its copy only",
           REPLY(cn_revoke(12), seL4_NoError) && cap_is_null(kcap(13)) && !cap_is_null(kcap(14)) &&
               !cap_is_null(kcap(12)));
    HCHECK("Revoke of the original deletes every derived endpoint cap",
           REPLY(cn_revoke(10), seL4_NoError) && cap_is_null(kcap(11)) && cap_is_null(kcap(12)) &&
               cap_is_null(kcap(14)) && cap_is_null(kcap(15)) && !cap_is_null(kcap(10)));

    new_notification(20);
    HCHECK("Mint badges a notification", REPLY(cn_mint(21, 20, all, 0x40), seL4_NoError) && cap_badge(kcap(21)) == 0x40);
    HCHECK("Copy masks notification rights to send/receive", REPLY(cn_copy(22, 20, seL4_CanWrite.words[0]),
                                                                   seL4_NoError) && cap_rights(kcap(22)) == 1);
    HCHECK("Mutate of a notification is IllegalOperation", REPLY(cn_mutate(23, 20, 0), seL4_IllegalOperation));

    /* CNode guards: data = guard << 6 | guard size. */
    new_cnode(30, 4);
    HCHECK("Mint of a CNode sets the guard", REPLY(cn_mint(31, 30, all, (0x2a << 6) | 6), seL4_NoError) &&
                                                 cap_cnode_guard(kcap(31)) == 0x2a &&
                                                 cap_cnode_guard_size(kcap(31)) == 6);
    HCHECK("guard bits above the guard size are dropped",
           REPLY(cn_mint(32, 30, all, (0xff << 6) | 4), seL4_NoError) && cap_cnode_guard(kcap(32)) == 0xf);
    HCHECK("guard size + radix = 64 is allowed", REPLY(cn_mint(33, 30, all, 60), seL4_NoError));
    HCHECK("guard size + radix > 64 is IllegalOperation", REPLY(cn_mint(34, 30, all, 61), seL4_IllegalOperation));
    cte_t *before = mdb_prev(kslot(31)), *after = mdb_next(kslot(31));
    HCHECK("Mutate of a CNode changes the guard and keeps the MDB position",
           REPLY(cn_mutate(35, 31, (1 << 6) | 1), seL4_NoError) && cap_cnode_guard(kcap(35)) == 1 &&
               cap_cnode_guard_size(kcap(35)) == 1 && mdb_prev(kslot(35)) == before && mdb_next(kslot(35)) == after &&
               cap_is_null(kcap(31)));
    HCHECK("Mutate with data 0 clears the guard", REPLY(cn_mutate(31, 35, 0), seL4_NoError) &&
                                                      cap_cnode_guard_size(kcap(31)) == 0);
    HCHECK("Mutate of a CNode with guard size + radix > 64 is IllegalOperation",
           REPLY(cn_mutate(35, 31, 63), seL4_IllegalOperation));
    HCHECK("Mutate of a TCB cap ignores the data", REPLY(cn_mutate(40, KS_TCB, 0x1234), seL4_NoError) &&
                                                       cap_get_type(kcap(40)) == cap_thread);
    HCHECK("...and Move puts it back", REPLY(cn_move(KS_TCB, 40), seL4_NoError));
    HCHECK("invariants hold", kinvariants() == 0);
}

static void test_rotate(void)
{
    kenv_init();
    const word_t root2[2] = { KS_CNODE, KS_CNODE };
    word_t mr[8] = { 40, 64, 0, 41, 64, 0, 42, 64 };
    new_cnode(41, 1); /* pivot */
    new_cnode(42, 2); /* source */
    HCHECK("Rotate: 7 MRs is TruncatedMessage", REPLY(kcall(KS_CNODE, CNodeRotate, 7, 2, root2, mr), seL4_TruncatedMessage));
    HCHECK("Rotate: one cap is TruncatedMessage", REPLY(kcall(KS_CNODE, CNodeRotate, 8, 1, root2, mr), seL4_TruncatedMessage));
    mr[7] = 0;
    HCHECK("Rotate: source depth 0 is RangeError", REPLY(kcall(KS_CNODE, CNodeRotate, 8, 2, root2, mr), seL4_RangeError, 1, 64));
    mr[7] = 8;
    HCHECK("Rotate: a source guard mismatch is FailedLookup(source 1)",
           REPLY(kcall(KS_CNODE, CNodeRotate, 8, 2, root2, mr), seL4_FailedLookup, 1, seL4_GuardMismatch, 8, 0, 56));
    mr[7] = 64;
    mr[4] = 8;
    HCHECK("Rotate: a pivot guard mismatch is also FailedLookup(source 1)",
           REPLY(kcall(KS_CNODE, CNodeRotate, 8, 2, root2, mr), seL4_FailedLookup, 1, seL4_GuardMismatch, 8, 0, 56));
    mr[4] = 64;
    HCHECK("Rotate: pivot = source is IllegalOperation", REPLY(cn_rotate(40, 0, 42, 0, 42), seL4_IllegalOperation));
    HCHECK("Rotate: pivot = destination is IllegalOperation", REPLY(cn_rotate(41, 0, 41, 0, 42), seL4_IllegalOperation));
    HCHECK("Rotate: an occupied destination is DeleteFirst", REPLY(cn_rotate(KS_TCB, 0, 41, 0, 42), seL4_DeleteFirst));
    HCHECK("Rotate: an empty source is FailedLookup(1, Missing(64))",
           REPLY(cn_rotate(40, 0, 41, 0, 43), seL4_FailedLookup, 1, seL4_MissingCapability, 64));
    HCHECK("Rotate: an empty pivot is FailedLookup(0, Missing(64))",
           REPLY(cn_rotate(40, 0, 44, 0, 42), seL4_FailedLookup, 0, seL4_MissingCapability, 64));
    HCHECK("Rotate: DeleteFirst comes before an empty source", REPLY(cn_rotate(KS_TCB, 0, 44, 0, 43), seL4_DeleteFirst));
    new_endpoint(45);
    HCHECK("Rotate of an endpoint as source is IllegalOperation", REPLY(cn_rotate(40, 0, 41, 0, 45), seL4_IllegalOperation));
    HCHECK("Rotate of an endpoint as pivot is IllegalOperation", REPLY(cn_rotate(40, 0, 45, 0, 42), seL4_IllegalOperation));

    /* A three-way rotate: pivot -> destination (with the destination data), source -> pivot. */
    /* Retype put them after the untyped in the order U, 45, 42, 41. */
    cap_t pivot_cap = kcap(41), src_cap = kcap(42);
    HCHECK("Rotate moves pivot to destination and source to pivot, with new guards",
           REPLY(cn_rotate(40, (3 << 6) | 2, 41, (1 << 6) | 1, 42), seL4_NoError) && cap_is_null(kcap(42)) &&
               cap_addr(kcap(40)) == cap_addr(pivot_cap) && cap_cnode_guard(kcap(40)) == 3 &&
               cap_cnode_guard_size(kcap(40)) == 2 && cap_addr(kcap(41)) == cap_addr(src_cap) &&
               cap_cnode_guard(kcap(41)) == 1);
    HCHECK("the rotated caps keep their MDB positions",
           mdb_next(kslot(45)) == kslot(41) && mdb_next(kslot(41)) == kslot(40) && mdb_prev(kslot(40)) == kslot(41));
    /* Source = destination: a swap. */
    cap_t a = kcap(40), b = kcap(41);
    HCHECK("Rotate with source = destination swaps the two caps",
           REPLY(cn_rotate(40, 0, 41, 0, 40), seL4_NoError) && cap_addr(kcap(40)) == cap_addr(b) &&
               cap_addr(kcap(41)) == cap_addr(a) && cap_cnode_guard_size(kcap(40)) == 0);
    /* Swapping two caps that are MDB neighbours (a cap and its copy). */
    HCHECK("Copy for the neighbour swap", REPLY(cn_copy(46, 40, seL4_AllRights.words[0]), seL4_NoError) &&
                                              mdb_next(kslot(40)) == kslot(46));
    HCHECK("Rotate swap of MDB neighbours", REPLY(cn_rotate(40, 0, 46, 0, 40), seL4_NoError) &&
                                                mdb_next(kslot(46)) == kslot(40) && mdb_prev(kslot(40)) == kslot(46) &&
                                                mdb_revocable(kslot(46)) && !mdb_revocable(kslot(40)));
    HCHECK("invariants hold", kinvariants() == 0);
}

static void test_cancel_badged_sends_and_trivia(void)
{
    kenv_init();
    new_endpoint(10);
    HCHECK("CancelBadgedSends of an empty slot is IllegalOperation",
           REPLY(cn_slot_op(CNodeCancelBadgedSends, KS_FREE, 64), seL4_IllegalOperation));
    HCHECK("CancelBadgedSends of a TCB cap is IllegalOperation",
           REPLY(cn_slot_op(CNodeCancelBadgedSends, KS_TCB, 64), seL4_IllegalOperation));
    HCHECK("CancelBadgedSends of an unbadged endpoint with all rights succeeds",
           REPLY(cn_slot_op(CNodeCancelBadgedSends, 10, 64), seL4_NoError));
    HCHECK("Mint badge 3", REPLY(cn_mint(11, 10, seL4_AllRights.words[0], 3), seL4_NoError));
    HCHECK("CancelBadgedSends of a badged endpoint succeeds", REPLY(cn_slot_op(CNodeCancelBadgedSends, 11, 64),
                                                                  seL4_NoError));
    HCHECK("Mint without GrantReply", REPLY(cn_mint(12, 10, 0x7, 4), seL4_NoError));
    HCHECK("CancelBadgedSends without all four rights is IllegalOperation",
           REPLY(cn_slot_op(CNodeCancelBadgedSends, 12, 64), seL4_IllegalOperation));
    HCHECK("Delete of an empty slot succeeds", REPLY(cn_delete(KS_FREE), seL4_NoError));
    HCHECK("Revoke of an empty slot succeeds", REPLY(cn_revoke(KS_FREE), seL4_NoError));
    HCHECK("Revoke of a cap without children succeeds", REPLY(cn_revoke(KS_TCB), seL4_NoError) &&
                                                             !cap_is_null(kcap(KS_TCB)));
    HCHECK("a Send (no reply) performs the operation silently", ({
               kt->ctx.rdi = KS_CNODE;
               kt->ctx.rsi = seL4_MessageInfo_new(CNodeDelete, 0, 0, 2).words[0];
               *kmr_reg(0) = 12;
               *kmr_reg(1) = 64;
               handle_invocation(KS_CNODE, false, true, false);
               cap_is_null(kcap(12));
           }));
    HCHECK("invariants hold", kinvariants() == 0);
}

int main(void)
{
    test_generic_checks();
    test_copy_family_checks();
    test_derive_rules();
    test_badges_and_guards();
    test_rotate();
    test_cancel_badged_sends_and_trivia();
    return host_failures ? 1 : 0;
}
