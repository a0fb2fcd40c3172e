/*
 * CNode invocations (abi §5.4, §9.2): Copy, Mint, Move, Mutate, Rotate, Delete, Revoke,
 * CancelBadgedSends. Every argument names a slot as (index, depth) resolved from the
 * invoked CNode (destination) or from a CNode cap passed as an extra cap (source, pivot).
 * The checks run in seL4's order, so a message with several mistakes gets seL4's error.
 */
#include "invocation.h"
#include "delete.h"
#include "endpoint.h"
#include "abi.h"

static exception_t missing_cap(struct invocation *inv, bool source, word_t depth)
{
    struct lookup_fault lf = { .type = seL4_MissingCapability, .bits_left = depth };
    return err_failed_lookup(inv, source, &lf);
}

/* Copy, Mint, Move, Mutate: a cap from the source slot into the empty destination. */
static exception_t decode_copy_like(struct invocation *inv, cte_t *dest)
{
    static const char *const names[] = { [CNodeCopy - CNodeCopy] = "Copy", [CNodeMint - CNodeCopy] = "Mint",
                                         [CNodeMove - CNodeCopy] = "Move", [CNodeMutate - CNodeCopy] = "Mutate" };
    const char *op = names[inv->label - CNodeCopy];
    cte_t *src_root = inv_extra_cap(inv, 0);
    if (inv->length < 4 || !src_root) {
        user_error("CNode %s: truncated message (%lu message registers, %u caps; it needs 4 and the source "
                   "root CNode cap).", op, inv->length, inv->num_extra_caps);
        return seL4_TruncatedMessage;
    }
    word_t src_index = inv_mr(inv, 2), src_depth = inv_mr(inv, 3);
    exception_t e = ensure_empty_slot(inv, dest);
    if (e != EXCEPTION_NONE)
        return e;
    cte_t *src;
    e = lookup_target_slot(inv, true, src_root->cap, src_index, src_depth, &src);
    if (e != EXCEPTION_NONE)
        return e;
    if (cap_is_null(src->cap)) {
        user_error("CNode %s: the source slot (index 0x%lx, depth %lu) is empty.", op, src_index, src_depth);
        return missing_cap(inv, true, src_depth);
    }

    cap_t cap = src->cap;
    word_t error = seL4_NoError;
    bool move = false;
    switch (inv->label) {
    case CNodeCopy:
        if (inv->length < 5) {
            user_error("CNode Copy: truncated message (%lu message registers; the rights are MR4).", inv->length);
            return seL4_TruncatedMessage;
        }
        cap = derive_cap(src, mask_cap_rights(inv_mr(inv, 4), cap), &error);
        break;
    case CNodeMint:
        if (inv->length < 6) {
            user_error("CNode Mint: truncated message (%lu message registers; rights and badge are MR4, MR5).",
                       inv->length);
            return seL4_TruncatedMessage;
        }
        cap = update_cap_data(false, inv_mr(inv, 5), mask_cap_rights(inv_mr(inv, 4), cap));
        cap = derive_cap(src, cap, &error);
        break;
    case CNodeMove:
        move = true;
        break;
    default: /* Mutate */
        if (inv->length < 5) {
            user_error("CNode Mutate: truncated message (%lu message registers; the cap data is MR4).", inv->length);
            return seL4_TruncatedMessage;
        }
        cap = update_cap_data(true, inv_mr(inv, 4), cap);
        move = true;
        break;
    }
    if (error != seL4_NoError) {
        if (error == seL4_RevokeFirst)
            user_error("CNode %s: the source untyped has children; revoke it first.", op);
        return error;
    }
    if (cap_is_null(cap)) {
        user_error("CNode %s: the resulting %s cap would be invalid (%s).", op, cap_type_name(cap_get_type(src->cap)),
                   inv->label == CNodeCopy ? "this cap type cannot be copied"
                                           : "this cap type cannot be copied, or the badge/guard data is refused");
        return seL4_IllegalOperation;
    }

    if (move)
        cte_move(src, dest, cap);
    else
        cte_insert_derived(src, dest, cap);
    return EXCEPTION_NONE;
}

