/* vka_t: seL4's "virtual kernel allocator" interface. An allocator (e.g. allocman) fills in the
 * function pointers; programs call the vka_* wrappers below. Semantics follow libsel4vka. */
#pragma once

#include <autoconf.h>
#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>
#include <assert.h>
#include <sel4/sel4.h>
#include <utils/util.h>
#include <vka/cspacepath_t.h>

/* Returned by utspace_paddr when the physical address is unknown (never a valid, aligned
 * object address). */
#define VKA_NO_PADDR 1

/* Allocate one free slot; 0 on success. */
typedef int (*vka_cspace_alloc_fn)(void *data, seL4_CPtr *res);
/* Describe an allocated slot as a cspacepath_t. */
typedef void (*vka_cspace_make_path_fn)(void *data, seL4_CPtr slot, cspacepath_t *res);
/* Return a slot (which must already be empty) to the allocator. */
typedef void (*vka_cspace_free_fn)(void *data, seL4_CPtr slot);
/* Create one object of (type, size_bits) into the empty slot dest; *res receives a cookie
 * identifying the memory, for utspace_free/utspace_paddr. 0 on success. */
typedef int (*vka_utspace_alloc_fn)(void *data, const cspacepath_t *dest, seL4_Word type,
                                    seL4_Word size_bits, seL4_Word *res);
/* As utspace_alloc; the memory may come from device untypeds when can_use_dev is true. */
typedef int (*vka_utspace_alloc_maybe_device_fn)(void *data, const cspacepath_t *dest,
                                                 seL4_Word type, seL4_Word size_bits,
                                                 bool can_use_dev, seL4_Word *res);
/* As utspace_alloc, with the object at physical address paddr. */
typedef int (*vka_utspace_alloc_at_fn)(void *data, const cspacepath_t *dest, seL4_Word type,
                                       seL4_Word size_bits, uintptr_t paddr, seL4_Word *cookie);
/* Give the memory of an object back. The caller has already deleted every cap to it. */
typedef void (*vka_utspace_free_fn)(void *data, seL4_Word type, seL4_Word size_bits,
                                    seL4_Word target);
/* Physical address of an allocation, or VKA_NO_PADDR. */
typedef uintptr_t (*vka_utspace_paddr_fn)(void *data, seL4_Word target, seL4_Word type,
                                          seL4_Word size_bits);

typedef struct vka {
    void *data;
    vka_cspace_alloc_fn cspace_alloc;
    vka_cspace_make_path_fn cspace_make_path;
    vka_utspace_alloc_fn utspace_alloc;
    vka_utspace_alloc_maybe_device_fn utspace_alloc_maybe_device;
    vka_utspace_alloc_at_fn utspace_alloc_at;
    vka_cspace_free_fn cspace_free;
    vka_utspace_free_fn utspace_free;
    vka_utspace_paddr_fn utspace_paddr;
} vka_t;

static inline int vka_cspace_alloc(vka_t *vka, seL4_CPtr *res)
{
    if (vka == NULL) {
        ZF_LOGE("vka is NULL");
        return -1;
    }
    if (res == NULL) {
        ZF_LOGE("res is NULL");
        return -1;
    }
    if (vka->cspace_alloc == NULL) {
        ZF_LOGE("this vka has no cspace_alloc");
        return -1;
    }
    return vka->cspace_alloc(vka->data, res);
}

/* seL4 treats a bad argument here as fatal; Cairn logs it and, where it can, leaves a path with
 * capPtr 0 (which every caller treats as "no path"). */
static inline void vka_cspace_make_path(vka_t *vka, seL4_CPtr slot, cspacepath_t *res)
{
    if (res == NULL) {
        ZF_LOGF("res is NULL");
        return;
    }
    if (vka == NULL || vka->cspace_make_path == NULL) {
        ZF_LOGF("%s", vka == NULL ? "vka is NULL" : "this vka has no cspace_make_path");
        *res = (cspacepath_t){0};
        return;
    }
    vka->cspace_make_path(vka->data, slot, res);
}

