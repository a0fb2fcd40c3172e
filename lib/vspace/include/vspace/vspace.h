/* vspace_t: seL4's portable virtual-memory manager interface (libsel4vspace). An
 * implementation (e.g. sel4utils, <sel4utils/vspace.h>) fills in the function pointers; code
 * calls the vspace_* functions below, which check their arguments and dispatch.
 *
 * Vocabulary: a *reservation* claims a range of virtual addresses so nobody else gets it;
 * pages are then created (new_pages*) or existing frame caps mapped (map_pages*) inside it.
 * Freeing a reservation does not unmap anything: mapped pages stay until unmapped. */
#pragma once

#include <assert.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sel4/sel4.h>
#include <utils/util.h>
#include <vka/vka.h>
#include <vka/object.h>
#include <vspace/page.h>

/* Default stack size of vspace_new_stack (seL4's sel4utils build option, 64 KiB by default). */
#ifndef CONFIG_SEL4UTILS_STACK_SIZE
#define CONFIG_SEL4UTILS_STACK_SIZE 65536
#endif

typedef struct vspace vspace_t;

/* A reservation handle; res is NULL when a reservation could not be made. */
typedef struct reservation {
    void *res;
} reservation_t;

/* Options of vspace_new_pages_with_config / vspace_new_pages_at_vaddr_with_config. */
typedef struct vspace_new_pages_config {
    void *vaddr;       /* NULL: anywhere free; otherwise exactly here */
    size_t num_pages;  /* pages to create */
    size_t size_bits;  /* log2 of each page's size */
    bool can_use_dev;  /* frames may come from device untypeds */
} vspace_new_pages_config_t;

/* Fill *config for num_pages pages of 2^size_bits bytes, anywhere, RAM only. -1 if
 * num_pages is 0. */
static inline int default_vspace_new_pages_config(size_t num_pages, size_t size_bits,
                                                  vspace_new_pages_config_t *config)
{
    if (num_pages == 0) {
        ZF_LOGW("attempt to create 0 pages");
        return -1;
    }
    if (config == NULL) {
        ZF_LOGE("config is NULL");
        return -1;
    }
    config->vaddr = NULL;
    config->num_pages = num_pages;
    config->size_bits = size_bits;
    config->can_use_dev = false;
    return 0;
}

static inline int vspace_new_pages_config_set_vaddr(void *vaddr, vspace_new_pages_config_t *config)
{
    if (config == NULL) {
        ZF_LOGE("config is NULL");
        return -1;
    }
    config->vaddr = vaddr;
    return 0;
}

static inline int vspace_new_pages_config_use_device_ut(bool can_use_dev,
                                                        vspace_new_pages_config_t *config)
{
    if (config == NULL) {
        ZF_LOGE("config is NULL");
        return -1;
    }
    config->can_use_dev = can_use_dev;
    return 0;
}

/* ---- Implementation-independent functions (lib/vspace/src/vspace.c) ---- */

/* Reserve `bytes` (rounded up to 4 KiB) anywhere free, 4 KiB aligned; the start address is
 * stored in *vaddr. Returns a reservation with res == NULL on failure. */
reservation_t vspace_reserve_range(vspace_t *vspace, size_t bytes, seL4_CapRights_t rights,
                                   int cacheable, void **vaddr);

/* Map the num_pages pages mapped at `start` in `from` also into `to`, at a free range;
 * returns their address in `to`, NULL on failure. */
void *vspace_share_mem(vspace_t *from, vspace_t *to, void *start, int num_pages,
                       size_t size_bits, seL4_CapRights_t rights, int cacheable);

/* Create and map pages as config says (anywhere or at config->vaddr). The start address, or
 * NULL on failure. */
void *vspace_new_pages_with_config(vspace_t *vspace, vspace_new_pages_config_t *config,
                                   seL4_CapRights_t rights);

/* A stack of n_pages 4 KiB pages with an unmapped guard page below it; returns its top
 * (highest address + 1), NULL on failure. */
