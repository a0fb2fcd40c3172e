/* sel4utils' vspace manager (see <sel4utils/vspace.h>).
 *
 * Bookkeeping, all in malloc'd memory of the managing program:
 *  - reservations: a list of [start, end) ranges sorted by start;
 *  - mapped pages: a radix tree shaped like the x86_64 page tables (4 levels of 512 slots,
 *    level 3 indexed by address bits 47..39, level 0 by bits 20..12). A slot holds nothing,
 *    a child node, or (tagged with bit 0) the record of a page exactly as big as the slot:
 *    4 KiB pages at level 0, 2 MiB at level 1, 1 GiB at level 2;
 *  - the paging structures this vspace created itself (unless they were handed to the
 *    allocated_object callback), freed at tear down.
 * An address is free when no reservation and no mapped page covers it. */
#include <stdlib.h>
#include <string.h>
#include <sel4/sel4.h>
#include <utils/util.h>
#include <vka/vka.h>
#include <vka/object.h>
#include <vka/capops.h>
#include <vka/kobject_t.h>
#include <vspace/vspace.h>
#include <sel4utils/vspace.h>
#include <sel4utils/mapping.h>
#include "vspace_internal.h"

#define VS_TOP_LEVEL 3
#define VS_FANOUT 512
#define VS_SHIFT(level) (seL4_PageBits + 9 * (level))
#define VS_INDEX(va, level) (((va) >> VS_SHIFT(level)) & (VS_FANOUT - 1))
#define VS_SLOT_IS_PAGE(s) ((s) & 1ul)
#define VS_SLOT_PAGE(s) ((vs_page_t *)((s) & ~1ul))
#define VS_SLOT_NODE(s) ((vs_node_t *)(s))
/* Largest range anything may cover: the user half of the address space. */
#define VS_MAX_BYTES (1ul << 47)

#define ALIGN_UP_POW2(x, a) (((x) + (a) - 1) & ~((a) - 1))

typedef struct vs_page {
    seL4_CPtr cap;
    uintptr_t cookie;
    size_t size_bits;
} vs_page_t;

typedef struct vs_node {
    uintptr_t slot[VS_FANOUT];
    unsigned used;
} vs_node_t;

/* ---------------------------------------------------------------- page tree */

static int level_for_size(size_t size_bits)
{
    switch (size_bits) {
    case seL4_PageBits:
        return 0;
    case seL4_LargePageBits:
        return 1;
#ifdef CONFIG_HUGE_PAGE
    case seL4_HugePageBits:
        return 2;
#endif
    default:
        return -1;
    }
}

/* The page whose range holds va (its start in *base), or NULL. */
static vs_page_t *tree_lookup(vs_node_t *node, uintptr_t va, uintptr_t *base)
{
    if (va >= VS_MAX_BYTES) {
        return NULL; /* not a user address (would alias one in the tree) */
    }
    for (int level = VS_TOP_LEVEL; node != NULL && level >= 0; level--) {
        uintptr_t s = node->slot[VS_INDEX(va, level)];
        if (s == 0) {
            return NULL;
        }
        if (VS_SLOT_IS_PAGE(s)) {
            if (base != NULL) {
                *base = va & ~((1ul << VS_SHIFT(level)) - 1);
            }
            return VS_SLOT_PAGE(s);
        }
        node = VS_SLOT_NODE(s);
    }
    return NULL;
}

/* Record page at va at `level`; -1 if out of memory (or the slot is taken). */
static int tree_insert(sel4utils_alloc_data_t *data, uintptr_t va, int level, vs_page_t *page)
{
    if (data->top_level == NULL) {
        data->top_level = calloc(1, sizeof(vs_node_t));
        if (data->top_level == NULL) {
            return -1;
        }
    }
    vs_node_t *node = data->top_level;
    for (int l = VS_TOP_LEVEL; l > level; l--) {
        uintptr_t *s = &node->slot[VS_INDEX(va, l)];
        if (*s == 0) {
            vs_node_t *child = calloc(1, sizeof(vs_node_t));
            if (child == NULL) {
                return -1;
            }
            *s = (uintptr_t)child;
            node->used++;
        } else if (VS_SLOT_IS_PAGE(*s)) {
            return -1;
        }
        node = VS_SLOT_NODE(*s);
    }
    uintptr_t *s = &node->slot[VS_INDEX(va, level)];
    if (*s != 0) {
        return -1;
    }
    *s = (uintptr_t)page | 1ul;
    node->used++;
    return 0;
}

/* Take the page recorded at va at `level` out of the tree, freeing nodes left empty. */
static vs_page_t *node_remove(vs_node_t *node, int l, uintptr_t va, int level)
{
    uintptr_t *s = &node->slot[VS_INDEX(va, l)];
    if (*s == 0) {
        return NULL;
    }
    if (l == level) {
        if (!VS_SLOT_IS_PAGE(*s)) {
            return NULL;
        }
        vs_page_t *page = VS_SLOT_PAGE(*s);
        *s = 0;
        node->used--;
        return page;
    }
    if (VS_SLOT_IS_PAGE(*s)) {
        return NULL;
    }
    vs_node_t *child = VS_SLOT_NODE(*s);
    vs_page_t *page = node_remove(child, l - 1, va, level);
    if (page != NULL && child->used == 0) {
        free(child);
        *s = 0;
        node->used--;
    }
    return page;
}

static vs_page_t *tree_remove(sel4utils_alloc_data_t *data, uintptr_t va, int level)
{
    if (data->top_level == NULL) {
        return NULL;
    }
    vs_page_t *page = node_remove(data->top_level, VS_TOP_LEVEL, va, level);
    if (page != NULL && ((vs_node_t *)data->top_level)->used == 0) {
        free(data->top_level);
        data->top_level = NULL;
    }
    return page;
}

/* The lowest page overlapping [a, b) under node (which starts at base): true, with its
 * range in [*ps, *pe). */