static exception_t decode_rotate(struct invocation *inv, cte_t *dest)
{
    cte_t *pivot_root = inv_extra_cap(inv, 0), *src_root = inv_extra_cap(inv, 1);
    if (inv->length < 8 || !pivot_root || !src_root) {
        user_error("CNode Rotate: truncated message (%lu message registers, %u caps; it needs 8 and two CNode "
                   "caps).", inv->length, inv->num_extra_caps);
        return seL4_TruncatedMessage;
    }
    word_t dest_data = inv_mr(inv, 2), pivot_index = inv_mr(inv, 3), pivot_depth = inv_mr(inv, 4);
    word_t pivot_data = inv_mr(inv, 5), src_index = inv_mr(inv, 6), src_depth = inv_mr(inv, 7);

    cte_t *src, *pivot;
    exception_t e = lookup_target_slot(inv, true, src_root->cap, src_index, src_depth, &src);
    if (e != EXCEPTION_NONE)
        return e;
    e = lookup_target_slot(inv, true, pivot_root->cap, pivot_index, pivot_depth, &pivot);
    if (e != EXCEPTION_NONE)
        return e;
    if (pivot == src || pivot == dest) {
        user_error("CNode Rotate: the pivot slot is the same as the %s slot.", pivot == src ? "source" : "destination");
        return seL4_IllegalOperation;
    }
    if (src != dest) {
        e = ensure_empty_slot(inv, dest);
        if (e != EXCEPTION_NONE)
            return e;
    }
    if (cap_is_null(src->cap)) {
        user_error("CNode Rotate: the source slot (index 0x%lx, depth %lu) is empty.", src_index, src_depth);
        return missing_cap(inv, true, src_depth);
    }
    if (cap_is_null(pivot->cap)) {
        user_error("CNode Rotate: the pivot slot (index 0x%lx, depth %lu) is empty.", pivot_index, pivot_depth);
        return missing_cap(inv, false, pivot_depth); /* seL4 reports this one as not a source */
    }
    /* The source's cap moves to the pivot with the pivot badge; the pivot's cap moves to the
     * destination with the destination badge. */
    cap_t new_src = update_cap_data(true, pivot_data, src->cap);
    cap_t new_pivot = update_cap_data(true, dest_data, pivot->cap);
    if (cap_is_null(new_src) || cap_is_null(new_pivot)) {
        user_error("CNode Rotate: the %s cap (%s) does not accept the new badge/guard data.",
                   cap_is_null(new_src) ? "source" : "pivot",
                   cap_type_name(cap_get_type(cap_is_null(new_src) ? src->cap : pivot->cap)));
        return seL4_IllegalOperation;
    }

    if (src == dest) {
        cte_swap(src, new_src, pivot, new_pivot);
    } else {
        cte_move(pivot, dest, new_pivot);
        cte_move(src, pivot, new_src);
    }
    return EXCEPTION_NONE;
}

static exception_t decode_cancel_badged_sends(cte_t *target)
{
    cap_t c = target->cap;
    if (cap_get_type(c) != cap_endpoint || cap_rights(c) != MASK(seL4_CapRightsBits)) {
        if (cap_get_type(c) == cap_endpoint)
            user_error("CNode CancelBadgedSends: the endpoint cap lacks some of the four rights it needs (it has "
                       "0x%x of 0xf).", cap_rights(c));
        else
            user_error("CNode CancelBadgedSends: the target slot holds a %s cap, not an endpoint cap.",
                       cap_type_name(cap_get_type(c)));
        return seL4_IllegalOperation;
    }
    if (cap_badge(c) != 0)
        endpoint_cancel_badged_sends(cap_ptr(c), cap_badge(c));
    return EXCEPTION_NONE;
}

exception_t decode_cnode_invocation(struct invocation *inv)
{
    if (inv->label < CNodeRevoke || inv->label > CNodeRotate) {
        user_error("CNode: illegal operation (label %lu is not a CNode invocation).", inv->label);
        return seL4_IllegalOperation;
    }
    if (inv->length < 2) {
        user_error("CNode operation: truncated message (%lu message registers; index and depth are MR0, MR1).",
                   inv->length);
        return seL4_TruncatedMessage;
    }
    cte_t *dest;
    exception_t e = lookup_target_slot(inv, false, inv->cap, inv_mr(inv, 0), inv_mr(inv, 1), &dest);
    if (e != EXCEPTION_NONE)
        return e;

    switch (inv->label) {
    case CNodeRevoke:
        return cte_revoke(dest);
    case CNodeDelete:
        return cte_delete(dest);
    case CNodeCancelBadgedSends:
        return decode_cancel_badged_sends(dest);
    case CNodeRotate:
        return decode_rotate(inv, dest);
    default:
        return decode_copy_like(inv, dest);
    }
}
