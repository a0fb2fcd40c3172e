/* The reset rule seen from user space (abi §9.1): once every child of an untyped is gone
 * (CNode_Revoke of the untyped, or CNode_Delete of the last child), its next Retype starts
 * again from offset 0. Needs CNode_Revoke and CNode_Delete. */
#include <stdbool.h>
#include <stdio.h>
#include <sel4/sel4.h>
#include <sel4platsupport/bootinfo.h>
#include "../common/check.h"

static seL4_CPtr probe_slot; /* always empty: the destination of Retypes meant to fail */

/* The smallest RAM untyped of at least 2^bits bytes, or 0. */
static seL4_CPtr find_untyped(seL4_BootInfo *bi, unsigned bits)
{
    seL4_CPtr best = 0;
    unsigned best_bits = 64;
    for (seL4_Word i = 0; i < bi->untyped.end - bi->untyped.start; i++) {
        seL4_UntypedDesc *d = &bi->untypedList[i];
        if (!d->isDevice && d->sizeBits >= bits && d->sizeBits < best_bits) {
            best = bi->untyped.start + i;
            best_bits = d->sizeBits;
        }
    }
    return best;
}

static seL4_Error retype(seL4_CPtr ut, seL4_Word type, seL4_Word bits, seL4_CPtr slot, seL4_Word num)
{
    return seL4_Untyped_Retype(ut, type, bits, seL4_CapInitThreadCNode, 0, 0, slot, num);
}

/* Bytes a Retype would find free (from the NotEnoughMemory reply). */
static seL4_Word bytes_free(seL4_CPtr ut)
{
    return retype(ut, seL4_UntypedObject, 47, probe_slot, 1) == seL4_NotEnoughMemory ? seL4_GetMR(0) : (seL4_Word)-1;
}

static bool all_are(seL4_CPtr first, seL4_Word n, unsigned tag)
{
    for (seL4_Word i = 0; i < n; i++)
        if (seL4_DebugCapIdentify(first + i) != tag)
            return false;
    return true;
}

int main(void)
{
    seL4_BootInfo *bi = platsupport_get_bootinfo();
    probe_slot = bi->empty.end - 100;
    seL4_CPtr parent = find_untyped(bi, 13), child = bi->empty.start, objs = child + 1;
    const unsigned bits = seL4_TCBBits + 1;

    /* The tutorial's steps: a child untyped of two TCBs' worth, a TCB, an endpoint and a
     * notification in it, then it is full. */
    CHECK("a child untyped of 2^12", retype(parent, seL4_UntypedObject, bits, child, 1) == seL4_NoError);
    CHECK("a TCB, an endpoint and a notification in it",
          retype(child, seL4_TCBObject, 0, objs, 1) == seL4_NoError &&
              retype(child, seL4_EndpointObject, 0, objs + 1, 1) == seL4_NoError &&
              retype(child, seL4_NotificationObject, 0, objs + 2, 1) == seL4_NoError);
    CHECK("the child is full: no more endpoints",
          retype(child, seL4_EndpointObject, 0, objs + 3, 256) == seL4_NotEnoughMemory);

    CHECK("revoking the child untyped",
          seL4_CNode_Revoke(seL4_CapInitThreadCNode, child, seL4_WordBits) == seL4_NoError);
    CHECK("deleted its objects", all_are(objs, 3, 0));
    CHECK("kept the untyped itself", seL4_DebugCapIdentify(child) == 2);
    CHECK("with no children all 4096 bytes are free again", bytes_free(child) == 1ul << bits);
    seL4_Word num_eps = 1ul << (bits - seL4_EndpointBits);
    CHECK("and it refills with 256 endpoints", retype(child, seL4_EndpointObject, 0, objs, num_eps) == seL4_NoError &&
                                                   all_are(objs, num_eps, 4) && bytes_free(child) == 0);

    CHECK("revoke again", seL4_CNode_Revoke(seL4_CapInitThreadCNode, child, seL4_WordBits) == seL4_NoError &&
                              all_are(objs, num_eps, 0));
    CHECK("the whole child becomes one untyped", retype(child, seL4_UntypedObject, bits, objs, 1) == seL4_NoError);
    CHECK("deleting that last child", seL4_CNode_Delete(seL4_CapInitThreadCNode, objs, seL4_WordBits) == seL4_NoError);
    CHECK("resets the child too", bytes_free(child) == 1ul << bits &&
                                      retype(child, seL4_TCBObject, 0, objs, 2) == seL4_NoError);

    /* A child untyped that still has a child keeps its parent from resetting. */
    CHECK("revoking the parent removes the child and its objects",
          seL4_CNode_Revoke(seL4_CapInitThreadCNode, parent, seL4_WordBits) == seL4_NoError &&
              seL4_DebugCapIdentify(child) == 0 && all_are(objs, 2, 0));
    seL4_Word size = 1ul << bi->untypedList[parent - bi->untyped.start].sizeBits;
    CHECK("the parent is all free again", bytes_free(parent) == size);
    return 0;
}