static bool node_first(vs_node_t *node, int level, uintptr_t base, uintptr_t a, uintptr_t b,
                       uintptr_t *ps, uintptr_t *pe)
{
    unsigned shift = VS_SHIFT(level);
    uintptr_t lo = a > base ? (a - base) >> shift : 0;
    uintptr_t hi = (b - 1 - base) >> shift;
    if (hi >= VS_FANOUT) {
        hi = VS_FANOUT - 1;
    }
    for (uintptr_t i = lo; i <= hi; i++) {
        uintptr_t s = node->slot[i];
        if (s == 0) {
            continue;
        }
        uintptr_t start = base + (i << shift);
        if (VS_SLOT_IS_PAGE(s)) {
            *ps = start;
            *pe = start + (1ul << shift);
            return true;
        }
        if (node_first(VS_SLOT_NODE(s), level - 1, start, a, b, ps, pe)) {
            return true;
        }
    }
    return false;
}

static bool mapped_in(sel4utils_alloc_data_t *data, uintptr_t a, uintptr_t b, uintptr_t *ps,
                      uintptr_t *pe)
{
    if (data->top_level == NULL || a >= b) {
        return false;
    }
    return node_first(data->top_level, VS_TOP_LEVEL, 0, a, b, ps, pe);
}

typedef void (*page_visit_fn)(sel4utils_alloc_data_t *data, uintptr_t va, vs_page_t *page, void *ctx);

/* Visit every page, in address order. */
static void node_walk(sel4utils_alloc_data_t *data, vs_node_t *node, int level, uintptr_t base,
                      page_visit_fn visit, void *ctx)
{
    for (uintptr_t i = 0; i < VS_FANOUT; i++) {
        uintptr_t s = node->slot[i];
        uintptr_t start = base + (i << VS_SHIFT(level));
        if (s == 0) {
            continue;
        }
        if (VS_SLOT_IS_PAGE(s)) {
            visit(data, start, VS_SLOT_PAGE(s), ctx);
        } else {
            node_walk(data, VS_SLOT_NODE(s), level - 1, start, visit, ctx);
        }
    }
}

/* Free every node (not the page records). */
static void node_free(vs_node_t *node, int level)
{
    for (uintptr_t i = 0; level > 0 && i < VS_FANOUT; i++) {
        uintptr_t s = node->slot[i];
        if (s != 0 && !VS_SLOT_IS_PAGE(s)) {
            node_free(VS_SLOT_NODE(s), level - 1);
        }
    }
    free(node);
}

/* ---------------------------------------------------------------- reservations */

static sel4utils_res_t *res_overlapping(sel4utils_alloc_data_t *data, uintptr_t a, uintptr_t b)
{
    for (sel4utils_res_t *r = data->reservation_head; r != NULL && r->start < b; r = r->next) {
        if (r->end > a) {
            return r;
        }
    }
    return NULL;
}

static sel4utils_res_t *res_containing(sel4utils_alloc_data_t *data, uintptr_t va)
{
    return res_overlapping(data, va, va + 1);
}

static bool res_listed(sel4utils_alloc_data_t *data, sel4utils_res_t *res)
{
    for (sel4utils_res_t *r = data->reservation_head; r != NULL; r = r->next) {
        if (r == res) {
            return true;
        }
    }
    return false;
}

static void res_insert(sel4utils_alloc_data_t *data, sel4utils_res_t *res)
{
    sel4utils_res_t **link = &data->reservation_head;
    while (*link != NULL && (*link)->start < res->start) {
        link = &(*link)->next;
    }
    res->next = *link;
    *link = res;
}

static void res_unlink(sel4utils_alloc_data_t *data, sel4utils_res_t *res)
{
    for (sel4utils_res_t **link = &data->reservation_head; *link != NULL; link = &(*link)->next) {
        if (*link == res) {
            *link = res->next;
            res->next = NULL;
            return;
        }
    }
}

/* The reservation behind a handle, if it is one of this vspace's. */
static sel4utils_res_t *res_check(sel4utils_alloc_data_t *data, reservation_t reservation)
{
    sel4utils_res_t *res = reservation_to_res(reservation);
    if (res == NULL) {
        ZF_LOGE("no reservation (res is NULL)");
        return NULL;
    }
    if (!res_listed(data, res)) {
        ZF_LOGE("reservation %p is not a live reservation of this vspace", (void *)res);
        return NULL;
    }
    return res;
}

/* A free range of len bytes aligned to 2^align_bits, searched from where the last search
 * ended, then from the bottom; 0 if there is none. */
static uintptr_t find_free(sel4utils_alloc_data_t *data, uintptr_t len, size_t align_bits)
{
    const uintptr_t lo = SEL4UTILS_VSPACE_ALLOC_START, hi = KERNEL_RESERVED_START;
    const uintptr_t align = 1ul << align_bits;
    if (len == 0 || len > hi - lo) {
        return 0;
    }
    uintptr_t from = MAX(data->last_allocated, lo);
    for (int pass = 0; pass < 2; pass++, from = lo) {
        uintptr_t cand = ALIGN_UP_POW2(from, align);
        while (cand >= lo && cand <= hi - len) {
            uintptr_t next = 0, ps, pe;
            sel4utils_res_t *r = res_overlapping(data, cand, cand + len);
            if (r != NULL) {
                next = r->end;
            }
            if (mapped_in(data, cand, cand + len, &ps, &pe)) {
                next = MAX(next, pe);
            }
            if (next == 0) {
                data->last_allocated = cand + len;
                return cand;
            }
            cand = ALIGN_UP_POW2(next, align);
        }
    }
    return 0;
}

/* ---------------------------------------------------------------- pages */

