/* sel4utils' vspace_t implementation (seL4's libsel4utils <sel4utils/vspace.h>): a manager
 * for one seL4 x86_64 address space, either the caller's own (bootstrap) or another one that
 * the caller builds (get_vspace, e.g. for a new process).
 *
 * Cairn's implementation keeps its bookkeeping in malloc'd memory of the managing program:
 * the reservations (a sorted list of address ranges), every mapped page (frame cap, allocator
 * cookie, size) in a sparse radix tree, and the paging structures it had to create. Virtual
 * addresses handed out start at SEL4UTILS_VSPACE_ALLOC_START; page 0 is never used.
 *
 * Accounting: a frame created by new_pages is freed (cap deleted, slot and memory returned)
 * when it is unmapped with VSPACE_FREE or a vka, or at tear_down(VSPACE_FREE). Paging
 * structures (PDPT/PD/PT) the vspace creates are reported to allocated_object_fn when one was
 * given (the callee then owns and frees them, as in seL4); without one the vspace remembers
 * them and tear_down frees them. The structures below are public only so that their size is
 * known; use the functions. */
#pragma once

#include <autoconf.h>
#include <stdbool.h>
#include <stdint.h>
#include <sel4/sel4.h>
#include <vka/vka.h>
#include <vka/object.h>
#include <vspace/vspace.h>

/* Lowest address that reserve_range / new_pages hand out. */
#define SEL4UTILS_VSPACE_ALLOC_START 0x10000000ul
/* First address above the user part of the address space. */
#define KERNEL_RESERVED_START (seL4_UserTop & ~(PAGE_SIZE_4K - 1))

/* Maps one page into the managed vspace (sel4utils_get_vspace_with_map). 0 on success. */
typedef int (*sel4utils_map_page_fn)(vspace_t *vspace, seL4_CPtr cap, void *vaddr,
                                     seL4_CapRights_t rights, int cacheable, size_t size_bits);

/* A reservation: [start, end), page aligned. */
typedef struct sel4utils_res {
    uintptr_t start;
    uintptr_t end;
    seL4_CapRights_t rights;
    int cacheable;
    int malloced;           /* made by the vspace (freed with it) or given by the caller */
    bool rights_deferred;   /* rights come with each mapping */
    struct sel4utils_res *next;
} sel4utils_res_t;

/* One paging structure the vspace created and must free at tear_down. */
typedef struct sel4utils_paging_obj {
    vka_object_t object;
    uintptr_t vaddr;                    /* start of the range it translates */
    struct sel4utils_paging_obj *next;
} sel4utils_paging_obj_t;

typedef struct sel4utils_alloc_data {
    seL4_CPtr vspace_root;              /* PML4 cap */
    vka_t *vka;                         /* allocates frames, slots and paging structures */
    void *top_level;                    /* radix tree of mapped pages (opaque) */
    uintptr_t last_allocated;           /* where the next free-range search starts */
    vspace_t *bootstrap;                /* the managing program's vspace; NULL if this is it */
    sel4utils_map_page_fn map_page;     /* how pages are mapped */
    sel4utils_res_t *reservation_head;  /* reservations, sorted by start */
    sel4utils_paging_obj_t *paging_objects; /* structures to free at tear_down */
    size_t mapped_pages;                /* pages currently mapped (all sizes) */
    bool is_empty;                      /* made by get_empty_vspace */
    bool torn_down;
} sel4utils_alloc_data_t;

static inline sel4utils_res_t *reservation_to_res(reservation_t res)
{
    return (sel4utils_res_t *)res.res;
}

/* A manager for another address space whose root (PML4, already assigned an ASID) is
 * vspace_root, mapping pages with map_page. loader is the caller's own vspace (used to
 * reach the new vspace's memory, e.g. vspace_share_mem). 0 on success, -1 on a bad
 * argument or when out of memory. */
