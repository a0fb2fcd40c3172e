/* CNode invocations that succeed (abi §5.4, §9.2), through libsel4's wrappers: Copy, Mint,
 * Move, Mutate, Rotate, Delete, Revoke, CancelBadgedSends, with their effects on the caps
 * and on later lookups, including the capabilities tutorial's steps. */
#include <stdio.h>
#include <sel4/sel4.h>
#include <sel4platsupport/bootinfo.h>
#include "../common/check.h"
#include "../common/cnode_helpers.h"

#define ROOT seL4_CapInitThreadCNode

/* The tutorial's emptiness test: Move of a slot onto itself. */
static bool is_empty(seL4_CPtr slot) { return seL4_CNode_Move(ROOT, slot, 64, ROOT, slot, 64) == seL4_FailedLookup; }

int main(void)
{
    seL4_BootInfo *bi = platsupport_get_bootinfo();
    seL4_Word radix = bi->initThreadCNodeSizeBits;
    seL4_CPtr first = bi->empty.start, last = bi->empty.end - 1, e = first + 1;

    /* The capabilities tutorial. */
    CHECK("tutorial: Copy the TCB cap to the last slot",
          seL4_CNode_Copy(ROOT, last, seL4_WordBits, ROOT, seL4_CapInitThreadTCB, seL4_WordBits, seL4_AllRights) ==
                  seL4_NoError && holds(last, TAG_TCB));
    CHECK("tutorial: Copy it again to the first free slot",
          seL4_CNode_Copy(ROOT, first, 64, ROOT, seL4_CapInitThreadTCB, 64, seL4_AllRights) == 0 && !is_empty(first));
    CHECK("tutorial: Revoke of the original removes both copies",
          seL4_CNode_Revoke(ROOT, seL4_CapInitThreadTCB, 64) == 0 && is_empty(first) && is_empty(last) &&
              holds(seL4_CapInitThreadTCB, TAG_TCB));
    CHECK("tutorial: Copy, then Delete of the copy", seL4_CNode_Copy(ROOT, last, 64, ROOT, seL4_CapInitThreadTCB, 64,
                                                                     seL4_AllRights) == 0 &&
                                                         seL4_CNode_Delete(ROOT, last, 64) == 0 && is_empty(last));

    /* Move and Mutate keep the cap; Mutate changes a CNode guard. */
    CHECK("Copy the root CNode cap", seL4_CNode_Copy(ROOT, e, 64, ROOT, ROOT, 64, seL4_AllRights) == 0);
    CHECK("Move it", seL4_CNode_Move(ROOT, e + 1, 64, ROOT, e, 64) == 0 && is_empty(e) && holds(e + 1, TAG_CNODE));
    CHECK("Mutate it to guard size 0", seL4_CNode_Mutate(ROOT, e, 64, ROOT, e + 1, 64, 0) == 0 && is_empty(e + 1));
    char name[128];
    snprintf(name, sizeof(name), "the mutated cap addresses the root CNode at depth %lu", radix);
    CHECK(name, seL4_CNode_Copy(e, e + 2, (seL4_Uint8)radix, e, seL4_CapInitThreadTCB, (seL4_Uint8)radix,
                                seL4_AllRights) == 0 && holds(e + 2, TAG_TCB));
    CHECK("Mint of the root CNode cap with guard 0x2a of size 8",
          seL4_CNode_Mint(ROOT, e + 3, 64, ROOT, ROOT, 64, seL4_AllRights,
                          seL4_CNode_CapData_new(0x2a, 8).words[0]) == 0);
    seL4_Word idx = (0x2aul << radix) | (e + 2);
    snprintf(name, sizeof(name), "the minted cap addresses slots at depth %lu with the guard", radix + 8);
    CHECK(name, seL4_CNode_Delete(e + 3, idx, (seL4_Uint8)(radix + 8)) == 0 && is_empty(e + 2));
    CHECK("...and refuses a wrong guard", seL4_CNode_Delete(e + 3, idx ^ (1ul << radix), (seL4_Uint8)(radix + 8)) ==
                                              seL4_FailedLookup && seL4_GetMR(1) == seL4_GuardMismatch &&
                                              seL4_GetMR(3) == 0x2a && seL4_GetMR(4) == 8);

    /* Endpoints: badges, rights, Revoke of badged copies, CancelBadgedSends. */
    seL4_CPtr ut = find_untyped(bi, 16), ep = e + 10;
    CHECK("an endpoint", make(ut, seL4_EndpointObject, 0, ep, 1) == 0);
    CHECK("Mint with badge 5", seL4_CNode_Mint(ROOT, ep + 1, 64, ROOT, ep, 64, seL4_AllRights, 5) == 0 &&
                                   holds(ep + 1, TAG_ENDPOINT));
    CHECK("Copy of the badged cap", seL4_CNode_Copy(ROOT, ep + 2, 64, ROOT, ep + 1, 64, seL4_AllRights) == 0);
    CHECK("Mint with badge 5 again, separately", seL4_CNode_Mint(ROOT, ep + 3, 64, ROOT, ep, 64, seL4_AllRights, 5) == 0);
    CHECK("Copy with reduced rights", seL4_CNode_Copy(ROOT, ep + 4, 64, ROOT, ep, 64, seL4_CanRead) == 0);
    CHECK("CancelBadgedSends of the badged cap", seL4_CNode_CancelBadgedSends(ROOT, ep + 1, 64) == 0);
    CHECK("CancelBadgedSends of the unbadged original (a no-op)", seL4_CNode_CancelBadgedSends(ROOT, ep, 64) == 0);
    CHECK("CancelBadgedSends of the read-only copy is refused",
          seL4_CNode_CancelBadgedSends(ROOT, ep + 4, 64) == seL4_IllegalOperation);
    CHECK("Revoke of the badged cap removes its copy, not the other Mint",
          seL4_CNode_Revoke(ROOT, ep + 1, 64) == 0 && is_empty(ep + 2) && !is_empty(ep + 1) && !is_empty(ep + 3));
    CHECK("Revoke of the original removes every derived cap", seL4_CNode_Revoke(ROOT, ep, 64) == 0 &&
                                                                 is_empty(ep + 1) && is_empty(ep + 3) &&
                                                                 is_empty(ep + 4) && holds(ep, TAG_ENDPOINT));

    /* Rotate. */
    seL4_CPtr r = e + 20;
    CHECK("Rotate setup: a CNode and a notification", make(ut, seL4_CapTableObject, 2, r, 1) == 0 &&
                                                          make(ut, seL4_NotificationObject, 0, r + 1, 1) == 0);
    CHECK("Rotate of a notification is refused (a preserving badge update)",
          seL4_CNode_Rotate(ROOT, r + 2, 64, 0, ROOT, r + 1, 64, 0, ROOT, r, 64) == seL4_IllegalOperation &&
              holds(r + 1, TAG_NOTIFICATION) && holds(r, TAG_CNODE) && is_empty(r + 2));
    CHECK("Rotate of two CNode caps", seL4_CNode_Copy(ROOT, r + 3, 64, ROOT, r, 64, seL4_AllRights) == 0 &&
                                          seL4_CNode_Rotate(ROOT, r + 2, 64, seL4_CNode_CapData_new(1, 1).words[0],
                                                            ROOT, r, 64, 0, ROOT, r + 3, 64) == 0 &&
                                          holds(r + 2, TAG_CNODE) && holds(r, TAG_CNODE) && is_empty(r + 3));
    CHECK("Rotate with source = destination swaps", seL4_CNode_Rotate(ROOT, r, 64, 0, ROOT, r + 2, 64, 0, ROOT, r,
                                                                      64) == 0 &&
                                                        holds(r, TAG_CNODE) && holds(r + 2, TAG_CNODE));
    CHECK("Move of IRQControl is allowed (only Copy/Mint are refused)",
          seL4_CNode_Move(ROOT, r + 4, 64, ROOT, seL4_CapIRQControl, 64) == 0 && holds(r + 4, TAG_IRQ_CONTROL) &&
              seL4_CNode_Move(ROOT, seL4_CapIRQControl, 64, ROOT, r + 4, 64) == 0);

    /* Frames: copies are children of the original; a copy of the BootInfo frame. */
    CHECK("Copy of the BootInfo frame cap", seL4_CNode_Copy(ROOT, e + 30, 64, ROOT, seL4_CapBootInfoFrame, 64,
                                                            seL4_CanRead) == 0 && holds(e + 30, TAG_FRAME));
    CHECK("Revoke of the BootInfo frame cap removes the copy; BootInfo stays mapped",
          seL4_CNode_Revoke(ROOT, seL4_CapBootInfoFrame, 64) == 0 && is_empty(e + 30) && bi->nodeID == 0);

    /* IO ports: the range is freed with its last cap. */
    seL4_CPtr io = e + 40;
    CHECK("Issue IO port 0x80", seL4_X86_IOPortControl_Issue(seL4_CapIOPortControl, 0x80, 0x80, ROOT, io, 64) == 0);
    CHECK("Copy of the IO port cap", seL4_CNode_Copy(ROOT, io + 1, 64, ROOT, io, 64, seL4_AllRights) == 0 &&
                                         holds(io + 1, TAG_IO_PORT));
    CHECK("Delete of the issued cap: the copy keeps the range issued",
          seL4_CNode_Delete(ROOT, io, 64) == 0 &&
              seL4_X86_IOPortControl_Issue(seL4_CapIOPortControl, 0x80, 0x80, ROOT, io, 64) == seL4_RevokeFirst);
    CHECK("Delete of the last cap frees it: it can be issued again",
          seL4_CNode_Delete(ROOT, io + 1, 64) == 0 &&
              seL4_X86_IOPortControl_Issue(seL4_CapIOPortControl, 0x80, 0x80, ROOT, io, 64) == 0);
    CHECK("Revoke of IOPortControl removes issued ports", seL4_CNode_Revoke(ROOT, seL4_CapIOPortControl, 64) == 0 &&
                                                              is_empty(io) && holds(seL4_CapIOPortControl,
                                                                                    TAG_IO_PORT_CONTROL));

    /* Untyped: a copy of a whole untyped marks the original full. */
    seL4_CPtr small = 0, copy = e + 50;
    for (seL4_Word i = 0; i < bi->untyped.end - bi->untyped.start && !small; i++)
        if (!bi->untypedList[i].isDevice && bi->untyped.start + i != ut && bi->untypedList[i].sizeBits >= 12)
            small = bi->untyped.start + i;
    CHECK("Copy of a childless untyped", seL4_CNode_Copy(ROOT, copy, 64, ROOT, small, 64, seL4_AllRights) == 0 &&
                                             holds(copy, TAG_UNTYPED));
    CHECK("the original now has a child: no copy, no retype",
          seL4_CNode_Copy(ROOT, copy + 1, 64, ROOT, small, 64, seL4_AllRights) == seL4_RevokeFirst &&
              make(small, seL4_EndpointObject, 0, copy + 1, 1) == seL4_NotEnoughMemory && seL4_GetMR(0) == 0);
    CHECK("the copy retypes", make(copy, seL4_EndpointObject, 0, copy + 1, 1) == 0);
    CHECK("Revoke of the original removes the copy and its objects",
          seL4_CNode_Revoke(ROOT, small, 64) == 0 && is_empty(copy) && is_empty(copy + 1));
    CHECK("the original retypes again", make(small, seL4_EndpointObject, 0, copy, 1) == 0);
    return 0;
}
