/* CNode invocations on cspacepath_t, as in seL4's libsel4vka: they return the seL4_Error of
 * the invocation. */
#pragma once

#include <autoconf.h>
#include <vka/cspacepath_t.h>
#include <vka/object.h>

static inline int vka_cnode_copy(const cspacepath_t *dest, const cspacepath_t *src,
                                 seL4_CapRights_t rights)
{
    return seL4_CNode_Copy(dest->root, dest->capPtr, dest->capDepth,
                           src->root, src->capPtr, src->capDepth, rights);
}

static inline int vka_cnode_delete(const cspacepath_t *src)
{
    return seL4_CNode_Delete(src->root, src->capPtr, src->capDepth);
}

static inline int vka_cnode_mint(const cspacepath_t *dest, const cspacepath_t *src,
                                 seL4_CapRights_t rights, seL4_Word badge)
{
    return seL4_CNode_Mint(dest->root, dest->capPtr, dest->capDepth,
                           src->root, src->capPtr, src->capDepth, rights, badge);
}

static inline int vka_cnode_move(const cspacepath_t *dest, const cspacepath_t *src)
{
    return seL4_CNode_Move(dest->root, dest->capPtr, dest->capDepth,
                           src->root, src->capPtr, src->capDepth);
}

static inline int vka_cnode_mutate(const cspacepath_t *dest, const cspacepath_t *src,
                                   seL4_Word badge)
{
    return seL4_CNode_Mutate(dest->root, dest->capPtr, dest->capDepth,
                             src->root, src->capPtr, src->capDepth, badge);
}

static inline int vka_cnode_cancelBadgedSends(const cspacepath_t *src)
{
    return seL4_CNode_CancelBadgedSends(src->root, src->capPtr, src->capDepth);
}

static inline int vka_cnode_revoke(const cspacepath_t *src)
{
    return seL4_CNode_Revoke(src->root, src->capPtr, src->capDepth);
}

/* src -> dest (with dest_badge) and pivot -> src (with pivot_badge), atomically. */
static inline int vka_cnode_rotate(const cspacepath_t *dest, seL4_Word dest_badge,
                                   const cspacepath_t *pivot, seL4_Word pivot_badge,
                                   const cspacepath_t *src)
{
    return seL4_CNode_Rotate(dest->root, dest->capPtr, dest->capDepth, dest_badge,
                             pivot->root, pivot->capPtr, pivot->capDepth, pivot_badge,
                             src->root, src->capPtr, src->capDepth);
}

/* Retype num_objects objects of type from the untyped object into the slots starting at dest.
 * size_bits is the retype size argument (only meaningful for untypeds, CNodes and sched
 * contexts). */
static inline int vka_untyped_retype(vka_object_t *untyped, int type, int size_bits,
                                     int num_objects, const cspacepath_t *dest)
{
    return seL4_Untyped_Retype(untyped->cptr, type, size_bits, dest->root, dest->dest,
                               dest->destDepth, dest->offset, num_objects);
}