sel4utils_alloc_data_t *sel4utils_vspace_data(vspace_t *vspace)
{
    if (vspace == NULL) {
        ZF_LOGE("vspace is NULL");
        return NULL;
    }
    sel4utils_alloc_data_t *data = vspace->data;
    if (data == NULL) {
        ZF_LOGE("vspace %p is not initialised", (void *)vspace);
        return NULL;
    }
    if (data->torn_down) {
        ZF_LOGE("vspace %p has been torn down", (void *)vspace);
        return NULL;
    }
    return data;
}

/* Return a frame cap's slot and, if its cookie is known, its memory to vka. */
static void release_frame(vka_t *vka, seL4_CPtr cap, uintptr_t cookie, size_t size_bits)
{
    cspacepath_t path;
    vka_cspace_make_path(vka, cap, &path);
    int err = vka_cnode_delete(&path);
    if (err != seL4_NoError) {
        ZF_LOGE("deleting frame cap %lu failed with seL4 error %d", (unsigned long)cap, err);
        return;
    }
    vka_cspace_free(vka, cap);
    if (cookie != 0) {
        vka_utspace_free(vka, kobject_get_type(KOBJECT_FRAME, size_bits), size_bits, cookie);
    }
}

/* Map one page and record it; -1 (nothing changed) on failure. */
static int map_one(vspace_t *vspace, sel4utils_alloc_data_t *data, seL4_CPtr cap, uintptr_t va,
                   size_t size_bits, seL4_CapRights_t rights, int cacheable, uintptr_t cookie)
{
    vs_page_t *page = malloc(sizeof(*page));
    if (page == NULL) {
        ZF_LOGE("out of memory for vspace bookkeeping");
        return -1;
    }
    page->cap = cap;
    page->cookie = cookie;
    page->size_bits = size_bits;
    int level = level_for_size(size_bits);
    if (tree_insert(data, va, level, page) != 0) {
        ZF_LOGE("out of memory for vspace bookkeeping");
        free(page);
        return -1;
    }
    if (data->map_page(vspace, cap, (void *)va, rights, cacheable, size_bits) != 0) {
        ZF_LOGE("mapping frame cap %lu at %p failed", (unsigned long)cap, (void *)va);
        tree_remove(data, va, level);
        free(page);
        return -1;
    }
    data->mapped_pages++;
    return 0;
}

/* Unmap the page recorded at va and forget it; with free_vka, release its cap (and frame). */
static void forget_page(sel4utils_alloc_data_t *data, uintptr_t va, vs_page_t *page, vka_t *free_vka)
{
    seL4_Error err = seL4_X86_Page_Unmap(page->cap);
    if (err != seL4_NoError) {
        ZF_LOGE("unmapping frame cap %lu at %p failed with seL4 error %d", (unsigned long)page->cap,
                (void *)va, (int)err);
    }
    if (free_vka != NULL) {
        release_frame(free_vka, page->cap, page->cookie, page->size_bits);
    }
    data->mapped_pages--;
    free(page);
}

static void unmap_one(sel4utils_alloc_data_t *data, uintptr_t va, size_t size_bits, vka_t *free_vka)
{
    vs_page_t *page = tree_remove(data, va, level_for_size(size_bits));
    if (page != NULL) {
        forget_page(data, va, page, free_vka);
    }
}

/* Checks for creating/mapping num_pages pages at va inside res. */
static int check_target(sel4utils_alloc_data_t *data, sel4utils_res_t *res, uintptr_t va,
                        size_t num_pages, size_t size_bits)
{
    if (!sel4_valid_size_bits(size_bits)) {
        ZF_LOGE("no page of size_bits %zu on x86_64", size_bits);
        return -1;
    }
    if (num_pages == 0 || num_pages > (VS_MAX_BYTES >> size_bits)) {
        ZF_LOGE("bad page count %zu", num_pages);
        return -1;
    }
    if (va & ((1ul << size_bits) - 1)) {
        ZF_LOGE("%p is not aligned to the page size 2^%zu", (void *)va, size_bits);
        return -1;
    }
    uintptr_t end = va + (num_pages << size_bits);
    if (va < res->start || end > res->end || end < va) {
        ZF_LOGE("[%p, %p) is not inside the reservation [%p, %p)", (void *)va, (void *)end,
                (void *)res->start, (void *)res->end);
        return -1;
    }
    uintptr_t ps, pe;
    if (mapped_in(data, va, end, &ps, &pe)) {
        ZF_LOGE("%p is already mapped (page at %p)", (void *)MAX(va, ps), (void *)ps);
        return -1;
    }
    return 0;
}

/* Allocate and map num_pages frames from va on; all or nothing. -1 if the vka ran out,
 * VS_MAP_FAILED if a mapping was refused. */
#define VS_MAP_FAILED (-2)
static int create_pages(vspace_t *vspace, sel4utils_alloc_data_t *data, uintptr_t va,
                        size_t num_pages, size_t size_bits, seL4_CapRights_t rights, int cacheable,
                        bool can_use_dev)
{
    for (size_t i = 0; i < num_pages; i++) {
        uintptr_t v = va + (i << size_bits);
        vka_object_t frame;
        int err = vka_alloc_frame_maybe_device(data->vka, size_bits, can_use_dev, &frame) ? -1 : 0;
        if (err == 0 && map_one(vspace, data, frame.cptr, v, size_bits, rights, cacheable, frame.ut) != 0) {
            vka_free_object(data->vka, &frame);
            err = VS_MAP_FAILED;
        }
        if (err != 0) {
            ZF_LOGE("could not create page %zu of %zu (size_bits %zu) at %p", i + 1, num_pages,
                    size_bits, (void *)v);
            for (size_t j = 0; j < i; j++) {
                unmap_one(data, va + (j << size_bits), size_bits, data->vka);
            }
            return err;
        }
    }
    return 0;
}

