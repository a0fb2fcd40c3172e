/* Private to the sel4utils vspace implementation (src/vspace*.c). */
#pragma once

#include <sel4utils/vspace.h>

/* Set up data and vspace (function pointers, empty bookkeeping). loader is NULL for a
 * vspace that manages the caller's own address space. */
int sel4utils_vspace_init(vspace_t *loader, vspace_t *vspace, sel4utils_alloc_data_t *data,
                          vka_t *vka, seL4_CPtr vspace_root,
                          vspace_allocated_object_fn allocated_object_fn,
                          void *allocated_object_cookie, sel4utils_map_page_fn map_page,
                          bool is_empty);

/* The bookkeeping of a live vspace; NULL (with an error message) for NULL, uninitialised or
 * torn-down vspaces. */
sel4utils_alloc_data_t *sel4utils_vspace_data(vspace_t *vspace);
