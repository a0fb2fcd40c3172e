/* sel4utils' internal helpers (not installed). */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <vka/vka.h>
#include <vspace/vspace.h>

/* Copy len bytes from buf to [vaddr, vaddr + len) of `target`, whose frames are caps of
 * target_vka's CSpace, by mapping each frame temporarily into `local` (a copy of its cap
 * in a slot of local_vka). Every page must be mapped in target. `local` and its vka are
 * left as they were. 0 on success, -1 on failure. */
int sel4utils_internal_write(vspace_t *local, vka_t *local_vka, vspace_t *target, vka_t *target_vka,
                             uintptr_t vaddr, const void *buf, size_t len);