/* Map the caller's caps from va on; all or nothing (the caps stay the caller's on failure). */
static int map_caps(vspace_t *vspace, sel4utils_alloc_data_t *data, seL4_CPtr caps[], uintptr_t cookies[],
                    uintptr_t va, size_t num_pages, size_t size_bits, seL4_CapRights_t rights, int cacheable)
{
    for (size_t i = 0; i < num_pages; i++) {
        uintptr_t v = va + (i << size_bits);
        if (caps[i] == seL4_CapNull ||
            map_one(vspace, data, caps[i], v, size_bits, rights, cacheable, cookies ? cookies[i] : 0) != 0) {
            ZF_LOGE("could not map cap %zu of %zu (cptr %lu) at %p", i + 1, num_pages,
                    (unsigned long)caps[i], (void *)v);
            for (size_t j = 0; j < i; j++) {
                unmap_one(data, va + (j << size_bits), size_bits, VSPACE_PRESERVE);
            }
            return VS_MAP_FAILED;
        }
    }
    return 0;
}

/* ---------------------------------------------------------------- the vspace_t functions */

int sel4utils_reserve_range_no_alloc_aligned(vspace_t *vspace, sel4utils_res_t *reservation,
                                             size_t size, size_t size_bits, seL4_CapRights_t rights,
                                             int cacheable, void **result)
{
    sel4utils_alloc_data_t *data = sel4utils_vspace_data(vspace);
    if (data == NULL) {
        return -1;
    }
    if (reservation == NULL || result == NULL) {
        ZF_LOGE("%s is NULL", reservation == NULL ? "reservation" : "result");
        return -1;
    }
    if (res_listed(data, reservation)) {
        ZF_LOGE("reservation %p is in use already", (void *)reservation);
        return -1;
    }
    if (!sel4_valid_size_bits(size_bits)) {
        ZF_LOGE("cannot align to size_bits %zu (not a page size)", size_bits);
        return -1;
    }
    if (size == 0 || size > VS_MAX_BYTES) {
        ZF_LOGE("cannot reserve %zu bytes", size);
        return -1;
    }
    uintptr_t len = ALIGN_UP_POW2((uintptr_t)size, 1ul << size_bits);
    uintptr_t va = find_free(data, len, size_bits);
    if (va == 0) {
        ZF_LOGE("out of virtual memory: no free range of %zu bytes aligned to 2^%zu", (size_t)len,
                size_bits);
        return -1;
    }
    reservation->start = va;
    reservation->end = va + len;
    reservation->rights = rights;
    reservation->cacheable = cacheable;
    reservation->malloced = 0;
    reservation->rights_deferred = false;
    res_insert(data, reservation);
    *result = (void *)va;
    return 0;
}

int sel4utils_reserve_range_no_alloc(vspace_t *vspace, sel4utils_res_t *reservation, size_t size,
                                     seL4_CapRights_t rights, int cacheable, void **result)
{
    return sel4utils_reserve_range_no_alloc_aligned(vspace, reservation, size, seL4_PageBits, rights,
                                                    cacheable, result);
}

int sel4utils_reserve_range_at_no_alloc(vspace_t *vspace, sel4utils_res_t *reservation, void *vaddr,
                                        size_t size, seL4_CapRights_t rights, int cacheable)
{
    sel4utils_alloc_data_t *data = sel4utils_vspace_data(vspace);
    if (data == NULL) {
        return -1;
    }
    if (reservation == NULL) {
        ZF_LOGE("reservation is NULL");
        return -1;
    }
    if (res_listed(data, reservation)) {
        ZF_LOGE("reservation %p is in use already", (void *)reservation);
        return -1;
    }
    uintptr_t va = (uintptr_t)vaddr;
    if (size == 0 || size > VS_MAX_BYTES || va > KERNEL_RESERVED_START) {
        ZF_LOGE("cannot reserve %zu bytes at %p", size, vaddr);
        return -1;
    }
    uintptr_t start = va & ~(PAGE_SIZE_4K - 1);
    uintptr_t end = ALIGN_UP_POW2(va + size, PAGE_SIZE_4K);
    if (start < PAGE_SIZE_4K) {
        ZF_LOGE("cannot reserve at %p: page 0 is never mapped", vaddr);
        return -1;
    }
    if (end > KERNEL_RESERVED_START) {
        ZF_LOGE("[%p, %p) reaches above the user address space (%p)", (void *)start, (void *)end,
                (void *)KERNEL_RESERVED_START);
        return -1;
    }
    sel4utils_res_t *r = res_overlapping(data, start, end);
    if (r != NULL) {
        ZF_LOGE("[%p, %p) overlaps the reservation [%p, %p)", (void *)start, (void *)end,
                (void *)r->start, (void *)r->end);
        return -1;
    }
    uintptr_t ps, pe;
    if (mapped_in(data, start, end, &ps, &pe)) {
        ZF_LOGE("[%p, %p) overlaps the page mapped at %p", (void *)start, (void *)end, (void *)ps);
        return -1;
    }
    reservation->start = start;
    reservation->end = end;
    reservation->rights = rights;
    reservation->cacheable = cacheable;
    reservation->malloced = 0;
    reservation->rights_deferred = false;
    res_insert(data, reservation);
    return 0;
}

reservation_t sel4utils_reserve_range_aligned(vspace_t *vspace, size_t bytes, size_t size_bits,
                                              seL4_CapRights_t rights, int cacheable, void **vaddr)
{
    reservation_t reservation = { .res = NULL };
    sel4utils_res_t *res = malloc(sizeof(*res));
    if (res == NULL) {
        ZF_LOGE("out of memory for a reservation");
        return reservation;
    }
    if (sel4utils_reserve_range_no_alloc_aligned(vspace, res, bytes, size_bits, rights, cacheable,
                                                 vaddr) != 0) {
        free(res);
        return reservation;
    }
    res->malloced = 1;
    reservation.res = res;
    return reservation;
}