static inline int vka_cspace_alloc_path(vka_t *vka, cspacepath_t *res)
{
    seL4_CPtr slot;
    if (res == NULL) {
        ZF_LOGE("res is NULL");
        return -1;
    }
    int err = vka_cspace_alloc(vka, &slot);
    if (err == 0) {
        vka_cspace_make_path(vka, slot, res);
    }
    return err;
}

static inline void vka_cspace_free(vka_t *vka, seL4_CPtr slot)
{
    if (vka == NULL) {
        ZF_LOGE("vka is NULL");
        return;
    }
#ifdef CONFIG_DEBUG_BUILD
    if (seL4_DebugCapIdentify(slot) != 0) {
        /* seL4 stops the system here; Cairn refuses the free and carries on. */
        ZF_LOGF("slot %lu is not empty: delete its cap (vka_cnode_delete) before freeing it",
                (unsigned long)slot);
        return;
    }
#endif
    if (vka->cspace_free == NULL) {
        ZF_LOGE("this vka has no cspace_free");
        return;
    }
    vka->cspace_free(vka->data, slot);
}

static inline void vka_cspace_free_path(vka_t *vka, cspacepath_t path)
{
    vka_cspace_free(vka, path.capPtr);
}

static inline int vka_utspace_alloc(vka_t *vka, const cspacepath_t *dest, seL4_Word type,
                                    seL4_Word size_bits, seL4_Word *res)
{
    if (vka == NULL) {
        ZF_LOGE("vka is NULL");
        return -1;
    }
    if (res == NULL) {
        ZF_LOGE("res is NULL");
        return -1;
    }
    if (vka->utspace_alloc == NULL) {
        ZF_LOGE("this vka has no utspace_alloc");
        return -1;
    }
    return vka->utspace_alloc(vka->data, dest, type, size_bits, res);
}

static inline int vka_utspace_alloc_maybe_device(vka_t *vka, const cspacepath_t *dest,
                                                 seL4_Word type, seL4_Word size_bits,
                                                 bool can_use_dev, seL4_Word *res)
{
    if (vka == NULL) {
        ZF_LOGE("vka is NULL");
        return -1;
    }
    if (res == NULL) {
        ZF_LOGE("res is NULL");
        return -1;
    }
    if (vka->utspace_alloc_maybe_device == NULL) {
        ZF_LOGE("this vka has no utspace_alloc_maybe_device");
        return -1;
    }
    return vka->utspace_alloc_maybe_device(vka->data, dest, type, size_bits, can_use_dev, res);
}

static inline int vka_utspace_alloc_at(vka_t *vka, const cspacepath_t *dest, seL4_Word type,
                                       seL4_Word size_bits, uintptr_t paddr, seL4_Word *cookie)
{
    if (vka == NULL) {
        ZF_LOGE("vka is NULL");
        return -1;
    }
    if (cookie == NULL) {
        ZF_LOGE("cookie is NULL");
        return -1;
    }
    if (vka->utspace_alloc_at == NULL) {
        ZF_LOGE("this vka has no utspace_alloc_at");
        return -1;
    }
    return vka->utspace_alloc_at(vka->data, dest, type, size_bits, paddr, cookie);
}

static inline void vka_utspace_free(vka_t *vka, seL4_Word type, seL4_Word size_bits,
                                    seL4_Word target)
{
    if (vka == NULL) {
        ZF_LOGE("vka is NULL");
        return;
    }
    if (vka->utspace_free == NULL) {
        /* seL4 stops the system unless leaks are allowed; Cairn logs the leak. */
        ZF_LOGF("this vka has no utspace_free: the memory is leaked");
        return;
    }
    vka->utspace_free(vka->data, type, size_bits, target);
}

static inline uintptr_t vka_utspace_paddr(vka_t *vka, seL4_Word target, seL4_Word type,
                                          seL4_Word size_bits)
{
    if (vka == NULL) {
        ZF_LOGE("vka is NULL");
        return VKA_NO_PADDR;
    }
    if (vka->utspace_paddr == NULL) {
        ZF_LOGE("this vka has no utspace_paddr");
        return VKA_NO_PADDR;
    }
    return vka->utspace_paddr(vka->data, target, type, size_bits);
}