void *vspace_new_sized_stack(vspace_t *vspace, size_t n_pages);

static inline void *vspace_new_stack(vspace_t *vspace)
{
    return vspace_new_sized_stack(vspace, BYTES_TO_4K_PAGES(CONFIG_SEL4UTILS_STACK_SIZE));
}

/* Free a stack made by vspace_new_sized_stack: its pages (with the vspace's own allocator)
 * and its reservation, guard page included. */
void vspace_free_sized_stack(vspace_t *vspace, void *stack_top, size_t n_pages);

static inline void vspace_free_stack(vspace_t *vspace, void *stack_top)
{
    vspace_free_sized_stack(vspace, stack_top, BYTES_TO_4K_PAGES(CONFIG_SEL4UTILS_STACK_SIZE));
}

/* One new 4 KiB page for an IPC buffer; its frame cap is stored in *page. NULL on failure. */
void *vspace_new_ipc_buffer(vspace_t *vspace, seL4_CPtr *page);

/* Unmap and free an IPC buffer made by vspace_new_ipc_buffer. */
void vspace_free_ipc_buffer(vspace_t *vspace, void *addr);

/* Called by vspace_access_page_with_callback with the address being accessed (in `from`)
 * and where the same byte is visible in `to`. */
typedef int (*vspace_access_callback_fn)(void *access_addr, void *vaddr, void *cookie);

/* Map the page of `from` that holds access_addr temporarily into `to`, call
 * callback(access_addr, <same byte in to>, cookie), unmap it again. Returns the callback's
 * result, -1 if the page could not be mapped. */
int vspace_access_page_with_callback(vspace_t *from, vspace_t *to, void *access_addr,
                                     size_t size_bits, seL4_CapRights_t rights, int cacheable,
                                     vspace_access_callback_fn callback, void *cookie);

/* ---- Implementation-specific functions (the function pointers) ---- */

/* Create and map num_pages pages of 2^size_bits bytes anywhere; start address or NULL. */
typedef void *(*vspace_new_pages_fn)(vspace_t *vspace, seL4_CapRights_t rights,
                                     size_t num_pages, size_t size_bits);

/* Map the given frame caps contiguously anywhere; start address or NULL. cookies (may be
 * NULL) are the allocator cookies of the frames, so the vspace can free them later. */
typedef void *(*vspace_map_pages_fn)(vspace_t *vspace, seL4_CPtr caps[], uintptr_t cookies[],
                                     seL4_CapRights_t rights, size_t num_pages,
                                     size_t size_bits, int cacheable);

/* Create and map pages at vaddr inside `reservation`; fails if any of it is mapped already.
 * 0 on success, -1 otherwise. */
typedef int (*vspace_new_pages_at_vaddr_fn)(vspace_t *vspace, void *vaddr, size_t num_pages,
                                            size_t size_bits, reservation_t reservation,
                                            bool can_use_dev);

/* Map caps at vaddr inside `reservation` with the reservation's rights. 0 or -1. */
typedef int (*vspace_map_pages_at_vaddr_fn)(vspace_t *vspace, seL4_CPtr caps[],
                                            uintptr_t cookies[], void *vaddr, size_t num_pages,
                                            size_t size_bits, reservation_t reservation);

/* As map_pages_at_vaddr, with the rights given here (for reservations made with deferred
 * rights). 0 or -1. */
typedef int (*vspace_deferred_rights_map_pages_at_vaddr_fn)(vspace_t *vspace, seL4_CPtr caps[],
                                                            uintptr_t cookies[], void *vaddr,
                                                            size_t num_pages, size_t size_bits,
                                                            seL4_CapRights_t rights,
                                                            reservation_t reservation);

/* Values for the `free` argument of unmap_pages and tear_down. */
#define VSPACE_FREE ((vka_t *)0xffffffff)
#define VSPACE_PRESERVE ((vka_t *)0)