reservation_t sel4utils_reserve_range_at(vspace_t *vspace, void *vaddr, size_t bytes,
                                         seL4_CapRights_t rights, int cacheable)
{
    reservation_t reservation = { .res = NULL };
    sel4utils_res_t *res = malloc(sizeof(*res));
    if (res == NULL) {
        ZF_LOGE("out of memory for a reservation");
        return reservation;
    }
    if (sel4utils_reserve_range_at_no_alloc(vspace, res, vaddr, bytes, rights, cacheable) != 0) {
        free(res);
        return reservation;
    }
    res->malloced = 1;
    reservation.res = res;
    return reservation;
}

reservation_t sel4utils_reserve_deferred_rights_range_at(vspace_t *vspace, void *vaddr, size_t bytes,
                                                         int cacheable)
{
    reservation_t reservation = sel4utils_reserve_range_at(vspace, vaddr, bytes, seL4_NoRights, cacheable);
    if (reservation.res != NULL) {
        reservation_to_res(reservation)->rights_deferred = true;
    }
    return reservation;
}

static void drop_reservation(sel4utils_alloc_data_t *data, sel4utils_res_t *res)
{
    res_unlink(data, res);
    if (res->malloced) {
        free(res);
    }
}

void sel4utils_free_reservation(vspace_t *vspace, reservation_t reservation)
{
    sel4utils_alloc_data_t *data = sel4utils_vspace_data(vspace);
    if (data == NULL) {
        return;
    }
    sel4utils_res_t *res = res_check(data, reservation);
    if (res != NULL) {
        drop_reservation(data, res);
    }
}

void sel4utils_free_reservation_by_vaddr(vspace_t *vspace, void *vaddr)
{
    sel4utils_alloc_data_t *data = sel4utils_vspace_data(vspace);
    if (data == NULL) {
        return;
    }
    sel4utils_res_t *res = res_containing(data, (uintptr_t)vaddr);
    if (res == NULL) {
        ZF_LOGE("no reservation contains %p", vaddr);
        return;
    }
    drop_reservation(data, res);
}

int sel4utils_move_resize_reservation(vspace_t *vspace, reservation_t reservation, void *vaddr,
                                      size_t bytes)
{
    sel4utils_alloc_data_t *data = sel4utils_vspace_data(vspace);
    if (data == NULL) {
        return -1;
    }
    sel4utils_res_t *res = res_check(data, reservation);
    if (res == NULL) {
        return -1;
    }
    uintptr_t va = (uintptr_t)vaddr;
    if (bytes == 0 || bytes > VS_MAX_BYTES || va > KERNEL_RESERVED_START) {
        ZF_LOGE("cannot move a reservation to %zu bytes at %p", bytes, vaddr);
        return -1;
    }
    uintptr_t start = va & ~(PAGE_SIZE_4K - 1), end = ALIGN_UP_POW2(va + bytes, PAGE_SIZE_4K);
    if (start < PAGE_SIZE_4K || end > KERNEL_RESERVED_START) {
        ZF_LOGE("[%p, %p) is outside the usable address space", (void *)start, (void *)end);
        return -1;
    }
    /* Only other reservations, and pages outside the old range, are in the way. */
    res_unlink(data, res);
    uintptr_t ps, pe;
    bool ok = res_overlapping(data, start, end) == NULL &&
              !mapped_in(data, start, MIN(end, res->start), &ps, &pe) &&
              !mapped_in(data, MAX(start, res->end), end, &ps, &pe);
    if (ok) {
        res->start = start;
        res->end = end;
    } else {
        ZF_LOGE("[%p, %p) overlaps another reservation or mapping", (void *)start, (void *)end);
    }
    res_insert(data, res);
    return ok ? 0 : -1;
}

int sel4utils_new_pages_at_vaddr(vspace_t *vspace, void *vaddr, size_t num_pages, size_t size_bits,
                                 reservation_t reservation, bool can_use_dev)
{
    sel4utils_alloc_data_t *data = sel4utils_vspace_data(vspace);
    if (data == NULL) {
        return -1;
    }
    sel4utils_res_t *res = res_check(data, reservation);
    if (res == NULL || check_target(data, res, (uintptr_t)vaddr, num_pages, size_bits) != 0) {
        return -1;
    }
    if (res->rights_deferred) {
        ZF_LOGE("the reservation has deferred rights: map with explicit rights instead");
        return -1;
    }
    return create_pages(vspace, data, (uintptr_t)vaddr, num_pages, size_bits, res->rights,
                        res->cacheable, can_use_dev) == 0 ? 0 : -1;
}

/* Map caller-given caps into a reservation: with the reservation's own rights, or (deferred
 * reservations only) with rights given now. */
static int map_given_pages(vspace_t *vspace, seL4_CPtr caps[], uintptr_t cookies[], void *vaddr, size_t num_pages,
                           size_t size_bits, reservation_t reservation, bool deferred, seL4_CapRights_t rights)
{
    sel4utils_alloc_data_t *data = sel4utils_vspace_data(vspace);
    if (data == NULL) {
        return -1;
    }
    if (caps == NULL) {
        ZF_LOGE("caps is NULL");
        return -1;
    }
    sel4utils_res_t *res = res_check(data, reservation);
    if (res == NULL || check_target(data, res, (uintptr_t)vaddr, num_pages, size_bits) != 0) {
        return -1;
    }
    if (res->rights_deferred != deferred) {
        ZF_LOGE("%s", deferred ? "the reservation has its own rights: use map_pages_at_vaddr"
                               : "the reservation has deferred rights: use deferred_rights_map_pages_at_vaddr");
        return -1;
    }
    return map_caps(vspace, data, caps, cookies, (uintptr_t)vaddr, num_pages, size_bits,
                    deferred ? rights : res->rights, res->cacheable) == 0 ? 0 : -1;
}

int sel4utils_map_pages_at_vaddr(vspace_t *vspace, seL4_CPtr caps[], uintptr_t cookies[], void *vaddr,
                                 size_t num_pages, size_t size_bits, reservation_t reservation)
{
    return map_given_pages(vspace, caps, cookies, vaddr, num_pages, size_bits, reservation, false,
                           seL4_NoRights);
}

