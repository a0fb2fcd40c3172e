/* Every refusal of a CNode invocation (abi §5.4, §6, §8): the error code, the reply length
 * and each detail MR, in seL4's check order. */
#include <stdio.h>
#include <sel4/sel4.h>
#include <sel4platsupport/bootinfo.h>
#include "../common/check.h"
#include "../common/cnode_helpers.h"

#define ROOT seL4_CapInitThreadCNode
static seL4_Word radix; /* of the root CNode (guard size 64 - radix) */

/* A CNode operation on the root CNode with up to 8 MRs and up to 2 extra caps. */
static seL4_MessageInfo_t op(seL4_Word label, seL4_Word length, unsigned ncaps, seL4_Word m0, seL4_Word m1,
                             seL4_Word m2, seL4_Word m3, seL4_Word m4, seL4_Word m5, seL4_Word m6, seL4_Word m7)
{
    const seL4_Word mr[8] = { m0, m1, m2, m3, m4, m5, m6, m7 };
    const seL4_CPtr caps[2] = { ROOT, ROOT };
    return call_raw(ROOT, label, length, ncaps, caps, mr);
}
#define SLOT_OP(label, index, depth) op(label, 2, 0, index, depth, 0, 0, 0, 0, 0, 0)
#define COPY(label, len, dest, src, m4, m5) op(label, len, 1, dest, 64, src, 64, m4, m5, 0, 0)
#define ROTATE(dest, dd, pivot, pd, src) op(CNodeRotate, 8, 2, dest, 64, dd, pivot, 64, pd, src, 64)

