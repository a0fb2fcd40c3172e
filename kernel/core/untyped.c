/*
 * Untyped memory: Retype carves objects out of an untyped capability (abi §5.2, §9.1).
 *
 * An untyped cap records how many bytes from its start are used (the free offset). New
 * objects go above it, each aligned to its size, and their caps become MDB children of the
 * untyped, directly after it in the MDB (so cte_has_children() only looks at the next cap).
 * Memory above the free offset is always zero: objects are never zeroed at deletion, but an
 * untyped whose children are all gone is "reset" on its next Retype, which zeroes the used
 * part (preemptibly, from the top down) and starts again from offset 0. Boot untypeds start
 * full, so their first Retype zeroes them.
 */
#include "invocation.h"
#include "arch.h"
#include "tcb.h"
#include "preempt.h"
#include "kstring.h"
#include "config.h"
#include "abi.h"

/* Size in bits of one object of this type; user_bits is the size_bits argument. */
static word_t object_size_bits(word_t type, word_t user_bits)
{
    switch (type) {
    case seL4_UntypedObject: return user_bits;
    case seL4_TCBObject: return seL4_TCBBits;
    case seL4_EndpointObject: return seL4_EndpointBits;
    case seL4_NotificationObject: return seL4_NotificationBits;
    case seL4_CapTableObject: return user_bits + seL4_SlotBits;
    case seL4_SchedContextObject: return user_bits;
    case seL4_ReplyObject: return seL4_ReplyBits;
    default: return arch_object_size_bits(type);
    }
}

static cap_t untyped_with_free_offset(cap_t ut, word_t offset)
{
    return cap_untyped_new(cap_untyped_paddr(ut), cap_untyped_size_bits(ut), cap_untyped_is_device(ut), offset);
}

/* Reset an untyped without children: free offset back to 0 and, for RAM, the used part
 * zeroed in chunks from the top down. The cap keeps the progress, so a preempted reset
 * continues where it stopped when the Retype is executed again. */
static exception_t reset_untyped(cte_t *slot)
{
    cap_t ut = slot->cap;
    paddr_t base = cap_untyped_paddr(ut);
    word_t offset = cap_untyped_free_offset(ut);
    if (offset == 0)
        return EXCEPTION_NONE;
    if (cap_untyped_is_device(ut) || cap_untyped_size_bits(ut) < CONFIG_RESET_CHUNK_BITS) {
        if (!cap_untyped_is_device(ut)) /* device memory is never touched by the kernel */
            memset(paddr_to_kptr(base), 0, offset);
        slot->cap = untyped_with_free_offset(ut, 0);
        return EXCEPTION_NONE;
    }
    /* From the chunk holding the last used byte down to offset 0. */
    const word_t chunk_size = BIT(CONFIG_RESET_CHUNK_BITS);
    for (word_t chunk = ROUND_DOWN(offset - 1, CONFIG_RESET_CHUNK_BITS);; chunk -= chunk_size) {
        memset(paddr_to_kptr(base + chunk), 0, chunk_size);
        slot->cap = untyped_with_free_offset(ut, chunk);
        if (chunk == 0)
            return EXCEPTION_NONE; /* done: no point in stopping now */
        if (preemption_point())
            return EXCEPTION_PREEMPTED;
    }
}

/* "child of: '<creator>'", the debug name seL4 gives a new TCB. */
static void child_thread_name(char *out, size_t size, const char *creator)
{
    static const char prefix[] = "child of: '";
    size_t n = sizeof(prefix) - 1;
    memcpy(out, prefix, n);
    size_t len = kstrnlen(creator, size - n - 2);
    memcpy(out + n, creator, len);
    out[n + len] = '\'';
    out[n + len + 1] = '\0';
}

/* Make one object in zeroed memory (abi §9.1) and return its cap. */
static cap_t create_object(word_t type, paddr_t p, word_t user_bits, bool device, const tcb_t *creator)
{
    switch (type) {
    case seL4_UntypedObject:
        return cap_untyped_new(p, (unsigned)user_bits, device, 0);
    case seL4_TCBObject: {
        tcb_t *t = paddr_to_kptr(p);
        char name[TCB_NAME_LEN];
        child_thread_name(name, sizeof(name), creator->name);
        tcb_init(t, name); /* inactive, registers at their initial values */
        t->priority = 0;
        t->mcp = 0;
        return cap_thread_new(t);
    }
    case seL4_EndpointObject:
        return cap_endpoint_new(paddr_to_kptr(p), 0, MASK(seL4_CapRightsBits));
    case seL4_NotificationObject:
        return cap_notification_new(paddr_to_kptr(p), 0, 3); /* send and receive */
    case seL4_CapTableObject:
        return cap_cnode_new(paddr_to_kptr(p), (unsigned)user_bits, 0, 0);
    case seL4_SchedContextObject:
        return cap_sched_context_new(paddr_to_kptr(p), (unsigned)user_bits);
    case seL4_ReplyObject:
        return cap_reply_new(paddr_to_kptr(p), true);
    default:
        return arch_create_object(type, p, device);
    }
}

/* Perform a decoded Retype; nothing here can fail, but the reset can be preempted. */
static exception_t invoke_retype(cte_t *ut_slot, bool reset, word_t type, word_t user_bits, word_t obj_bits,
                                 cte_t *dest, word_t count, const tcb_t *creator)
{
    if (reset) {
        exception_t e = reset_untyped(ut_slot);
        if (e != EXCEPTION_NONE)
            return e;
    }
    cap_t ut = ut_slot->cap;
    word_t start = ROUND_UP(cap_untyped_free_offset(ut), obj_bits);
    ut_slot->cap = untyped_with_free_offset(ut, start + (count << obj_bits));
    for (word_t i = 0; i < count; i++) {
        paddr_t p = cap_untyped_paddr(ut) + start + (i << obj_bits);
        cap_t c = create_object(type, p, user_bits, cap_untyped_is_device(ut), creator);
        cte_insert(ut_slot, &dest[i], c, true, true);
    }
    return EXCEPTION_NONE;
}

