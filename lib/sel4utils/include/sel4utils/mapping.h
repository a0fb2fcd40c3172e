/* Mapping single pages (seL4's libsel4utils <sel4utils/mapping.h>), x86_64. */
#pragma once

#include <autoconf.h>
#include <sel4/sel4.h>
#include <utils/util.h>
#include <vka/vka.h>
#include <vka/object.h>
#include <sel4utils/arch/util.h>

/* Most paging structures one 4 KiB mapping can need on x86_64: a PDPT, a PD and a PT. */
#define SEL4UTILS_MAP_PAGING_OBJECTS 3

/* Map the frame cap `frame` at vaddr in the address space whose root (PML4) is pd, creating
 * with vka the paging structures that are missing. Those structures are stored in
 * objects[0..*num_objects) (on entry *num_objects is the array's capacity; on return the
 * number created, also when the mapping finally failed: they stay mapped and the caller
 * owns them). Returns 0, an seL4_Error of the mapping, or -1 if an allocation failed or
 * the array was too small. */
int sel4utils_map_page(vka_t *vka, seL4_CPtr pd, seL4_CPtr frame, void *vaddr,
                       seL4_CapRights_t rights, int cacheable, vka_object_t *objects,
                       int *num_objects);

/* As sel4utils_map_page, forgetting which paging structures were created (they can never be
 * freed). */
static inline int sel4utils_map_page_leaky(vka_t *vka, seL4_CPtr pd, seL4_CPtr frame, void *vaddr,
                                           seL4_CapRights_t rights, int cacheable)
{
    vka_object_t objects[SEL4UTILS_MAP_PAGING_OBJECTS];
    int num = SEL4UTILS_MAP_PAGING_OBJECTS;
    return sel4utils_map_page(vka, pd, frame, vaddr, rights, cacheable, objects, &num);
}

#include <vspace/vspace.h>

/* Copy the frame cap `page` into a new slot from vka and map the copy anywhere in vspace.
 * Returns the mapping's address, NULL on failure (nothing is left allocated then). */
void *sel4utils_dup_and_map(vka_t *vka, vspace_t *vspace, seL4_CPtr page, size_t size_bits);

/* Undo sel4utils_dup_and_map: unmap, delete the copied cap, free its slot. */
void sel4utils_unmap_dup(vka_t *vka, vspace_t *vspace, void *mapping, size_t size_bits);