/* Unmap num_pages pages starting at vaddr. free: VSPACE_PRESERVE keeps the frame caps;
 * VSPACE_FREE deletes the caps and frees their slots (and the frames, when the vspace knows
 * their cookie) with the vspace's own vka; another vka does the same with that vka.
 * Reservations are kept. */
typedef void (*vspace_unmap_pages_fn)(vspace_t *vspace, void *vaddr, size_t num_pages,
                                      size_t size_bits, vka_t *free);

/* Destroy the vspace's bookkeeping and everything it created itself; `free` decides about
 * the mapped frames as for unmap_pages. */
typedef void (*vspace_tear_down_fn)(vspace_t *vspace, vka_t *free);

/* Reserve `bytes` anywhere free, aligned to 2^size_bits; start stored in *vaddr. */
typedef reservation_t (*vspace_reserve_range_aligned_fn)(vspace_t *vspace, size_t bytes,
                                                         size_t size_bits,
                                                         seL4_CapRights_t rights,
                                                         int cacheable, void **vaddr);

/* Reserve [vaddr, vaddr + bytes) (widened to 4 KiB pages); fails if any of it is taken. */
typedef reservation_t (*vspace_reserve_range_at_fn)(vspace_t *vspace, void *vaddr, size_t bytes,
                                                    seL4_CapRights_t rights, int cacheable);

/* As reserve_range_at, the rights being given later at each mapping. */
typedef reservation_t (*vspace_reserve_deferred_rights_range_at_fn)(vspace_t *vspace,
                                                                    void *vaddr, size_t bytes,
                                                                    int cacheable);

/* Release a reservation (mappings inside it stay). */
typedef void (*vspace_free_reservation_fn)(vspace_t *vspace, reservation_t reservation);

/* Release the reservation that contains vaddr. */
typedef void (*vspace_free_reservation_by_vaddr_fn)(vspace_t *vspace, void *vaddr);

/* The frame cap mapped at vaddr, 0 if none. */
typedef seL4_CPtr (*vspace_get_cap_fn)(vspace_t *vspace, void *vaddr);

/* The allocator cookie of the frame mapped at vaddr, 0 if none/unknown. */
typedef uintptr_t (*vspace_get_cookie_fn)(vspace_t *vspace, void *vaddr);

/* Told about each kernel object (paging structures) the vspace allocates, if set: the
 * object then belongs to the callee, who frees it after tearing the vspace down. */
typedef void (*vspace_allocated_object_fn)(void *allocated_object_cookie, vka_object_t object);

/* The cap of the vspace's root paging structure (PML4 on x86_64). */
typedef seL4_CPtr (*vspace_get_root_fn)(vspace_t *vspace);

/* Map the num_pages pages mapped at `start` in `from` into `to` at vaddr (inside res). 0 on
 * success. */
typedef int (*vspace_share_mem_at_vaddr_fn)(vspace_t *from, vspace_t *to, void *start,
                                            int num_pages, size_t size_bits, void *vaddr,
                                            reservation_t res);

struct vspace {
    void *data;

    vspace_new_pages_fn new_pages;
    vspace_map_pages_fn map_pages;

    vspace_new_pages_at_vaddr_fn new_pages_at_vaddr;

    vspace_map_pages_at_vaddr_fn map_pages_at_vaddr;
    vspace_deferred_rights_map_pages_at_vaddr_fn deferred_rights_map_pages_at_vaddr;

    vspace_unmap_pages_fn unmap_pages;
    vspace_tear_down_fn tear_down;

    vspace_reserve_range_aligned_fn reserve_range_aligned;
    vspace_reserve_range_at_fn reserve_range_at;
    vspace_reserve_deferred_rights_range_at_fn reserve_deferred_rights_range_at;
    vspace_free_reservation_fn free_reservation;
    vspace_free_reservation_by_vaddr_fn free_reservation_by_vaddr;

    vspace_get_cap_fn get_cap;
    vspace_get_root_fn get_root;
    vspace_get_cookie_fn get_cookie;

    vspace_share_mem_at_vaddr_fn share_mem_at_vaddr;

    vspace_allocated_object_fn allocated_object;
    void *allocated_object_cookie;
};

