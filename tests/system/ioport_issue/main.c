/*
 * IOPortControl_Issue (abi §5.10, §12.4): every refusal with its exact reply, in seL4's
 * check order (label, length, last < first after taking ports mod 2^16, overlap with an
 * issued range, destination), and the life of a range: issued once, kept while any IOPort
 * cap for it exists (copies, mints, moves), free again when the last one is deleted or when
 * IOPortControl is revoked. The kernel's own debug port is not reserved.
 */
#include <stdio.h>
#include <sel4/sel4.h>
#include <sel4platsupport/bootinfo.h>
#include "../common/check.h"
#include "../common/cnode_helpers.h"

#define ROOT seL4_CapInitThreadCNode
static seL4_CPtr root_cap = ROOT;

/* A raw IOPortControl_Issue: label, length, with or without the root cap. */
static seL4_MessageInfo_t issue_raw(seL4_Word label, seL4_Word length, unsigned ncaps, seL4_Word first, seL4_Word last,
                                    seL4_Word dest, seL4_Word depth)
{
    const seL4_Word mr[4] = { first, last, dest, depth };
    return call_raw(seL4_CapIOPortControl, label, length, ncaps, &root_cap, mr);
}
#define ISSUE(first, last, dest) issue_raw(X86IOPortControlIssue, 4, 1, first, last, dest, 64)
#define OK(r) reply_is(r, seL4_NoError, 0)
#define REVOKE_FIRST(r) reply_is(r, seL4_RevokeFirst, 0)

