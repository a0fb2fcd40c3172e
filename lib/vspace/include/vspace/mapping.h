/* Paging-structure objects by lookup level (libsel4vspace <vspace/mapping.h>), x86_64: after a
 * frame mapping fails with seL4_FailedLookup, seL4_MappingFailedLookupLevel() says which
 * structure is missing; vspace_get_map_obj describes it (object type, size, how to map it). */
#pragma once

#include <errno.h>
#include <sel4/sel4.h>
#include <utils/util.h>
#include <vspace/arch/page.h>

typedef seL4_Error (*vspace_map_fn_t)(seL4_CPtr cap, seL4_CPtr vspace_root, seL4_Word vaddr,
                                      seL4_Word attr);

typedef struct {
    seL4_Word type;      /* object type to retype */
    seL4_Word size_bits; /* its size */
    vspace_map_fn_t map_fn;
} vspace_map_obj_t;

/* Fill *obj for the structure missing at lookup level failed_bits (21: page table, 30: page
 * directory, 39: PDPT). 0 on success, EINVAL for any other level or a NULL obj. */
int vspace_get_map_obj(seL4_Word failed_bits, vspace_map_obj_t *obj);

/* Map a structure described by obj. */
static inline seL4_Error vspace_map_obj(vspace_map_obj_t *obj, seL4_CPtr cap, seL4_CPtr vspace,
                                        seL4_Word vaddr, seL4_Word attr)
{
    if (obj == NULL || obj->map_fn == NULL) {
        ZF_LOGE("obj is NULL or not filled in");
        return seL4_InvalidArgument;
    }
    return obj->map_fn(cap, vspace, vaddr, attr);
}