exception_t decode_untyped_invocation(struct invocation *inv)
{
    if (inv->label != UntypedRetype) {
        user_error("Untyped cap: illegal operation (label %lu); Retype is the only untyped invocation.", inv->label);
        return seL4_IllegalOperation;
    }
    cte_t *root = inv_extra_cap(inv, 0);
    if (inv->length < 6 || !root) {
        user_error("Untyped Retype: truncated message (%lu message registers and %u caps; it needs 6 and the "
                   "root CNode cap).", inv->length, inv->num_extra_caps);
        return seL4_TruncatedMessage;
    }
    word_t type = inv_mr(inv, 0), user_bits = inv_mr(inv, 1), node_index = inv_mr(inv, 2);
    word_t node_depth = inv_mr(inv, 3), node_offset = inv_mr(inv, 4), count = inv_mr(inv, 5);

    if (type >= seL4_ObjectTypeCount) {
        user_error("Untyped Retype: invalid object type %lu (types are 0..%d).", type, seL4_ObjectTypeCount - 1);
        return err_invalid_argument(inv, 0);
    }
    word_t obj_bits = object_size_bits(type, user_bits);
    if (user_bits >= seL4_WordBits || obj_bits > seL4_MaxUntypedBits) {
        user_error("Untyped Retype: invalid object size (size_bits %lu; objects are at most 2^%d bytes).",
                   user_bits, seL4_MaxUntypedBits);
        return err_range(inv, 0, seL4_MaxUntypedBits);
    }
    if (type == seL4_CapTableObject && user_bits == 0) {
        user_error("Untyped Retype: a CNode needs at least 2^1 slots (size_bits is 0).");
        return err_invalid_argument(inv, 1);
    }
    if (type == seL4_UntypedObject && user_bits < seL4_MinUntypedBits) {
        user_error("Untyped Retype: an untyped must be at least 2^%d bytes (size_bits is %lu).",
                   seL4_MinUntypedBits, user_bits);
        return err_invalid_argument(inv, 1);
    }
    if (type == seL4_SchedContextObject && user_bits < seL4_MinSchedContextBits) {
        user_error("Untyped Retype: a scheduling context must be at least 2^%d bytes (size_bits is %lu).",
                   seL4_MinSchedContextBits, user_bits);
        return err_invalid_argument(inv, 1);
    }

    /* The destination CNode: depth 0 means the root cap itself. */
    cap_t cnode = root->cap;
    if (node_depth != 0) {
        cte_t *s;
        exception_t e = lookup_target_slot(inv, false, root->cap, node_index, node_depth, &s);
        if (e != EXCEPTION_NONE)
            return e;
        cnode = s->cap;
    }
    if (cap_get_type(cnode) != cap_cnode) {
        user_error("Untyped Retype: the destination (index 0x%lx, depth %lu) is not a CNode (cap type: %s).",
                   node_index, node_depth, cap_type_name(cap_get_type(cnode)));
        struct lookup_fault lf = { .type = seL4_MissingCapability, .bits_left = node_depth };
        return err_failed_lookup(inv, false, &lf);
    }
    word_t slots = BIT(cap_cnode_radix(cnode));
    if (node_offset > slots - 1) {
        user_error("Untyped Retype: node_offset %lu is outside the destination CNode (%lu slots).", node_offset, slots);
        return err_range(inv, 0, slots - 1);
    }
    if (count < 1 || count > CONFIG_RETYPE_FAN_OUT_LIMIT) {
        user_error("Untyped Retype: num_objects %lu is outside 1..%d.", count, CONFIG_RETYPE_FAN_OUT_LIMIT);
        return err_range(inv, 1, CONFIG_RETYPE_FAN_OUT_LIMIT);
    }
    if (count > slots - node_offset) {
        user_error("Untyped Retype: %lu objects from slot %lu do not fit in the destination CNode (%lu slots).",
                   count, node_offset, slots);
        return err_range(inv, 1, slots - node_offset);
    }
    cte_t *dest = &cap_cnode_slots(cnode)[node_offset];
    for (word_t i = 0; i < count; i++) {
        if (!cap_is_null(dest[i].cap)) {
            user_error("Untyped Retype: destination slot %lu is not empty (cap type: %s).", node_offset + i,
                       cap_type_name(cap_get_type(dest[i].cap)));
            return seL4_DeleteFirst;
        }
    }

    /* Free space: an untyped without children is reset first, so all of it is free. */
    cap_t ut = inv->cap;
    bool reset = !cte_has_children(inv->slot);
    word_t free_bytes = BIT(cap_untyped_size_bits(ut)) - (reset ? 0 : cap_untyped_free_offset(ut));
    if ((free_bytes >> obj_bits) < count) {
        user_error("Untyped Retype: Insufficient memory (%lu * %lu bytes needed, %lu bytes available).", count,
                   (word_t)BIT(obj_bits), free_bytes);
        return err_not_enough_memory(inv, free_bytes);
    }
    if (cap_untyped_is_device(ut) && !arch_is_frame_type(type) && type != seL4_UntypedObject) {
        user_error("Untyped Retype: device untyped can only become frames or untyped, not type %lu.", type);
        return err_invalid_argument(inv, 1);
    }
    return invoke_retype(inv->slot, reset, type, user_bits, obj_bits, dest, count, inv->thread);
}
