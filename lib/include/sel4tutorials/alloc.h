/* The seL4 tutorials' object allocator (libsel4tutorials' alloc.h): a slot from BootInfo's
 * empty region and an object retyped from its untypeds, through Cairn's allocator. Stops the
 * program (ZF_LOGF) when it cannot, as the tutorials' version does. */
#pragma once
#include <sel4/sel4.h>
#include <cairn/alloc.h>
#include <utils/util.h>

static cairn_alloc_t sel4tutorials_alloc;
static const seL4_BootInfo *sel4tutorials_alloc_bi;

static inline cairn_alloc_t *sel4tutorials_allocator(seL4_BootInfo *info)
{
    if (sel4tutorials_alloc_bi != info) {
        cairn_alloc_init(&sel4tutorials_alloc, info);
        sel4tutorials_alloc_bi = info;
    }
    return &sel4tutorials_alloc;
}

/* An empty slot of the root CNode. */
static inline __attribute__((unused)) seL4_CPtr alloc_slot(seL4_BootInfo *info)
{
    seL4_CPtr slot = 0;
    seL4_Error e = cairn_alloc_slot(sel4tutorials_allocator(info), &slot);
    ZF_LOGF_IF(e != seL4_NoError, "Failed to allocate a slot");
    return slot;
}

/* One object of `type` (size_bits for variable-sized ones) in a new slot. */
static inline __attribute__((unused)) seL4_CPtr alloc_object(seL4_BootInfo *info, seL4_Word type, seL4_Word size_bits)
{
    seL4_CPtr cap = 0;
    seL4_Error e = cairn_alloc_object(sel4tutorials_allocator(info), type, size_bits, &cap);
    ZF_LOGF_IF(e != seL4_NoError, "Failed to allocate an object of type %lu", (unsigned long)type);
    return cap;
}