int sel4utils_deferred_rights_map_pages_at_vaddr(vspace_t *vspace, seL4_CPtr caps[], uintptr_t cookies[],
                                                 void *vaddr, size_t num_pages, size_t size_bits,
                                                 seL4_CapRights_t rights, reservation_t reservation)
{
    return map_given_pages(vspace, caps, cookies, vaddr, num_pages, size_bits, reservation, true, rights);
}

/* Large pages anywhere: a window can be refused by the kernel when a page table that this
 * vspace does not own (made by someone mapping on their own) covers it; such windows stay
 * reserved while a few others are tried. */
#define ANYWHERE_ATTEMPTS 4

static void *pages_anywhere(vspace_t *vspace, sel4utils_alloc_data_t *data, seL4_CPtr caps[],
                            uintptr_t cookies[], seL4_CapRights_t rights, size_t num_pages,
                            size_t size_bits, int cacheable)
{
    sel4utils_res_t res[ANYWHERE_ATTEMPTS];
    void *vaddr = NULL;
    int used = 0, err = VS_MAP_FAILED;
    while (err == VS_MAP_FAILED && used < ANYWHERE_ATTEMPTS && (used == 0 || size_bits > seL4_PageBits)) {
        if (sel4utils_reserve_range_no_alloc_aligned(vspace, &res[used], num_pages << size_bits, size_bits,
                                                     rights, cacheable, &vaddr) != 0) {
            break;
        }
        used++;
        if (caps == NULL) {
            err = create_pages(vspace, data, (uintptr_t)vaddr, num_pages, size_bits, rights, cacheable, false);
        } else {
            err = map_caps(vspace, data, caps, cookies, (uintptr_t)vaddr, num_pages, size_bits, rights, cacheable);
        }
    }
    for (int i = 0; i < used; i++) {
        res_unlink(data, &res[i]);
    }
    return err == 0 ? vaddr : NULL;
}

void *sel4utils_new_pages(vspace_t *vspace, seL4_CapRights_t rights, size_t num_pages, size_t size_bits)
{
    sel4utils_alloc_data_t *data = sel4utils_vspace_data(vspace);
    if (data == NULL) {
        return NULL;
    }
    if (!sel4_valid_size_bits(size_bits) || num_pages == 0 || num_pages > (VS_MAX_BYTES >> size_bits)) {
        ZF_LOGE("bad request: %zu pages of size_bits %zu", num_pages, size_bits);
        return NULL;
    }
    return pages_anywhere(vspace, data, NULL, NULL, rights, num_pages, size_bits, 1);
}

void *sel4utils_map_pages(vspace_t *vspace, seL4_CPtr caps[], uintptr_t cookies[], seL4_CapRights_t rights,
                          size_t num_pages, size_t size_bits, int cacheable)
{
    sel4utils_alloc_data_t *data = sel4utils_vspace_data(vspace);
    if (data == NULL) {
        return NULL;
    }
    if (caps == NULL || !sel4_valid_size_bits(size_bits) || num_pages == 0 ||
        num_pages > (VS_MAX_BYTES >> size_bits)) {
        ZF_LOGE("bad request: %zu caps of size_bits %zu", num_pages, size_bits);
        return NULL;
    }
    return pages_anywhere(vspace, data, caps, cookies, rights, num_pages, size_bits, cacheable);
}

void sel4utils_unmap_pages(vspace_t *vspace, void *vaddr, size_t num_pages, size_t size_bits, vka_t *vka)
{
    sel4utils_alloc_data_t *data = sel4utils_vspace_data(vspace);
    if (data == NULL) {
        return;
    }
    uintptr_t va = (uintptr_t)vaddr;
    if (!sel4_valid_size_bits(size_bits) || num_pages == 0 || num_pages > (VS_MAX_BYTES >> size_bits)) {
        ZF_LOGE("bad request: unmap %zu pages of size_bits %zu", num_pages, size_bits);
        return;
    }
    /* All pages must be mapped, exactly this size, or nothing is done. */
    for (size_t i = 0; i < num_pages; i++) {
        uintptr_t v = va + (i << size_bits), base = 0;
        vs_page_t *page = tree_lookup(data->top_level, v, &base);
        if (page == NULL || base != v || page->size_bits != size_bits) {
            ZF_LOGE("cannot unmap %zu pages of size_bits %zu at %p: %p is %s", num_pages, size_bits,
                    vaddr, (void *)v, page == NULL ? "not mapped" : "part of a page of another size");
            return;
        }
    }
    vka_t *free_vka = vka == VSPACE_FREE ? data->vka : vka;
    for (size_t i = 0; i < num_pages; i++) {
        unmap_one(data, va + (i << size_bits), size_bits, free_vka);
    }
}

struct teardown_ctx {
    vka_t *free_vka;
    int pass;
};

/* Pass 0 unmaps every page and deletes the caps whose frames the vspace does not own
 * (cookie 0: copies, caller's caps) while the frames they refer to still exist; pass 1
 * returns the frames the vspace owns and drops the records. */
static void teardown_page(sel4utils_alloc_data_t *data, uintptr_t va, vs_page_t *page, void *vctx)
{
    struct teardown_ctx *ctx = vctx;
    if (ctx->pass == 0) {
        seL4_Error err = seL4_X86_Page_Unmap(page->cap);
        if (err != seL4_NoError) {
            ZF_LOGE("unmapping frame cap %lu at %p failed with seL4 error %d", (unsigned long)page->cap,
                    (void *)va, (int)err);
        }
        if (page->cookie == 0 && ctx->free_vka != NULL) {
            release_frame(ctx->free_vka, page->cap, 0, page->size_bits);
        }
        return;
    }
    if (page->cookie != 0 && ctx->free_vka != NULL) {
        release_frame(ctx->free_vka, page->cap, page->cookie, page->size_bits);
    }
    data->mapped_pages--;
    free(page);
}

