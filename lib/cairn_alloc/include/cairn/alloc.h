/*
 * A tiny allocator for a root task (the untyped tutorial's "simple object allocator"):
 * empty slots come from BootInfo's empty region, objects are retyped from BootInfo's RAM
 * (non-device) untypeds, the smallest one that still fits first. Nothing is ever freed.
 * Every failure is returned as a seL4_Error; nothing here stops the program.
 *
 * It assumes it is the only user of those slots and untypeds; if an untyped turns out to
 * be fuller than it thought, it marks it full and tries the next one.
 */
#pragma once
#include <sel4/sel4.h>

typedef struct cairn_alloc {
    const seL4_BootInfo *bi;
    seL4_CPtr next_slot, end_slot;                          /* [next, end) still free */
    seL4_Word used[CONFIG_MAX_NUM_BOOTINFO_UNTYPED_CAPS];   /* bytes used of each untyped */
} cairn_alloc_t;

/* Start allocating from the root task's BootInfo. */
void cairn_alloc_init(cairn_alloc_t *a, const seL4_BootInfo *bi);

/* One empty slot of the root CNode; seL4_NotEnoughMemory when there are none left. */
seL4_Error cairn_alloc_slot(cairn_alloc_t *a, seL4_CPtr *slot);

/* Retype one object into a new slot of the root CNode and return that slot. size_bits is
 * the Retype argument (only used by untyped, CNode and SchedContext objects).
 * seL4_InvalidArgument for an unknown type or bad size, seL4_NotEnoughMemory when no
 * untyped or slot is left, or the error of the Retype itself. */
seL4_Error cairn_alloc_object(cairn_alloc_t *a, seL4_Word type, seL4_Word size_bits, seL4_CPtr *cap);

/* The size in bits of one object of a type (0 for an unknown type). */
seL4_Word cairn_object_size_bits(seL4_Word type, seL4_Word size_bits);
