/* Deletion and Revoke (abi §9.2): the last cap of a CNode destroys everything in it, nested
 * CNodes and TCBs included; unreachable rings of CNodes go with a Revoke of their untyped.
 * Whether an untyped still has children is seen from user space through the reset rule: a
 * Retype of the whole untyped only succeeds once nothing in it is left.
 * Runs with check_invariants (cnode_preempt: the same with preemption). */
#include <stdio.h>
#include <sel4/sel4.h>
#include <sel4platsupport/bootinfo.h>
#include "../common/check.h"
#include "../common/cnode_helpers.h"

#define ROOT seL4_CapInitThreadCNode
#define UT_BITS 16

static seL4_CPtr ut, probe;

/* Nothing is left in the untyped: it resets, so a Retype of all of it succeeds. */
static bool untyped_is_empty(void)
{
    bool ok = make(ut, seL4_UntypedObject, UT_BITS, probe, 1) == seL4_NoError;
    return ok && seL4_CNode_Delete(ROOT, probe, 64) == seL4_NoError;
}

/* Move root slot `from` into slot `index` of the CNode (radix bits) in root slot `cnode`. */
static seL4_Error move_into(seL4_CPtr cnode, seL4_Word index, seL4_Uint8 bits, seL4_CPtr from)
{
    return seL4_CNode_Move(cnode, index, bits, ROOT, from, 64);
}
static seL4_Error copy_into(seL4_CPtr cnode, seL4_Word index, seL4_Uint8 bits, seL4_CPtr from)
{
    return seL4_CNode_Copy(cnode, index, bits, ROOT, from, 64, seL4_AllRights);
}

int main(void)
{
    seL4_BootInfo *bi = platsupport_get_bootinfo();
    seL4_CPtr s = bi->empty.start;
    ut = s;
    probe = s + 1;
    s += 2;
    CHECK("a child untyped of 64 KiB to work in",
          make(find_untyped(bi, UT_BITS + 1), seL4_UntypedObject, UT_BITS, ut, 1) == 0 && untyped_is_empty());

    /* A tree: CNode A (64 slots) holds an endpoint, 20 more endpoints, a copy of the root
     * CNode cap and the only cap to CNode B (8 slots), which holds a TCB and a notification. */
    seL4_CPtr a = s, b = s + 1, tcb = s + 2, ntfn = s + 3, eps = s + 4;
    CHECK("the tree's objects", make(ut, seL4_CapTableObject, 6, a, 1) == 0 && make(ut, seL4_CapTableObject, 3, b, 1) == 0 &&
                                    make(ut, seL4_TCBObject, 0, tcb, 1) == 0 &&
                                    make(ut, seL4_NotificationObject, 0, ntfn, 1) == 0 &&
                                    make(ut, seL4_EndpointObject, 0, eps, 21) == 0);
    bool ok = move_into(b, 1, 3, tcb) == 0 && move_into(b, 7, 3, ntfn) == 0 && move_into(a, 63, 6, b) == 0 &&
              copy_into(a, 5, 6, ROOT) == 0;
    for (int i = 0; i < 21; i++)
        ok &= move_into(a, 10 + i, 6, eps + i) == 0;
    CHECK("the tree is built", ok && holds(a, TAG_CNODE) && !holds(b, TAG_CNODE) && !untyped_is_empty());
    CHECK("Delete of the last cap to A succeeds", seL4_CNode_Delete(ROOT, a, 64) == 0 && holds(a, TAG_NULL));
    CHECK("everything in A and B is gone: the untyped is empty", untyped_is_empty());
    CHECK("the root CNode lost only a copy of its cap", holds(ROOT, TAG_CNODE));

    /* A CNode holding the only cap to itself: unreachable, until the untyped is revoked. */
    CHECK("a CNode", make(ut, seL4_CapTableObject, 2, a, 1) == 0 && make(ut, seL4_EndpointObject, 0, eps, 1) == 0 &&
                         move_into(a, 3, 2, eps) == 0);
    CHECK("its cap copied into itself, the root's cap deleted",
          copy_into(a, 1, 2, a) == 0 && seL4_CNode_Delete(ROOT, a, 64) == 0 && !untyped_is_empty());
    CHECK("Revoke of the untyped destroys it", seL4_CNode_Revoke(ROOT, ut, 64) == 0 && untyped_is_empty());

    /* Two CNodes holding each other's only caps. */
    CHECK("two CNodes and two endpoints", make(ut, seL4_CapTableObject, 2, a, 1) == 0 &&
                                              make(ut, seL4_CapTableObject, 2, b, 1) == 0 &&
                                              make(ut, seL4_EndpointObject, 0, eps, 2) == 0 &&
                                              move_into(a, 2, 2, eps) == 0 && move_into(b, 2, 2, eps + 1) == 0);
    CHECK("each holds the other: A[0] = B, B[0] = a copy of A",
          copy_into(b, 0, 2, a) == 0 && move_into(a, 0, 2, b) == 0 && seL4_CNode_Delete(ROOT, a, 64) == 0 &&
              !untyped_is_empty());
    CHECK("Revoke of the untyped destroys the ring", seL4_CNode_Revoke(ROOT, ut, 64) == 0 && untyped_is_empty());

    /* Revoke of an untyped with many children, some holding others. */
    CHECK("200 endpoints, a CNode holding 50 of them, a TCB",
          make(ut, seL4_EndpointObject, 0, s + 10, 200) == 0 && make(ut, seL4_CapTableObject, 6, a, 1) == 0 &&
              make(ut, seL4_TCBObject, 0, tcb, 1) == 0);
    ok = true;
    for (int i = 0; i < 50; i++)
        ok &= move_into(a, i, 6, s + 10 + i) == 0;
    CHECK("(moved)", ok && holds(s + 10, TAG_NULL) && holds(s + 60, TAG_ENDPOINT));
    CHECK("Revoke of the untyped", seL4_CNode_Revoke(ROOT, ut, 64) == 0 && holds(s + 60, TAG_NULL) &&
                                       holds(s + 209, TAG_NULL) && holds(a, TAG_NULL) && holds(tcb, TAG_NULL));
    CHECK("the untyped is empty", untyped_is_empty());
    CHECK("the untyped cap itself stays", holds(ut, TAG_UNTYPED));

    /* Deleting the untyped cap itself leaves its children; revoking its parent removes all. */
    CHECK("an endpoint, then Delete of the untyped cap",
          make(ut, seL4_EndpointObject, 0, eps, 1) == 0 && seL4_CNode_Delete(ROOT, ut, 64) == 0 &&
              holds(eps, TAG_ENDPOINT));
    return 0;
}