/* ---- Checked wrappers ---- */

static inline void *vspace_new_pages(vspace_t *vspace, seL4_CapRights_t rights, size_t num_pages,
                                     size_t size_bits)
{
    if (vspace == NULL) {
        ZF_LOGE("vspace is NULL");
        return NULL;
    }
    if (vspace->new_pages == NULL) {
        ZF_LOGE("this vspace does not implement new_pages");
        return NULL;
    }
    if (num_pages == 0) {
        ZF_LOGE("asked for 0 pages");
        return NULL;
    }
    if (!sel4_valid_size_bits(size_bits)) {
        ZF_LOGE("no page of size_bits %zu on this architecture", size_bits);
        return NULL;
    }
    return vspace->new_pages(vspace, rights, num_pages, size_bits);
}

static inline void *vspace_map_pages(vspace_t *vspace, seL4_CPtr caps[], uintptr_t cookies[],
                                     seL4_CapRights_t rights, size_t num_pages, size_t size_bits,
                                     int cacheable)
{
    if (vspace == NULL) {
        ZF_LOGE("vspace is NULL");
        return NULL;
    }
    if (vspace->map_pages == NULL) {
        ZF_LOGE("this vspace does not implement map_pages");
        return NULL;
    }
    if (num_pages == 0) {
        ZF_LOGE("asked to map 0 pages");
        return NULL;
    }
    if (caps == NULL) {
        ZF_LOGE("caps is NULL");
        return NULL;
    }
    if (!sel4_valid_size_bits(size_bits)) {
        ZF_LOGE("no page of size_bits %zu on this architecture", size_bits);
        return NULL;
    }
    return vspace->map_pages(vspace, caps, cookies, rights, num_pages, size_bits, cacheable);
}

static inline int vspace_new_pages_at_vaddr_with_config(vspace_t *vspace,
                                                        vspace_new_pages_config_t *config,
                                                        reservation_t res)
{
    if (vspace == NULL) {
        ZF_LOGE("vspace is NULL");
        return -1;
    }
    if (config == NULL) {
        ZF_LOGE("config is NULL");
        return -1;
    }
    if (vspace->new_pages_at_vaddr == NULL) {
        ZF_LOGE("this vspace does not implement new_pages_at_vaddr");
        return -1;
    }
    if (res.res == NULL) {
        ZF_LOGE("a reservation is required");
        return -1;
    }
    return vspace->new_pages_at_vaddr(vspace, config->vaddr, config->num_pages,
                                      config->size_bits, res, config->can_use_dev);
}

static inline int vspace_new_pages_at_vaddr(vspace_t *vspace, void *vaddr, size_t num_pages,
                                            size_t size_bits, reservation_t reservation)
{
    vspace_new_pages_config_t config;
    if (vspace == NULL) {
        ZF_LOGE("vspace is NULL");
        return -1;
    }
    if (default_vspace_new_pages_config(num_pages, size_bits, &config) != 0) {
        ZF_LOGE("bad page count");
        return -1;
    }
    vspace_new_pages_config_set_vaddr(vaddr, &config);
    return vspace_new_pages_at_vaddr_with_config(vspace, &config, reservation);
}

static inline int vspace_map_pages_at_vaddr(vspace_t *vspace, seL4_CPtr caps[], uintptr_t cookies[],
                                            void *vaddr, size_t num_pages, size_t size_bits,
                                            reservation_t reservation)
{
    if (vspace == NULL) {
        ZF_LOGE("vspace is NULL");
        return -1;
    }
    if (num_pages == 0) {
        ZF_LOGW("asked to map 0 pages");
        return -1;
    }
    if (caps == NULL) {
        ZF_LOGE("caps is NULL");
        return -1;
    }
    if (vaddr == NULL) {
        ZF_LOGW("mapping at NULL");
    }
    if (vspace->map_pages_at_vaddr == NULL) {
        ZF_LOGE("this vspace does not implement map_pages_at_vaddr");
        return -1;
    }
    return vspace->map_pages_at_vaddr(vspace, caps, cookies, vaddr, num_pages, size_bits,
                                      reservation);
}

