/* CSpace addressing (abi §8). */
#pragma once
#include "types.h"
#include "cap.h"
#include "fault.h"
#include "tcb.h"

/* Resolve the top n_bits of cptr starting at the CNode cap root. On success *slot is the slot
 * reached and *bits_left how many bits were not consumed (a non-CNode cap was met first). */
bool resolve_address_bits(cap_t root, word_t cptr, word_t n_bits, cte_t **slot, word_t *bits_left,
                          struct lookup_fault *lf);

/* Syscall-level lookup in a thread's CSpace at depth 64, accepting a partial resolution.
 * Inline: the usual one-level CSpace, found, is a few instructions (what resolve_address_bits()
 * would find, quicker); anything else goes through lookup_slot_resolve(). */
bool lookup_slot_resolve(cap_t root, word_t cptr, cte_t **slot, struct lookup_fault *lf);
static inline ALWAYS_INLINE bool lookup_slot(struct tcb *t, word_t cptr, cte_t **slot, struct lookup_fault *lf)
{
    cap_t root = t->cnode[tcb_slot_cspace].cap;
    word_t radix = cap_cnode_radix(root);
    if (likely(cap_get_type(root) == cap_cnode && cap_cnode_guard_size(root) + radix == 64 &&
               (cptr >> radix) == cap_cnode_guard(root))) {
        *slot = &cap_cnode_slots(root)[cptr ^ (cap_cnode_guard(root) << radix)]; /* guard bits cleared */
        return true;
    }
    return lookup_slot_resolve(root, cptr, slot, lf);
}
static inline cap_t lookup_cap_or_null(struct tcb *t, word_t cptr)
{
    cte_t *s;
    struct lookup_fault lf;
    return lookup_slot(t, cptr, &s, &lf) ? s->cap : cap_null_cap();
}

/* Lookup for a CNode-operation argument (destination, source, pivot...): the depth must be
 * consumed exactly. Depth range checks are the caller's. */
bool lookup_slot_exact(cap_t root, word_t index, word_t depth, cte_t **slot, struct lookup_fault *lf);

/* The fastpath's lookup: like lookup_slot at depth 64, but any failure is just false (the
 * general path then redoes it and reports the details). */
cte_t *lookup_slot_fast_levels(cap_t root, word_t cptr); /* the multi-level CSpace case */
static inline ALWAYS_INLINE bool lookup_slot_fast(cap_t root, word_t cptr, cte_t **slot)
{
    if (cap_get_type(root) != cap_cnode)
        return false;
    word_t radix = cap_cnode_radix(root);
    if (likely(cap_cnode_guard_size(root) + radix == 64)) { /* the usual one-level CSpace */
        word_t guard = cap_cnode_guard(root);
        *slot = &cap_cnode_slots(root)[cptr ^ (guard << radix)]; /* the guard bits cleared */
        return (cptr >> radix) == guard;
    }
    *slot = lookup_slot_fast_levels(root, cptr);
    return *slot != NULL;
}