int main(void)
{
    seL4_BootInfo *bi = platsupport_get_bootinfo();
    radix = bi->initThreadCNodeSizeBits;
    seL4_CPtr e = bi->empty.start, ep = e, cn = e + 1, pt = e + 2, pml4 = e + 3, badged = e + 4, free = e + 10;
    seL4_CPtr ut = find_untyped(bi, 16);
    CHECK("setup: an endpoint, a CNode of 16 slots, a page table and a PML4",
          make(ut, seL4_EndpointObject, 0, ep, 1) == seL4_NoError && make(ut, seL4_CapTableObject, 4, cn, 1) == 0 &&
              make(ut, seL4_X86_PageTableObject, 0, pt, 1) == 0 && make(ut, seL4_X64_PML4Object, 0, pml4, 1) == 0);
    CHECK("setup: a badged endpoint", seL4_CNode_Mint(ROOT, badged, 64, ROOT, ep, 64, seL4_AllRights, 7) == 0);

    /* Label, length, destination. */
    CHECK("label below CNodeRevoke: IllegalOperation, no MRs",
          reply_is(op(CNodeRevoke - 1, 2, 0, free, 64, 0, 0, 0, 0, 0, 0), seL4_IllegalOperation, 0));
    CHECK("label above CNodeRotate: IllegalOperation, no MRs",
          reply_is(op(CNodeRotate + 1, 2, 0, free, 64, 0, 0, 0, 0, 0, 0), seL4_IllegalOperation, 0));
    CHECK("one MR: TruncatedMessage, no MRs", reply_is(op(CNodeDelete, 1, 0, free, 64, 0, 0, 0, 0, 0, 0),
                                                       seL4_TruncatedMessage, 0));
    CHECK("depth 0: RangeError(1, 64)", reply_is(SLOT_OP(CNodeDelete, free, 0), seL4_RangeError, 2, 1, 64));
    CHECK("depth 65: RangeError(1, 64)", reply_is(SLOT_OP(CNodeRevoke, free, 65), seL4_RangeError, 2, 1, 64));
    char name[128];
    snprintf(name, sizeof(name), "depth %lu in the 2^%lu root CNode: FailedLookup(0, GuardMismatch(%lu, 0, %lu))",
             radix, radix, radix, 64 - radix);
    CHECK(name, reply_is(SLOT_OP(CNodeDelete, free, radix), seL4_FailedLookup, 5, 0, seL4_GuardMismatch, radix, 0,
                         64 - radix));
    CHECK("a set guard bit: FailedLookup(0, GuardMismatch(64, 0, guard size))",
          reply_is(SLOT_OP(CNodeDelete, (1ul << 63) | free, 64), seL4_FailedLookup, 5, 0, seL4_GuardMismatch, 64, 0,
                   64 - radix));
    const seL4_Word d2[2] = { 3, 2 }, d8[2] = { 0x35, 8 };
    CHECK("fewer bits than a level: FailedLookup(0, DepthMismatch(bitsLeft 2, bitsFound 4))",
          reply_is(call_raw(cn, CNodeDelete, 2, 0, NULL, d2), seL4_FailedLookup, 4, 0, seL4_DepthMismatch, 2, 4));
    CHECK("bits left after an empty slot: FailedLookup(0, DepthMismatch(4, 0))",
          reply_is(call_raw(cn, CNodeDelete, 2, 0, NULL, d8), seL4_FailedLookup, 4, 0, seL4_DepthMismatch, 4, 0));

    /* Copy, Mint, Move, Mutate. */
    static const struct { seL4_Word label; const char *name; } ops[] = {
        { CNodeCopy, "Copy" }, { CNodeMint, "Mint" }, { CNodeMove, "Move" }, { CNodeMutate, "Mutate" } };
    const seL4_Word all = seL4_AllRights.words[0];
    for (unsigned i = 0; i < 4; i++) {
        seL4_Word l = ops[i].label;
        snprintf(name, sizeof(name), "%s, 3 MRs: TruncatedMessage", ops[i].name);
        CHECK(name, reply_is(COPY(l, 3, free, ep, all, 0), seL4_TruncatedMessage, 0));
        snprintf(name, sizeof(name), "%s without the source root cap: TruncatedMessage", ops[i].name);
        CHECK(name, reply_is(op(l, 6, 0, free, 64, ep, 64, all, 0, 0, 0), seL4_TruncatedMessage, 0));
        snprintf(name, sizeof(name), "%s into a bad destination depth: RangeError(1, 64)", ops[i].name);
        CHECK(name, reply_is(op(l, 6, 1, free, 0, ep, 64, all, 0, 0, 0), seL4_RangeError, 2, 1, 64));
        snprintf(name, sizeof(name), "%s into an occupied slot: DeleteFirst", ops[i].name);
        CHECK(name, reply_is(COPY(l, 6, seL4_CapInitThreadTCB, ep, all, 0), seL4_DeleteFirst, 0));
        snprintf(name, sizeof(name), "%s from a source root that is no CNode: FailedLookup(1, InvalidRoot)",
                 ops[i].name);
        const seL4_Word mr[6] = { free, 64, ep, 64, all, 0 };
        const seL4_CPtr tcb[1] = { seL4_CapInitThreadTCB };
        CHECK(name, reply_is(call_raw(ROOT, l, 6, 1, tcb, mr), seL4_FailedLookup, 2, 1, seL4_InvalidRoot));
        snprintf(name, sizeof(name), "%s from source depth %lu: FailedLookup(1, GuardMismatch)", ops[i].name, radix);
        CHECK(name, reply_is(op(l, 6, 1, free, 64, ep, radix, all, 0, 0, 0), seL4_FailedLookup, 5, 1,
                             seL4_GuardMismatch, radix, 0, 64 - radix));
        snprintf(name, sizeof(name), "%s from an empty slot: FailedLookup(1, MissingCapability(64))", ops[i].name);
        CHECK(name, reply_is(COPY(l, 6, free, free + 1, all, 0), seL4_FailedLookup, 3, 1, seL4_MissingCapability, 64));
    }
    CHECK("Copy with 4 MRs: TruncatedMessage", reply_is(COPY(CNodeCopy, 4, free, ep, all, 0), seL4_TruncatedMessage, 0));
    CHECK("Mint with 5 MRs: TruncatedMessage", reply_is(COPY(CNodeMint, 5, free, ep, all, 0), seL4_TruncatedMessage, 0));
    CHECK("Mutate with 4 MRs: TruncatedMessage",
          reply_is(COPY(CNodeMutate, 4, free, cn, all, 0), seL4_TruncatedMessage, 0));
    CHECK("Move of an occupied slot onto itself: DeleteFirst (the tutorial's emptiness test)",
          reply_is(COPY(CNodeMove, 4, ep, ep, 0, 0), seL4_DeleteFirst, 0));
    CHECK("Move of an empty slot onto itself: FailedLookup(1, MissingCapability(64))",
          reply_is(COPY(CNodeMove, 4, free, free, 0, 0), seL4_FailedLookup, 3, 1, seL4_MissingCapability, 64));

    /* What cannot be derived or re-badged. */
    CHECK("Copy of IRQControl: IllegalOperation",
          reply_is(COPY(CNodeCopy, 5, free, seL4_CapIRQControl, all, 0), seL4_IllegalOperation, 0));
    CHECK("Copy of IOPortControl: IllegalOperation",
          reply_is(COPY(CNodeCopy, 5, free, seL4_CapIOPortControl, all, 0), seL4_IllegalOperation, 0));
    CHECK("Copy of an untyped with children: RevokeFirst", reply_is(COPY(CNodeCopy, 5, free, ut, all, 0),
                                                                    seL4_RevokeFirst, 0));
    CHECK("Copy of an unmapped page table: IllegalOperation",
          reply_is(COPY(CNodeCopy, 5, free, pt, all, 0), seL4_IllegalOperation, 0));
    CHECK("Copy of a PML4 without ASID: IllegalOperation",
          reply_is(COPY(CNodeCopy, 5, free, pml4, all, 0), seL4_IllegalOperation, 0));
    CHECK("Mint of a badged endpoint: IllegalOperation",
          reply_is(COPY(CNodeMint, 6, free, badged, all, 9), seL4_IllegalOperation, 0));
    CHECK("Mint of a badged endpoint with badge 0: IllegalOperation",
          reply_is(COPY(CNodeMint, 6, free, badged, all, 0), seL4_IllegalOperation, 0));
    CHECK("Mutate of an endpoint: IllegalOperation", reply_is(COPY(CNodeMutate, 5, free, ep, 0, 0),
                                                              seL4_IllegalOperation, 0));
    CHECK("Mint of a CNode with guard size + radix > 64: IllegalOperation",
          reply_is(COPY(CNodeMint, 6, free, cn, all, 61), seL4_IllegalOperation, 0));
    CHECK("Mutate of the root CNode cap with a guard size too big: IllegalOperation",
          reply_is(COPY(CNodeMutate, 5, free, ROOT, 65 - radix, 0), seL4_IllegalOperation, 0));

    /* Rotate. */
    seL4_CPtr pivot = e + 5, src = e + 6;
    CHECK("setup: two CNode copies for Rotate", seL4_CNode_Copy(ROOT, pivot, 64, ROOT, cn, 64, seL4_AllRights) == 0 &&
                                                    seL4_CNode_Copy(ROOT, src, 64, ROOT, cn, 64, seL4_AllRights) == 0);
    CHECK("Rotate with 7 MRs: TruncatedMessage",
          reply_is(op(CNodeRotate, 7, 2, free, 64, 0, pivot, 64, 0, src, 64), seL4_TruncatedMessage, 0));
    CHECK("Rotate with one cap: TruncatedMessage",
          reply_is(op(CNodeRotate, 8, 1, free, 64, 0, pivot, 64, 0, src, 64), seL4_TruncatedMessage, 0));
    CHECK("Rotate, source depth 0: RangeError(1, 64)",
          reply_is(op(CNodeRotate, 8, 2, free, 64, 0, pivot, 64, 0, src, 0), seL4_RangeError, 2, 1, 64));
    CHECK("Rotate, source guard mismatch: FailedLookup(1, ...)",
          reply_is(op(CNodeRotate, 8, 2, free, 64, 0, pivot, 64, 0, src, radix), seL4_FailedLookup, 5, 1,
                   seL4_GuardMismatch, radix, 0, 64 - radix));
    CHECK("Rotate, pivot guard mismatch: also FailedLookup(1, ...)",
          reply_is(op(CNodeRotate, 8, 2, free, 64, 0, pivot, radix, 0, src, 64), seL4_FailedLookup, 5, 1,
                   seL4_GuardMismatch, radix, 0, 64 - radix));
    CHECK("Rotate, pivot = source: IllegalOperation", reply_is(ROTATE(free, 0, src, 0, src), seL4_IllegalOperation, 0));
    CHECK("Rotate, pivot = destination: IllegalOperation",
          reply_is(ROTATE(pivot, 0, pivot, 0, src), seL4_IllegalOperation, 0));
    CHECK("Rotate into an occupied destination: DeleteFirst",
          reply_is(ROTATE(seL4_CapInitThreadTCB, 0, pivot, 0, src), seL4_DeleteFirst, 0));
    CHECK("Rotate from an empty source: FailedLookup(1, MissingCapability(64))",
          reply_is(ROTATE(free, 0, pivot, 0, free + 1), seL4_FailedLookup, 3, 1, seL4_MissingCapability, 64));
    CHECK("Rotate with an empty pivot: FailedLookup(0, MissingCapability(64))",
          reply_is(ROTATE(free, 0, free + 1, 0, src), seL4_FailedLookup, 3, 0, seL4_MissingCapability, 64));
    CHECK("Rotate of an endpoint (source): IllegalOperation", reply_is(ROTATE(free, 0, pivot, 0, ep), seL4_IllegalOperation, 0));
    CHECK("Rotate of an endpoint (pivot): IllegalOperation", reply_is(ROTATE(free, 0, ep, 0, src), seL4_IllegalOperation, 0));
    CHECK("Rotate of a CNode with a guard too big: IllegalOperation",
          reply_is(ROTATE(free, 62, pivot, 0, src), seL4_IllegalOperation, 0));

    /* CancelBadgedSends. */
    CHECK("CancelBadgedSends of an empty slot: IllegalOperation",
          reply_is(SLOT_OP(CNodeCancelBadgedSends, free, 64), seL4_IllegalOperation, 0));
    CHECK("CancelBadgedSends of a TCB cap: IllegalOperation",
          reply_is(SLOT_OP(CNodeCancelBadgedSends, seL4_CapInitThreadTCB, 64), seL4_IllegalOperation, 0));
    CHECK("setup: an endpoint cap without GrantReply",
          seL4_CNode_Mint(ROOT, e + 7, 64, ROOT, ep, 64, seL4_CapRights_new(0, 1, 1, 1), 3) == 0);
    CHECK("CancelBadgedSends of an endpoint cap without all rights: IllegalOperation",
          reply_is(SLOT_OP(CNodeCancelBadgedSends, e + 7, 64), seL4_IllegalOperation, 0));

    /* The wrappers leave the same details for seL4_GetMR. */
    CHECK("seL4_CNode_Copy wrapper: FailedLookup, MRs 1, MissingCapability, 64",
          seL4_CNode_Copy(ROOT, free, 64, ROOT, free + 1, 64, seL4_AllRights) == seL4_FailedLookup &&
              seL4_GetMR(0) == 1 && seL4_GetMR(1) == seL4_MissingCapability && seL4_GetMR(2) == 64);
    CHECK("seL4_CNode_Delete wrapper at the radix depth: GuardMismatch in MR1..4",
          seL4_CNode_Delete(ROOT, free, (seL4_Uint8)radix) == seL4_FailedLookup && seL4_GetMR(0) == 0 &&
              seL4_GetMR(1) == seL4_GuardMismatch && seL4_GetMR(2) == radix && seL4_GetMR(3) == 0 &&
              seL4_GetMR(4) == 64 - radix);
    return 0;
}