int main(void)
{
    seL4_BootInfo *bi = platsupport_get_bootinfo();
    seL4_CPtr e = bi->empty.start, ep = e, p = e + 1, q = e + 2, r = e + 3, copy = e + 4, mint = e + 5, moved = e + 6,
              free = e + 20;
    CHECK("setup: an endpoint", make(find_untyped(bi, 16), seL4_EndpointObject, 0, ep, 1) == seL4_NoError);

    /* Label and length. */
    CHECK("IOPortControl with an IOPort label: IllegalOperation",
          reply_is(issue_raw(X86IOPortIn8, 4, 1, 0x60, 0x60, free, 64), seL4_IllegalOperation, 0));
    CHECK("IOPortControl with a CNode label: IllegalOperation",
          reply_is(issue_raw(CNodeCopy, 4, 1, 0x60, 0x60, free, 64), seL4_IllegalOperation, 0));
    CHECK("Issue with 3 MRs: TruncatedMessage",
          reply_is(issue_raw(X86IOPortControlIssue, 3, 1, 0x60, 0x60, free, 64), seL4_TruncatedMessage, 0));
    CHECK("Issue without the root cap: TruncatedMessage",
          reply_is(issue_raw(X86IOPortControlIssue, 4, 0, 0x60, 0x60, free, 64), seL4_TruncatedMessage, 0));

    /* The range. */
    CHECK("last < first: InvalidArgument(1)", reply_is(ISSUE(0x61, 0x60, free), seL4_InvalidArgument, 1, 1));
    CHECK("ports mod 2^16: first 0x10005, last 4 is last < first: InvalidArgument(1)",
          reply_is(ISSUE(0x10005, 0x4, free), seL4_InvalidArgument, 1, 1));
    CHECK("ports mod 2^16: first 5, last 0x10004 too", reply_is(ISSUE(0x5, 0x10004, free), seL4_InvalidArgument, 1, 1));
    CHECK("last < first is checked before the destination", reply_is(ISSUE(0x61, 0x60, seL4_CapInitThreadTCB),
                                                                     seL4_InvalidArgument, 1, 1));

    /* The destination. */
    root_cap = ep;
    CHECK("an endpoint as the root: FailedLookup(0, InvalidRoot)",
          reply_is(ISSUE(0x60, 0x64, free), seL4_FailedLookup, 2, 0, seL4_InvalidRoot));
    root_cap = ROOT;
    CHECK("destination depth 0: RangeError(1, 64)",
          reply_is(issue_raw(X86IOPortControlIssue, 4, 1, 0x60, 0x64, free, 0), seL4_RangeError, 2, 1, 64));
    CHECK("an occupied destination: DeleteFirst", reply_is(ISSUE(0x60, 0x64, seL4_CapInitThreadTCB), seL4_DeleteFirst, 0));
    CHECK("the refusals issued nothing: [0x60, 0x64] can be issued",
          seL4_X86_IOPortControl_Issue(seL4_CapIOPortControl, 0x60, 0x64, ROOT, p, 64) == seL4_NoError);
    CHECK("the slot holds an IOPort cap (tag 19)", holds(p, TAG_IO_PORT));

    /* Overlaps. */
    CHECK("the same range again: RevokeFirst", REVOKE_FIRST(ISSUE(0x60, 0x64, free)));
    CHECK("one port of it: RevokeFirst", REVOKE_FIRST(ISSUE(0x62, 0x62, free)));
    CHECK("overlapping its start: RevokeFirst", REVOKE_FIRST(ISSUE(0x50, 0x60, free)));
    CHECK("overlapping its end: RevokeFirst", REVOKE_FIRST(ISSUE(0x64, 0x70, free)));
    CHECK("containing it: RevokeFirst", REVOKE_FIRST(ISSUE(0x0, 0xffff, free)));
    CHECK("the overlap is checked before the destination", REVOKE_FIRST(ISSUE(0x61, 0x61, seL4_CapInitThreadTCB)));
    CHECK("the ranges next to it are free", OK(ISSUE(0x5f, 0x5f, q)) && OK(ISSUE(0x65, 0x65, r)));
    CHECK("ports mod 2^16: first 0x10070, last 0x10071 issues [0x70, 0x71]",
          OK(ISSUE(0x10070, 0x10071, free)) && REVOKE_FIRST(ISSUE(0x71, 0x71, free + 1)));
    seL4_X86_IOPort_In8_t in = seL4_X86_IOPort_In8(free, 0x71);
    CHECK("...and its cap reaches port 0x71", in.error == seL4_NoError);
    CHECK("the kernel's debug serial port is not reserved: [0x3f8, 0x3ff] can be issued", OK(ISSUE(0x3f8, 0x3ff, free + 1)));
    CHECK("...and deleted again", seL4_CNode_Delete(ROOT, free + 1, 64) == 0);

    /* The range lives as long as its last cap. */
    CHECK("Copy and Mint of the IOPort cap", seL4_CNode_Copy(ROOT, copy, 64, ROOT, p, 64, seL4_AllRights) == 0 &&
                                                 seL4_CNode_Mint(ROOT, mint, 64, ROOT, p, 64, seL4_AllRights, 99) == 0 &&
                                                 holds(copy, TAG_IO_PORT) && holds(mint, TAG_IO_PORT));
    CHECK("...both can be invoked", seL4_X86_IOPort_In8(copy, 0x64).error == 0 && seL4_X86_IOPort_In8(mint, 0x60).error == 0);
    CHECK("Delete of the issued cap: the copies keep the range", seL4_CNode_Delete(ROOT, p, 64) == 0 &&
                                                                    REVOKE_FIRST(ISSUE(0x60, 0x64, free + 1)));
    CHECK("Move of a copy keeps it too", seL4_CNode_Move(ROOT, moved, 64, ROOT, copy, 64) == 0 &&
                                             REVOKE_FIRST(ISSUE(0x63, 0x63, free + 1)));
    CHECK("Delete of the mint: one cap left", seL4_CNode_Delete(ROOT, mint, 64) == 0 && REVOKE_FIRST(ISSUE(0x60, 0x60, free + 1)));
    CHECK("Delete of the last cap frees the range", seL4_CNode_Delete(ROOT, moved, 64) == 0);
    CHECK("...it can be issued again", OK(ISSUE(0x60, 0x64, p)));

    /* Revoke of IOPortControl takes every IOPort cap and frees every range. */
    CHECK("Revoke of IOPortControl", seL4_CNode_Revoke(ROOT, seL4_CapIOPortControl, 64) == 0);
    CHECK("...the IOPort caps are gone", holds(p, TAG_NULL) && holds(q, TAG_NULL) && holds(r, TAG_NULL) &&
                                             holds(free, TAG_NULL));
    CHECK("...IOPortControl stays", holds(seL4_CapIOPortControl, TAG_IO_PORT_CONTROL));
    CHECK("...and all 65536 ports can be issued at once", OK(ISSUE(0x0, 0xffff, p)));
    CHECK("which blocks any other range", REVOKE_FIRST(ISSUE(0xffff, 0xffff, q)) && REVOKE_FIRST(ISSUE(0, 0, q)));
    CHECK("Delete of that cap frees them all", seL4_CNode_Delete(ROOT, p, 64) == 0 && OK(ISSUE(0xffff, 0xffff, q)) &&
                                                   OK(ISSUE(0, 0, r)));
    return 0;
}
