/* Starting an allocman in the root task (seL4 libsel4allocman's bootstrap.h names).
 *
 * The allocman keeps its own bookkeeping (its state, a bitmap of the free slots, one small
 * record per untyped block) in the static pool the caller gives it; when that is used up it
 * maps frames it allocates itself into the virtual pool configured with
 * bootstrap_configure_virtual_pool. */
#pragma once

#include <stddef.h>
#include <sel4/sel4.h>
#include <simple/simple.h>
#include <allocman/allocman.h>

/* An allocman over the current single-level CSpace described by simple (its free slots are
 * those after the last cap simple knows of, up to the end of the CNode) and all of simple's
 * untypeds. NULL on error. */
allocman_t *bootstrap_use_current_simple(simple_t *simple, size_t pool_size, void *pool);

/* An allocman over slots [start_slot, end_slot) of the single-level CNode root_cnode (of
 * 2^cnode_size slots), without untypeds (add them with allocman_utspace_add_uts or
 * allocman_add_simple_untypeds). NULL on error. */
allocman_t *bootstrap_use_current_1level(seL4_CPtr root_cnode, size_t cnode_size,
                                         seL4_CPtr start_slot, seL4_CPtr end_slot,
                                         size_t pool_size, void *pool);

/* An allocman over the root task's empty slots and untypeds as described by bi. */
allocman_t *bootstrap_use_bootinfo(seL4_BootInfo *bi, size_t pool_size, void *pool);

/* Give the allocman all untypeds simple knows of. 0 on success. */
int allocman_add_simple_untypeds(allocman_t *alloc, simple_t *simple);

/* Let the allocman map bookkeeping memory into [vstart, vstart + vsize) of the address space
 * whose top-level paging structure is pd (that range must be reserved for it, e.g. with
 * vspace_reserve_range). seL4 returns void; Cairn returns 0, or -1 on a bad argument (with a
 * ZF_LOGE line), which callers that ignore the result do not notice. */
int bootstrap_configure_virtual_pool(allocman_t *alloc, void *vstart, size_t vsize,
                                     seL4_CPtr pd);