static inline int vspace_deferred_rights_map_pages_at_vaddr(vspace_t *vspace, seL4_CPtr caps[],
                                                            uintptr_t cookies[], void *vaddr,
                                                            size_t num_pages, size_t size_bits,
                                                            seL4_CapRights_t rights,
                                                            reservation_t reservation)
{
    if (vspace == NULL) {
        ZF_LOGE("vspace is NULL");
        return -1;
    }
    if (num_pages == 0) {
        ZF_LOGW("asked to map 0 pages");
        return -1;
    }
    if (caps == NULL) {
        ZF_LOGE("caps is NULL");
        return -1;
    }
    if (vaddr == NULL) {
        ZF_LOGW("mapping at NULL");
    }
    if (vspace->deferred_rights_map_pages_at_vaddr == NULL) {
        ZF_LOGE("this vspace does not implement deferred_rights_map_pages_at_vaddr");
        return -1;
    }
    return vspace->deferred_rights_map_pages_at_vaddr(vspace, caps, cookies, vaddr, num_pages,
                                                      size_bits, rights, reservation);
}

static inline void vspace_unmap_pages(vspace_t *vspace, void *vaddr, size_t num_pages,
                                      size_t size_bits, vka_t *vka)
{
    if (vspace == NULL) {
        ZF_LOGE("vspace is NULL");
        return;
    }
    if (num_pages == 0) {
        ZF_LOGW("asked to unmap 0 pages");
        return;
    }
    if (vaddr == NULL) {
        ZF_LOGW("unmapping NULL");
    }
    if (vspace->unmap_pages == NULL) {
        ZF_LOGE("this vspace does not implement unmap_pages");
        return;
    }
    vspace->unmap_pages(vspace, vaddr, num_pages, size_bits, vka);
}

static inline void vspace_tear_down(vspace_t *vspace, vka_t *vka)
{
    if (vspace == NULL) {
        ZF_LOGE("vspace is NULL");
        return;
    }
    if (vspace->tear_down == NULL) {
        ZF_LOGE("this vspace does not implement tear_down");
        return;
    }
    vspace->tear_down(vspace, vka);
}

static inline reservation_t vspace_reserve_range_aligned(vspace_t *vspace, size_t bytes,
                                                         size_t size_bits, seL4_CapRights_t rights,
                                                         int cacheable, void **vaddr)
{
    reservation_t none = { .res = NULL };
    if (vspace == NULL) {
        ZF_LOGE("vspace is NULL");
        return none;
    }
    if (vspace->reserve_range_aligned == NULL) {
        ZF_LOGE("this vspace does not implement reserve_range_aligned");
        return none;
    }
    if (bytes == 0) {
        ZF_LOGE("asked to reserve 0 bytes");
        return none;
    }
    if (vaddr == NULL) {
        ZF_LOGE("nowhere to store the address (vaddr is NULL)");
        return none;
    }
    return vspace->reserve_range_aligned(vspace, bytes, size_bits, rights, cacheable, vaddr);
}

static inline reservation_t vspace_reserve_range_at(vspace_t *vspace, void *vaddr, size_t bytes,
                                                    seL4_CapRights_t rights, int cacheable)
{
    reservation_t none = { .res = NULL };
    if (vspace == NULL) {
        ZF_LOGE("vspace is NULL");
        return none;
    }
    if (vspace->reserve_range_at == NULL) {
        ZF_LOGE("this vspace does not implement reserve_range_at");
        return none;
    }
    if (bytes == 0) {
        ZF_LOGE("asked to reserve 0 bytes");
        return none;
    }
    return vspace->reserve_range_at(vspace, vaddr, bytes, rights, cacheable);
}