int sel4utils_get_vspace_with_map(vspace_t *loader, vspace_t *new_vspace,
                                  sel4utils_alloc_data_t *data, vka_t *vka,
                                  seL4_CPtr vspace_root, vspace_allocated_object_fn allocated_object_fn,
                                  void *allocated_object_cookie, sel4utils_map_page_fn map_page);

/* As sel4utils_get_vspace_with_map, without any pre-reserved region. */
int sel4utils_get_empty_vspace_with_map(vspace_t *loader, vspace_t *new_vspace,
                                        sel4utils_alloc_data_t *data, vka_t *vka,
                                        seL4_CPtr vspace_root,
                                        vspace_allocated_object_fn allocated_object_fn,
                                        void *allocated_object_cookie, sel4utils_map_page_fn map_page);

/* A manager for another address space (process creation uses this). */
int sel4utils_get_vspace(vspace_t *loader, vspace_t *new_vspace, sel4utils_alloc_data_t *data,
                         vka_t *vka, seL4_CPtr vspace_root,
                         vspace_allocated_object_fn allocated_object_fn, void *allocated_object_cookie);

/* As sel4utils_get_vspace, without any pre-reserved region. */
int sel4utils_get_empty_vspace(vspace_t *loader, vspace_t *new_vspace, sel4utils_alloc_data_t *data,
                               vka_t *vka, seL4_CPtr vspace_root,
                               vspace_allocated_object_fn allocated_object_fn,
                               void *allocated_object_cookie);

/* A manager for the caller's own address space: the program image (__executable_start to
 * _end) and each 4 KiB page listed in existing_frames (NULL-terminated, may be NULL) are
 * reserved. */
int sel4utils_bootstrap_vspace(vspace_t *vspace, sel4utils_alloc_data_t *data,
                               seL4_CPtr vspace_root, vka_t *vka,
                               vspace_allocated_object_fn allocated_object_fn,
                               void *allocated_object_cookie, void *existing_frames[]);

/* A manager for the root task's own address space: the image, the IPC buffer, the BootInfo
 * frame and the extra BootInfo pages are reserved. */
int sel4utils_bootstrap_vspace_with_bootinfo(vspace_t *vspace, sel4utils_alloc_data_t *data,
                                             seL4_CPtr vspace_root, vka_t *vka, seL4_BootInfo *info,
                                             vspace_allocated_object_fn allocated_object_fn,
                                             void *allocated_object_cookie);

/* Variants that do not report allocated objects (the vspace keeps track of them itself). */
static inline int sel4utils_get_vspace_leaky(vspace_t *loader, vspace_t *new_vspace,
                                             sel4utils_alloc_data_t *data, vka_t *vka,
                                             seL4_CPtr vspace_root)
{
    return sel4utils_get_vspace(loader, new_vspace, data, vka, vspace_root, NULL, NULL);
}

static inline int sel4utils_bootstrap_vspace_with_bootinfo_leaky(vspace_t *vspace,
                                                                 sel4utils_alloc_data_t *data,
                                                                 seL4_CPtr vspace_root, vka_t *vka,
                                                                 seL4_BootInfo *info)
{
    return sel4utils_bootstrap_vspace_with_bootinfo(vspace, data, vspace_root, vka, info, NULL,
                                                    NULL);
}

static inline int sel4utils_bootstrap_vspace_leaky(vspace_t *vspace, sel4utils_alloc_data_t *data,
                                                   seL4_CPtr vspace_root, vka_t *vka,
                                                   void *existing_frames[])
{
    return sel4utils_bootstrap_vspace(vspace, data, vspace_root, vka, NULL, NULL, existing_frames);
}

/* Reservations in caller-provided memory (no malloc): anywhere (4 KiB or 2^size_bits
 * aligned; the address is stored in *result) or at vaddr. 0 on success, -1 otherwise. Free
 * them with vspace_free_reservation; the struct itself stays the caller's. */
int sel4utils_reserve_range_no_alloc(vspace_t *vspace, sel4utils_res_t *reservation, size_t size,
                                     seL4_CapRights_t rights, int cacheable, void **result);
