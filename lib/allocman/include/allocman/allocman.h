/* allocman: Cairn's allocator of slots and untyped memory, with the function names of seL4's
 * libsel4allocman. One allocman manages a range of free slots of a single-level CSpace (the
 * root task's CNode) and a set of untypeds, which it splits buddy-style so that every object
 * it hands out can be given back exactly.
 *
 * Sizes passed to the allocman_utspace_* functions are, as in seL4, the log2 of the MEMORY an
 * object needs (for a CNode of 2^n slots that is n + seL4_SlotBits), not the Untyped_Retype
 * size argument. The vka interface (<allocman/vka.h>) takes vka's usual arguments. */
#pragma once

#include <autoconf.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sel4/sel4.h>
#include <vka/cspacepath_t.h>

/* allocman_utspace_alloc_at: no particular physical address. */
#define ALLOCMAN_NO_PADDR 1

/* Kinds of untyped for allocman_utspace_add_uts. */
#define ALLOCMAN_UT_KERNEL 0  /* RAM */
#define ALLOCMAN_UT_DEV 1     /* device memory: frames and untypeds only */
#define ALLOCMAN_UT_DEV_MEM 2 /* device untyped known to be RAM (treated as device) */

typedef struct allocman allocman_t;

/* Allocate a free slot; *slot receives its path. 0 on success, -1 when no slot is left. */
int allocman_cspace_alloc(allocman_t *alloc, cspacepath_t *slot);

/* Return a slot from allocman_cspace_alloc (it must already be empty). */
void allocman_cspace_free(allocman_t *alloc, const cspacepath_t *slot);

/* The path of a slot of the allocman's CSpace. */
cspacepath_t allocman_cspace_make_path(allocman_t *alloc, seL4_CPtr slot);

/* Create one object of type into the empty slot path, from 2^size_bits bytes of untyped
 * memory (at physical address paddr unless it is ALLOCMAN_NO_PADDR; from device untypeds
 * only if canBeDev, or if paddr lies in device memory). Returns a cookie for
 * allocman_utspace_free / allocman_utspace_paddr; *_error (optional) is 0 on success, -1
 * for a bad argument or exhausted memory/slots/bookkeeping, or the seL4_Error of a failed
 * retype. */
seL4_Word allocman_utspace_alloc_at(allocman_t *alloc, size_t size_bits, seL4_Word type,
                                    const cspacepath_t *path, uintptr_t paddr, bool canBeDev,
                                    int *_error);

static inline seL4_Word allocman_utspace_alloc(allocman_t *alloc, size_t size_bits,
                                               seL4_Word type, const cspacepath_t *path,
                                               bool canBeDev, int *_error)
{
    return allocman_utspace_alloc_at(alloc, size_bits, type, path, ALLOCMAN_NO_PADDR, canBeDev,
                                     _error);
}

/* Give back the memory of an allocation. seL4 requires every cap to the object to be deleted
 * first; Cairn additionally revokes whatever is left, so the memory is really free. */
void allocman_utspace_free(allocman_t *alloc, seL4_Word cookie, size_t size_bits);

/* Physical address of an allocation, or ALLOCMAN_NO_PADDR for a bad cookie. */
uintptr_t allocman_utspace_paddr(allocman_t *alloc, seL4_Word cookie, size_t size_bits);

/* Hand num untypeds to the allocman: uts[i] is the path of the cap, size_bits[i] its size,
 * paddr[i] its physical address, utType one of ALLOCMAN_UT_*. The untypeds must be unused
 * (no children). 0 on success, -1 on a bad argument or when bookkeeping memory runs out. */
int allocman_utspace_add_uts(allocman_t *alloc, size_t num, const cspacepath_t *uts,
                             size_t *size_bits, uintptr_t *paddr, int utType);

/* Cairn extension: what is left, for tests and diagnostics. *free_slots: slots
 * allocman_cspace_alloc can still hand out; *free_bytes: free RAM (not device) untyped
 * memory. Either pointer may be NULL. Bookkeeping memory the allocman maps for itself from
 * the virtual pool (bootstrap_configure_virtual_pool) is counted as used and never given
 * back. 0 on success, -1 if alloc is NULL. */
int allocman_stats(allocman_t *alloc, size_t *free_slots, size_t *free_bytes);