void sel4utils_tear_down(vspace_t *vspace, vka_t *vka)
{
    sel4utils_alloc_data_t *data = sel4utils_vspace_data(vspace);
    if (data == NULL) {
        return;
    }
    if (data->bootstrap == NULL) {
        ZF_LOGE("cannot tear down the vspace of the running program itself");
        return;
    }
    struct teardown_ctx ctx = { .free_vka = vka == VSPACE_FREE ? data->vka : vka };
    if (data->top_level != NULL) {
        for (ctx.pass = 0; ctx.pass < 2; ctx.pass++) {
            node_walk(data, data->top_level, VS_TOP_LEVEL, 0, teardown_page, &ctx);
        }
        node_free(data->top_level, VS_TOP_LEVEL);
        data->top_level = NULL;
    }
    while (data->reservation_head != NULL) {
        drop_reservation(data, data->reservation_head);
    }
    /* Newest first: a table is always freed before the one it is mapped into. */
    while (data->paging_objects != NULL) {
        sel4utils_paging_obj_t *o = data->paging_objects;
        data->paging_objects = o->next;
        vka_free_object(data->vka, &o->object);
        free(o);
    }
    data->torn_down = true;
}

seL4_CPtr sel4utils_get_cap(vspace_t *vspace, void *vaddr)
{
    sel4utils_alloc_data_t *data = sel4utils_vspace_data(vspace);
    if (data == NULL) {
        return seL4_CapNull;
    }
    vs_page_t *page = tree_lookup(data->top_level, (uintptr_t)vaddr, NULL);
    return page != NULL ? page->cap : seL4_CapNull;
}

uintptr_t sel4utils_get_cookie(vspace_t *vspace, void *vaddr)
{
    sel4utils_alloc_data_t *data = sel4utils_vspace_data(vspace);
    if (data == NULL) {
        return 0;
    }
    vs_page_t *page = tree_lookup(data->top_level, (uintptr_t)vaddr, NULL);
    return page != NULL ? page->cookie : 0;
}

seL4_CPtr sel4utils_get_root(vspace_t *vspace)
{
    sel4utils_alloc_data_t *data = sel4utils_vspace_data(vspace);
    return data != NULL ? data->vspace_root : seL4_CapNull;
}

uintptr_t sel4utils_get_paddr(vspace_t *vspace, void *vaddr, seL4_Word type, seL4_Word size_bits)
{
    (void)type;
    (void)size_bits;
    sel4utils_alloc_data_t *data = sel4utils_vspace_data(vspace);
    if (data == NULL) {
        return VKA_NO_PADDR;
    }
    uintptr_t base = 0;
    vs_page_t *page = tree_lookup(data->top_level, (uintptr_t)vaddr, &base);
    if (page == NULL) {
        ZF_LOGE("nothing is mapped at %p", vaddr);
        return VKA_NO_PADDR;
    }
    seL4_X86_Page_GetAddress_t r = seL4_X86_Page_GetAddress(page->cap);
    if (r.error != seL4_NoError) {
        ZF_LOGE("GetAddress of frame cap %lu failed with seL4 error %d", (unsigned long)page->cap, (int)r.error);
        return VKA_NO_PADDR;
    }
    return r.paddr + ((uintptr_t)vaddr - base);
}

int sel4utils_share_mem_at_vaddr(vspace_t *from, vspace_t *to, void *start, int num_pages, size_t size_bits,
                                 void *vaddr, reservation_t reservation)
{
    sel4utils_alloc_data_t *fdata = sel4utils_vspace_data(from);
    sel4utils_alloc_data_t *tdata = sel4utils_vspace_data(to);
    if (fdata == NULL || tdata == NULL) {
        return -1;
    }
    if (num_pages <= 0 || !sel4_valid_size_bits(size_bits)) {
        ZF_LOGE("bad request: share %d pages of size_bits %zu", num_pages, size_bits);
        return -1;
    }
    uintptr_t src = (uintptr_t)start, dst = (uintptr_t)vaddr;
    for (int i = 0; i < num_pages; i++) {
        uintptr_t v = src + ((uintptr_t)i << size_bits), base = 0;
        vs_page_t *page = tree_lookup(fdata->top_level, v, &base);
        if (page == NULL || base != v || page->size_bits != size_bits) {
            ZF_LOGE("%p is not mapped as a page of size_bits %zu in the source vspace", (void *)v, size_bits);
            return -1;
        }
    }
    sel4utils_res_t *res = res_check(tdata, reservation);
    if (res == NULL || check_target(tdata, res, dst, (size_t)num_pages, size_bits) != 0) {
        return -1;
    }
    if (res->rights_deferred) {
        ZF_LOGE("the reservation has deferred rights");
        return -1;
    }
    for (int i = 0; i < num_pages; i++) {
        uintptr_t off = (uintptr_t)i << size_bits;
        vs_page_t *page = tree_lookup(fdata->top_level, src + off, NULL);
        cspacepath_t from_path, copy;
        int err = vka_cspace_alloc_path(tdata->vka, &copy);
        if (err == 0) {
            vka_cspace_make_path(fdata->vka, page->cap, &from_path);
            err = vka_cnode_copy(&copy, &from_path, seL4_AllRights);
            if (err != 0) {
                ZF_LOGE("copying frame cap %lu failed with seL4 error %d", (unsigned long)page->cap, err);
                vka_cspace_free(tdata->vka, copy.capPtr);
            } else if (map_one(to, tdata, copy.capPtr, dst + off, size_bits, res->rights, res->cacheable, 0) != 0) {
                vka_cnode_delete(&copy);
                vka_cspace_free(tdata->vka, copy.capPtr);
                err = -1;
            }
        } else {
            ZF_LOGE("no free slot for a copy of frame cap %lu", (unsigned long)page->cap);
        }
        if (err != 0) {
            for (int j = 0; j < i; j++) {
                unmap_one(tdata, dst + ((uintptr_t)j << size_bits), size_bits, tdata->vka);
            }
            return -1;
        }
    }
    return 0;
}