int sel4utils_reserve_range_no_alloc_aligned(vspace_t *vspace, sel4utils_res_t *reservation,
                                             size_t size, size_t size_bits,
                                             seL4_CapRights_t rights, int cacheable,
                                             void **result);
int sel4utils_reserve_range_at_no_alloc(vspace_t *vspace, sel4utils_res_t *reservation, void *vaddr,
                                        size_t size, seL4_CapRights_t rights, int cacheable);

/* Move and/or resize a reservation to [vaddr, vaddr + bytes); the new range may overlap
 * only the reservation itself. Mappings are untouched. 0 on success, -1 otherwise. */
int sel4utils_move_resize_reservation(vspace_t *vspace, reservation_t reservation, void *vaddr,
                                      size_t bytes);

/* The bounds of the running program's image (__executable_start, _end). */
void sel4utils_get_image_region(uintptr_t *va_start, uintptr_t *va_end);

/* Physical address that vaddr is mapped to, VKA_NO_PADDR if it is not mapped. type and
 * size_bits describe the frame (as for vka). */
uintptr_t sel4utils_get_paddr(vspace_t *vspace, void *vaddr, seL4_Word type, seL4_Word size_bits);

/* The vspace_t functions of this implementation, callable directly. */
void *sel4utils_new_pages(vspace_t *vspace, seL4_CapRights_t rights, size_t num_pages,
                          size_t size_bits);
void *sel4utils_map_pages(vspace_t *vspace, seL4_CPtr caps[], uintptr_t cookies[],
                          seL4_CapRights_t rights, size_t num_pages, size_t size_bits,
                          int cacheable);
int sel4utils_new_pages_at_vaddr(vspace_t *vspace, void *vaddr, size_t num_pages, size_t size_bits,
                                 reservation_t reservation, bool can_use_dev);
int sel4utils_map_pages_at_vaddr(vspace_t *vspace, seL4_CPtr caps[], uintptr_t cookies[],
                                 void *vaddr, size_t num_pages, size_t size_bits,
                                 reservation_t reservation);
int sel4utils_deferred_rights_map_pages_at_vaddr(vspace_t *vspace, seL4_CPtr caps[],
                                                 uintptr_t cookies[], void *vaddr,
                                                 size_t num_pages, size_t size_bits,
                                                 seL4_CapRights_t rights, reservation_t reservation);
void sel4utils_unmap_pages(vspace_t *vspace, void *vaddr, size_t num_pages, size_t size_bits,
                           vka_t *vka);
void sel4utils_tear_down(vspace_t *vspace, vka_t *vka);
reservation_t sel4utils_reserve_range_aligned(vspace_t *vspace, size_t bytes, size_t size_bits,
                                              seL4_CapRights_t rights, int cacheable,
                                              void **vaddr);
reservation_t sel4utils_reserve_range_at(vspace_t *vspace, void *vaddr, size_t bytes,
                                         seL4_CapRights_t rights, int cacheable);
reservation_t sel4utils_reserve_deferred_rights_range_at(vspace_t *vspace, void *vaddr,
                                                         size_t bytes, int cacheable);
void sel4utils_free_reservation(vspace_t *vspace, reservation_t reservation);
void sel4utils_free_reservation_by_vaddr(vspace_t *vspace, void *vaddr);
seL4_CPtr sel4utils_get_cap(vspace_t *vspace, void *vaddr);
uintptr_t sel4utils_get_cookie(vspace_t *vspace, void *vaddr);
seL4_CPtr sel4utils_get_root(vspace_t *vspace);
int sel4utils_share_mem_at_vaddr(vspace_t *from, vspace_t *to, void *start, int num_pages,
                                 size_t size_bits, void *vaddr, reservation_t reservation);

/* The default map_page: seL4 paging invocations on the vspace root, creating missing
 * paging structures with the vspace's vka. */
int sel4utils_map_page_pd(vspace_t *vspace, seL4_CPtr cap, void *vaddr, seL4_CapRights_t rights,
                          int cacheable, size_t size_bits);
