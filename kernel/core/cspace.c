/* CSpace lookup: guards, radix, multi-level CNodes, and the failure details seL4 reports. */
#include "cspace.h"
#include "tcb.h"
#include "abi.h"

bool resolve_address_bits(cap_t root, word_t cptr, word_t n, cte_t **slot, word_t *bits_left,
                          struct lookup_fault *lf)
{
    *lf = (struct lookup_fault){ 0 };
    if (cap_get_type(root) != cap_cnode) {
        lf->type = seL4_InvalidRoot;
        return false;
    }
    for (;;) {
        word_t radix = cap_cnode_radix(root), guard_size = cap_cnode_guard_size(root);
        word_t level = radix + guard_size;
        word_t guard = guard_size && guard_size <= n ? (cptr >> (n - guard_size)) & MASK(guard_size) : 0;
        if (guard_size > n || guard != cap_cnode_guard(root)) {
            lf->type = seL4_GuardMismatch;
            lf->bits_left = n;
            lf->bits_found_or_guard = cap_cnode_guard(root);
            lf->guard_bits_found = guard_size;
            return false;
        }
        if (level > n) {
            lf->type = seL4_DepthMismatch;
            lf->bits_left = n;
            lf->bits_found_or_guard = level;
            return false;
        }
        word_t index = (cptr >> (n - level)) & MASK(radix);
        cte_t *s = &cap_cnode_slots(root)[index];
        n -= level;
        if (n == 0 || cap_get_type(s->cap) != cap_cnode) {
            *slot = s;
            *bits_left = n;
            return true;
        }
        root = s->cap;
    }
}

bool lookup_slot_resolve(cap_t root, word_t cptr, cte_t **slot, struct lookup_fault *lf)
{
    word_t left;
    return resolve_address_bits(root, cptr, seL4_WordBits, slot, &left, lf);
}

bool lookup_slot_exact(cap_t root, word_t index, word_t depth, cte_t **slot, struct lookup_fault *lf)
{
    word_t left;
    if (!resolve_address_bits(root, index, depth, slot, &left, lf))
        return false;
    if (left) {
        *lf = (struct lookup_fault){ .type = seL4_DepthMismatch, .bits_left = left,
                                     .bits_found_or_guard = 0 };
        return false;
    }
    return true;
}

cte_t *lookup_slot_fast_levels(cap_t root, word_t cptr)
{
    word_t n = 64;
    for (;;) {
        word_t radix = cap_cnode_radix(root), guard_size = cap_cnode_guard_size(root);
        word_t level = radix + guard_size;
        if (level > n || (guard_size && ((cptr >> (n - guard_size)) & MASK(guard_size)) != cap_cnode_guard(root)))
            return NULL;
        cte_t *s = &cap_cnode_slots(root)[(cptr >> (n - level)) & MASK(radix)];
        n -= level;
        if (n == 0 || cap_get_type(s->cap) != cap_cnode)
            return s;
        root = s->cap;
    }
}