/* ---------------------------------------------------------------- mapping with the kernel */

static void record_paging_object(vspace_t *vspace, sel4utils_alloc_data_t *data, vka_object_t obj, uintptr_t va)
{
    if (vspace->allocated_object != NULL) {
        vspace->allocated_object(vspace->allocated_object_cookie, obj);
        return;
    }
    sel4utils_paging_obj_t *o = malloc(sizeof(*o));
    if (o == NULL) {
        ZF_LOGE("out of memory to record a paging structure: it will not be freed at tear down");
        return;
    }
    unsigned cover = obj.type == seL4_X86_PageTableObject       ? seL4_LargePageBits
                     : obj.type == seL4_X86_PageDirectoryObject ? seL4_HugePageBits
                                                                : seL4_PageBits + 27;
    o->object = obj;
    o->vaddr = va & ~((1ul << cover) - 1);
    o->next = data->paging_objects;
    data->paging_objects = o;
}

/* A large page at va is refused while a lower-level table we created (now empty) still
 * covers it: free those tables. 0 if something was freed. */
static int reclaim_tables(sel4utils_alloc_data_t *data, uintptr_t va, size_t size_bits)
{
    uintptr_t end = va + (1ul << size_bits), ps, pe;
    /* The page being mapped is already recorded; anything else there keeps the tables. */
    if (mapped_in(data, va, end, &ps, &pe) && (ps != va || pe != end)) {
        return -1;
    }
    int freed = 0;
    /* Page tables first, then page directories (only under a 1 GiB page). */
    static const seL4_Word order[2] = { seL4_X86_PageTableObject, seL4_X86_PageDirectoryObject };
    for (int k = 0; k < 2; k++) {
        sel4utils_paging_obj_t **link = &data->paging_objects;
        while (*link != NULL) {
            sel4utils_paging_obj_t *o = *link;
            if (o->object.type == order[k] && o->vaddr >= va && o->vaddr < end) {
                *link = o->next;
                vka_free_object(data->vka, &o->object);
                free(o);
                freed++;
            } else {
                link = &o->next;
            }
        }
    }
    return freed > 0 ? 0 : -1;
}

int sel4utils_map_page_pd(vspace_t *vspace, seL4_CPtr cap, void *vaddr, seL4_CapRights_t rights, int cacheable,
                          size_t size_bits)
{
    sel4utils_alloc_data_t *data = sel4utils_vspace_data(vspace);
    if (data == NULL) {
        return -1;
    }
    for (int attempt = 0; attempt < 2; attempt++) {
        vka_object_t objects[SEL4UTILS_MAP_PAGING_OBJECTS];
        int num = SEL4UTILS_MAP_PAGING_OBJECTS;
        int err = sel4utils_map_page(data->vka, data->vspace_root, cap, vaddr, rights, cacheable, objects, &num);
        for (int i = 0; i < num; i++) {
            record_paging_object(vspace, data, objects[i], (uintptr_t)vaddr);
        }
        if (err == seL4_NoError) {
            return 0;
        }
        if (err != seL4_DeleteFirst || size_bits == seL4_PageBits || attempt > 0 ||
            reclaim_tables(data, (uintptr_t)vaddr, size_bits) != 0) {
            return -1;
        }
    }
    return -1;
}

/* ---------------------------------------------------------------- set up */

int sel4utils_vspace_init(vspace_t *loader, vspace_t *vspace, sel4utils_alloc_data_t *data, vka_t *vka,
                          seL4_CPtr vspace_root, vspace_allocated_object_fn allocated_object_fn,
                          void *allocated_object_cookie, sel4utils_map_page_fn map_page, bool is_empty)
{
    if (vspace == NULL || data == NULL || vka == NULL) {
        ZF_LOGE("%s is NULL", vspace == NULL ? "vspace" : data == NULL ? "data" : "vka");
        return -1;
    }
    if (vspace_root == seL4_CapNull) {
        ZF_LOGE("no vspace root cap");
        return -1;
    }
    if (loader == vspace) {
        ZF_LOGE("a vspace cannot be its own loader");
        return -1;
    }
    memset(data, 0, sizeof(*data));
    memset(vspace, 0, sizeof(*vspace));
    data->vspace_root = vspace_root;
    data->vka = vka;
    data->bootstrap = loader;
    data->map_page = map_page != NULL ? map_page : sel4utils_map_page_pd;
    data->last_allocated = SEL4UTILS_VSPACE_ALLOC_START;
    data->is_empty = is_empty;

    vspace->data = data;
    vspace->new_pages = sel4utils_new_pages;
    vspace->map_pages = sel4utils_map_pages;
    vspace->new_pages_at_vaddr = sel4utils_new_pages_at_vaddr;
    vspace->map_pages_at_vaddr = sel4utils_map_pages_at_vaddr;
    vspace->deferred_rights_map_pages_at_vaddr = sel4utils_deferred_rights_map_pages_at_vaddr;
    vspace->unmap_pages = sel4utils_unmap_pages;
    vspace->tear_down = sel4utils_tear_down;
    vspace->reserve_range_aligned = sel4utils_reserve_range_aligned;
    vspace->reserve_range_at = sel4utils_reserve_range_at;
    vspace->reserve_deferred_rights_range_at = sel4utils_reserve_deferred_rights_range_at;
    vspace->free_reservation = sel4utils_free_reservation;
    vspace->free_reservation_by_vaddr = sel4utils_free_reservation_by_vaddr;
    vspace->get_cap = sel4utils_get_cap;
    vspace->get_root = sel4utils_get_root;
    vspace->get_cookie = sel4utils_get_cookie;
    vspace->share_mem_at_vaddr = sel4utils_share_mem_at_vaddr;
    vspace->allocated_object = allocated_object_fn;
    vspace->allocated_object_cookie = allocated_object_cookie;
    return 0;
}