static inline reservation_t vspace_reserve_deferred_rights_range_at(vspace_t *vspace, void *vaddr,
                                                                    size_t bytes, int cacheable)
{
    reservation_t none = { .res = NULL };
    if (vspace == NULL) {
        ZF_LOGE("vspace is NULL");
        return none;
    }
    if (vspace->reserve_deferred_rights_range_at == NULL) {
        ZF_LOGE("this vspace does not implement reserve_deferred_rights_range_at");
        return none;
    }
    if (bytes == 0) {
        ZF_LOGE("asked to reserve 0 bytes");
        return none;
    }
    return vspace->reserve_deferred_rights_range_at(vspace, vaddr, bytes, cacheable);
}

static inline void vspace_free_reservation(vspace_t *vspace, reservation_t reservation)
{
    if (vspace == NULL) {
        ZF_LOGE("vspace is NULL");
        return;
    }
    if (vspace->free_reservation == NULL) {
        ZF_LOGE("this vspace does not implement free_reservation");
        return;
    }
    vspace->free_reservation(vspace, reservation);
}

static inline void vspace_free_reservation_by_vaddr(vspace_t *vspace, void *vaddr)
{
    if (vspace == NULL) {
        ZF_LOGE("vspace is NULL");
        return;
    }
    if (vspace->free_reservation_by_vaddr == NULL) {
        ZF_LOGE("this vspace does not implement free_reservation_by_vaddr");
        return;
    }
    vspace->free_reservation_by_vaddr(vspace, vaddr);
}

static inline seL4_CPtr vspace_get_cap(vspace_t *vspace, void *vaddr)
{
    if (vspace == NULL) {
        ZF_LOGE("vspace is NULL");
        return seL4_CapNull;
    }
    if (vaddr == NULL) {
        ZF_LOGW("looking up the cap at NULL");
    }
    if (vspace->get_cap == NULL) {
        ZF_LOGE("this vspace does not implement get_cap");
        return seL4_CapNull;
    }
    return vspace->get_cap(vspace, vaddr);
}

static inline uintptr_t vspace_get_cookie(vspace_t *vspace, void *vaddr)
{
    if (vspace == NULL) {
        ZF_LOGE("vspace is NULL");
        return 0;
    }
    if (vaddr == NULL) {
        ZF_LOGW("looking up the cookie at NULL");
    }
    if (vspace->get_cookie == NULL) {
        ZF_LOGE("this vspace does not implement get_cookie");
        return 0;
    }
    return vspace->get_cookie(vspace, vaddr);
}

/* For implementations: report an allocated object to the owner's callback, if any. */
static inline void vspace_maybe_call_allocated_object(vspace_t *vspace, vka_object_t object)
{
    if (vspace == NULL) {
        ZF_LOGE("vspace is NULL");
        return;
    }
    if (vspace->allocated_object != NULL) {
        vspace->allocated_object(vspace->allocated_object_cookie, object);
    }
}

static inline seL4_CPtr vspace_get_root(vspace_t *vspace)
{
    if (vspace == NULL) {
        ZF_LOGE("vspace is NULL");
        return seL4_CapNull;
    }
    if (vspace->get_root == NULL) {
        ZF_LOGE("this vspace does not implement get_root");
        return seL4_CapNull;
    }
    return vspace->get_root(vspace);
}

static inline int vspace_share_mem_at_vaddr(vspace_t *from, vspace_t *to, void *start,
                                            int num_pages, size_t size_bits, void *vaddr,
                                            reservation_t res)
{
    if (num_pages <= 0) {
        ZF_LOGE("asked to share %d pages", num_pages);
        return -1;
    }
    if (from == NULL || to == NULL) {
        ZF_LOGE("%s vspace is NULL", from == NULL ? "from" : "to");
        return -1;
    }
    if (start == NULL || vaddr == NULL) {
        ZF_LOGE("cannot share memory at NULL");
        return -1;
    }
    if (from->share_mem_at_vaddr == NULL) {
        ZF_LOGE("this vspace does not implement share_mem_at_vaddr");
        return -1;
    }
    return from->share_mem_at_vaddr(from, to, start, num_pages, size_bits, vaddr, res);
}
