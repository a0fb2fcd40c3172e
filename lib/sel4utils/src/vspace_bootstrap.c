/* Creating sel4utils vspaces: for another address space (get_vspace*) and for the running
 * program's own (bootstrap*, with what is already mapped reserved). */
#include <stdlib.h>
#include <sel4/sel4.h>
#include <utils/util.h>
#include <sel4utils/vspace.h>
#include "vspace_internal.h"

/* Linker-provided bounds of the program image. */
extern char __executable_start[];
extern char _end[];

void sel4utils_get_image_region(uintptr_t *va_start, uintptr_t *va_end)
{
    if (va_start != NULL) {
        *va_start = (uintptr_t)__executable_start;
    }
    if (va_end != NULL) {
        *va_end = (uintptr_t)_end;
    }
}

int sel4utils_get_vspace_with_map(vspace_t *loader, vspace_t *new_vspace, sel4utils_alloc_data_t *data,
                                  vka_t *vka, seL4_CPtr vspace_root,
                                  vspace_allocated_object_fn allocated_object_fn,
                                  void *allocated_object_cookie, sel4utils_map_page_fn map_page)
{
    if (loader == NULL) {
        ZF_LOGE("loader (the caller's own vspace) is NULL");
        return -1;
    }
    return sel4utils_vspace_init(loader, new_vspace, data, vka, vspace_root, allocated_object_fn,
                                 allocated_object_cookie, map_page, false);
}

int sel4utils_get_empty_vspace_with_map(vspace_t *loader, vspace_t *new_vspace,
                                        sel4utils_alloc_data_t *data, vka_t *vka, seL4_CPtr vspace_root,
                                        vspace_allocated_object_fn allocated_object_fn,
                                        void *allocated_object_cookie, sel4utils_map_page_fn map_page)
{
    if (loader == NULL) {
        ZF_LOGE("loader (the caller's own vspace) is NULL");
        return -1;
    }
    return sel4utils_vspace_init(loader, new_vspace, data, vka, vspace_root, allocated_object_fn,
                                 allocated_object_cookie, map_page, true);
}

int sel4utils_get_vspace(vspace_t *loader, vspace_t *new_vspace, sel4utils_alloc_data_t *data, vka_t *vka,
                         seL4_CPtr vspace_root, vspace_allocated_object_fn allocated_object_fn,
                         void *allocated_object_cookie)
{
    return sel4utils_get_vspace_with_map(loader, new_vspace, data, vka, vspace_root, allocated_object_fn,
                                         allocated_object_cookie, NULL);
}

int sel4utils_get_empty_vspace(vspace_t *loader, vspace_t *new_vspace, sel4utils_alloc_data_t *data,
                               vka_t *vka, seL4_CPtr vspace_root,
                               vspace_allocated_object_fn allocated_object_fn, void *allocated_object_cookie)
{
    return sel4utils_get_empty_vspace_with_map(loader, new_vspace, data, vka, vspace_root,
                                               allocated_object_fn, allocated_object_cookie, NULL);
}

/* ---- the running program's own address space */

struct range {
    uintptr_t start, end;
};

#define MAX_BOOT_RANGES 64

static void add_range(struct range *r, int *n, uintptr_t start, uintptr_t end)
{
    start &= ~(PAGE_SIZE_4K - 1);
    end = ROUND_UP(end, PAGE_SIZE_4K);
    if (start < end && *n < MAX_BOOT_RANGES) {
        r[(*n)++] = (struct range){ start, end };
    }
}

/* Reserve the union of the ranges (they may touch or overlap). */
static int reserve_ranges(vspace_t *vspace, struct range *r, int n)
{
    /* Insertion sort by start, then merge. */
    for (int i = 1; i < n; i++) {
        for (int j = i; j > 0 && r[j].start < r[j - 1].start; j--) {
            struct range t = r[j];
            r[j] = r[j - 1];
            r[j - 1] = t;
        }
    }
    for (int i = 0; i < n;) {
        uintptr_t start = r[i].start, end = r[i].end;
        for (i++; i < n && r[i].start <= end; i++) {
            end = MAX(end, r[i].end);
        }
        reservation_t res = sel4utils_reserve_range_at(vspace, (void *)start, end - start, seL4_AllRights, 1);
        if (res.res == NULL) {
            ZF_LOGE("could not reserve the range [%p, %p) already in use", (void *)start, (void *)end);
            return -1;
        }
    }
    return 0;
}

int sel4utils_bootstrap_vspace(vspace_t *vspace, sel4utils_alloc_data_t *data, seL4_CPtr vspace_root, vka_t *vka,
                               vspace_allocated_object_fn allocated_object_fn, void *allocated_object_cookie,
                               void *existing_frames[])
{
    if (sel4utils_vspace_init(NULL, vspace, data, vka, vspace_root, allocated_object_fn, allocated_object_cookie,
                              NULL, false) != 0) {
        return -1;
    }
    struct range r[MAX_BOOT_RANGES];
    int n = 0;
    uintptr_t image_start, image_end;
    sel4utils_get_image_region(&image_start, &image_end);
    add_range(r, &n, image_start, image_end);
    for (int i = 0; existing_frames != NULL && existing_frames[i] != NULL; i++) {
        if (n == MAX_BOOT_RANGES) {
            ZF_LOGE("too many existing frames (at most %d)", MAX_BOOT_RANGES - 1);
            return -1;
        }
        add_range(r, &n, (uintptr_t)existing_frames[i], (uintptr_t)existing_frames[i] + PAGE_SIZE_4K);
    }
    return reserve_ranges(vspace, r, n);
}

int sel4utils_bootstrap_vspace_with_bootinfo(vspace_t *vspace, sel4utils_alloc_data_t *data,
                                             seL4_CPtr vspace_root, vka_t *vka, seL4_BootInfo *info,
                                             vspace_allocated_object_fn allocated_object_fn,
                                             void *allocated_object_cookie)
{
    if (info == NULL) {
        ZF_LOGE("info (the BootInfo) is NULL");
        return -1;
    }
    if (sel4utils_vspace_init(NULL, vspace, data, vka, vspace_root, allocated_object_fn, allocated_object_cookie,
                              NULL, false) != 0) {
        return -1;
    }
    struct range r[MAX_BOOT_RANGES];
    int n = 0;
    uintptr_t image_start, image_end;
    sel4utils_get_image_region(&image_start, &image_end);
    add_range(r, &n, image_start, image_end);
    /* The kernel maps the IPC buffer, then the BootInfo frame, then the extra BootInfo pages
     * right after it. */
    uintptr_t ipc = (uintptr_t)info->ipcBuffer;
    add_range(r, &n, ipc, ipc + PAGE_SIZE_4K);
    uintptr_t bi = (uintptr_t)info & ~(PAGE_SIZE_4K - 1);
    add_range(r, &n, bi, bi + PAGE_SIZE_4K);
    size_t extra_pages = info->extraBIPages.end - info->extraBIPages.start;
    extra_pages = MAX(extra_pages, (size_t)BYTES_TO_4K_PAGES(info->extraLen));
    add_range(r, &n, bi + PAGE_SIZE_4K, bi + PAGE_SIZE_4K + extra_pages * PAGE_SIZE_4K);
    return reserve_ranges(vspace, r, n);
}
