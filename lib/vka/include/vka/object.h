/* vka_object_t and the object allocation helpers of seL4's libsel4vka: an object is a cap in a
 * slot from the vka's cspace plus the cookie of the untyped memory it was made from. */
#pragma once

#include <assert.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <utils/util.h>
#include <vka/vka.h>
#include <vka/kobject_t.h>

typedef struct vka_object {
    seL4_CPtr cptr;      /* the object's cap, in a slot from vka_cspace_alloc */
    seL4_Word ut;        /* allocator cookie for the memory */
    seL4_Word type;      /* seL4 object type */
    seL4_Word size_bits; /* the size argument it was retyped with */
} vka_object_t;

/* Allocate a slot and create one object of (type, size_bits) in it: at physical address paddr
 * unless paddr is VKA_NO_PADDR, possibly from device memory if can_use_dev. 0 on success; on
 * failure the slot is returned, *result is zeroed and the allocator's error is returned. */
static inline int vka_alloc_object_at_maybe_dev(vka_t *vka, seL4_Word type, seL4_Word size_bits,
                                                uintptr_t paddr, bool can_use_dev,
                                                vka_object_t *result)
{
    if (result == NULL) {
        ZF_LOGE("result is NULL");
        return -1;
    }
    *result = (vka_object_t){0};
    if (vka == NULL) {
        ZF_LOGE("vka is NULL");
        return -1;
    }
    if (type >= seL4_ObjectTypeCount) {
        ZF_LOGE("unknown object type %lu", (unsigned long)type);
        return -1;
    }

    seL4_CPtr slot;
    int err = vka_cspace_alloc(vka, &slot);
    if (err != 0) {
        ZF_LOGE("no free slot for the object (error %d)", err);
        return err;
    }
    cspacepath_t path;
    vka_cspace_make_path(vka, slot, &path);

    seL4_Word cookie = 0;
    if (paddr == VKA_NO_PADDR) {
        err = vka_utspace_alloc_maybe_device(vka, &path, type, size_bits, can_use_dev, &cookie);
    } else {
        err = vka_utspace_alloc_at(vka, &path, type, size_bits, paddr, &cookie);
    }
    if (err != 0) {
        ZF_LOGE("could not create object type %lu size_bits %lu (error %d)",
                (unsigned long)type, (unsigned long)size_bits, err);
        vka_cspace_free(vka, slot);
        return err;
    }
    result->cptr = slot;
    result->ut = cookie;
    result->type = type;
    result->size_bits = size_bits;
    return 0;
}

static inline int vka_alloc_object_at(vka_t *vka, seL4_Word type, seL4_Word size_bits,
                                      uintptr_t paddr, vka_object_t *result)
{
    return vka_alloc_object_at_maybe_dev(vka, type, size_bits, paddr, false, result);
}

static inline int vka_alloc_object(vka_t *vka, seL4_Word type, seL4_Word size_bits,
                                   vka_object_t *result)
{
    return vka_alloc_object_at(vka, type, size_bits, VKA_NO_PADDR, result);
}

/* Allocate and return only the cap (0 on failure); the object can never be freed. */
static inline seL4_CPtr vka_alloc_object_leaky(vka_t *vka, seL4_Word type, seL4_Word size_bits)
    WARN_UNUSED_RESULT;
static inline seL4_CPtr vka_alloc_object_leaky(vka_t *vka, seL4_Word type, seL4_Word size_bits)
{
    vka_object_t obj;
    return vka_alloc_object(vka, type, size_bits, &obj) == 0 ? obj.cptr : 0;
}

/* Delete the object's cap, return its slot and its memory. */
static inline void vka_free_object(vka_t *vka, vka_object_t *object)
{
    if (vka == NULL || object == NULL) {
        ZF_LOGE("%s is NULL", vka == NULL ? "vka" : "object");
        return;
    }
    cspacepath_t path;
    vka_cspace_make_path(vka, object->cptr, &path);
    if (path.capPtr == 0) {
        ZF_LOGE("no cspace path to object cap %lu", (unsigned long)object->cptr);
        return;
    }
    /* Errors ignored, as in seL4: the slot may already be empty. */
    seL4_CNode_Delete(path.root, path.capPtr, path.capDepth);
    vka_cspace_free(vka, object->cptr);
    vka_utspace_free(vka, object->type, object->size_bits, object->ut);
}

static inline uintptr_t vka_object_paddr(vka_t *vka, vka_object_t *object)
{
    if (object == NULL) {
        ZF_LOGE("object is NULL");
        return VKA_NO_PADDR;
    }
    return vka_utspace_paddr(vka, object->ut, object->type, object->size_bits);
}

/* Typed helpers. */
static inline int vka_alloc_untyped(vka_t *vka, uint32_t size_bits, vka_object_t *result)
{
    return vka_alloc_object(vka, seL4_UntypedObject, size_bits, result);
}

static inline int vka_alloc_untyped_at(vka_t *vka, uint32_t size_bits, uintptr_t paddr,
                                       vka_object_t *result)
{
    return vka_alloc_object_at(vka, seL4_UntypedObject, size_bits, paddr, result);
}

static inline int vka_alloc_tcb(vka_t *vka, vka_object_t *result)
{
    return vka_alloc_object(vka, seL4_TCBObject, seL4_TCBBits, result);
}

static inline int vka_alloc_sched_context(vka_t *vka, vka_object_t *result)
{
    return vka_alloc_object(vka, seL4_SchedContextObject, seL4_MinSchedContextBits, result);
}

static inline int vka_alloc_sched_context_size(vka_t *vka, vka_object_t *result,
                                               uint32_t size_bits)
{
    if (size_bits < seL4_MinSchedContextBits) {
        ZF_LOGE("sched context size_bits %u below seL4_MinSchedContextBits (%d)",
                (unsigned)size_bits, seL4_MinSchedContextBits);
        return -1;
    }
    return vka_alloc_object(vka, seL4_SchedContextObject, size_bits, result);
}

static inline int vka_alloc_endpoint(vka_t *vka, vka_object_t *result)
{
    return vka_alloc_object(vka, seL4_EndpointObject, seL4_EndpointBits, result);
}

static inline int vka_alloc_notification(vka_t *vka, vka_object_t *result)
{
    return vka_alloc_object(vka, seL4_NotificationObject, seL4_NotificationBits, result);
}

static inline int DEPRECATED("use vka_alloc_notification")
vka_alloc_async_endpoint(vka_t *vka, vka_object_t *result)
{
    return vka_alloc_notification(vka, result);
}

static inline int vka_alloc_reply(vka_t *vka, vka_object_t *result)
{
    return vka_alloc_object(vka, seL4_ReplyObject, seL4_ReplyBits, result);
}

/* slot_bits: log2 of the number of slots. */
static inline int vka_alloc_cnode_object(vka_t *vka, uint32_t slot_bits, vka_object_t *result)
{
    return vka_alloc_object(vka, seL4_CapTableObject, slot_bits, result);
}

static inline int vka_alloc_frame(vka_t *vka, uint32_t size_bits, vka_object_t *result)
{
    return vka_alloc_object(vka, kobject_get_type(KOBJECT_FRAME, size_bits), size_bits, result);
}

static inline int vka_alloc_frame_maybe_device(vka_t *vka, uint32_t size_bits, bool can_use_dev,
                                               vka_object_t *result)
{
    return vka_alloc_object_at_maybe_dev(vka, kobject_get_type(KOBJECT_FRAME, size_bits),
                                         size_bits, VKA_NO_PADDR, can_use_dev, result);
}

static inline int vka_alloc_frame_at(vka_t *vka, uint32_t size_bits, uintptr_t paddr,
                                     vka_object_t *result)
{
    return vka_alloc_object_at(vka, kobject_get_type(KOBJECT_FRAME, size_bits), size_bits,
                               paddr, result);
}

static inline int vka_alloc_page_directory(vka_t *vka, vka_object_t *result)
{
    return vka_alloc_object(vka, kobject_get_type(KOBJECT_PAGE_DIRECTORY, 0), seL4_PageDirBits,
                            result);
}

static inline int vka_alloc_page_table(vka_t *vka, vka_object_t *result)
{
    return vka_alloc_object(vka, kobject_get_type(KOBJECT_PAGE_TABLE, 0), seL4_PageTableBits,
                            result);
}

static inline int vka_alloc_pdpt(vka_t *vka, vka_object_t *result)
{
    return vka_alloc_object(vka, kobject_get_type(KOBJECT_PDPT, 0), seL4_PDPTBits, result);
}

static inline int vka_alloc_pml4(vka_t *vka, vka_object_t *result)
{
    return vka_alloc_object(vka, kobject_get_type(KOBJECT_PML4, 0), seL4_PML4Bits, result);
}

/* The top-level paging structure of a new address space (a PML4 on x86_64). */
static inline int vka_alloc_vspace_root(vka_t *vka, vka_object_t *result)
{
    return vka_alloc_pml4(vka, result);
}

static inline int vka_alloc_kobject(vka_t *vka, kobject_t type, seL4_Word size_bits,
                                    vka_object_t *result)
{
    return vka_alloc_object(vka, kobject_get_type(type, size_bits), size_bits, result);
}

/* _leaky variants: return the cap only (0 on failure). */
#define LEAKY(name) \
    static inline seL4_CPtr vka_alloc_##name##_leaky(vka_t *vka) WARN_UNUSED_RESULT; \
    static inline seL4_CPtr vka_alloc_##name##_leaky(vka_t *vka) \
    { \
        vka_object_t o; \
        return vka_alloc_##name(vka, &o) == 0 ? o.cptr : 0; \
    }

LEAKY(tcb)
LEAKY(endpoint)
LEAKY(notification)
LEAKY(page_directory)
LEAKY(page_table)
LEAKY(sched_context)
LEAKY(reply)
LEAKY(pml4)
LEAKY(pdpt)

static inline DEPRECATED("use vka_alloc_notification_leaky") seL4_CPtr
vka_alloc_async_endpoint_leaky(vka_t *vka)
{
    return vka_alloc_notification_leaky(vka);
}

#define LEAKY_SIZE_BITS(name) \
    static inline seL4_CPtr vka_alloc_##name##_leaky(vka_t *vka, uint32_t size_bits) \
        WARN_UNUSED_RESULT; \
    static inline seL4_CPtr vka_alloc_##name##_leaky(vka_t *vka, uint32_t size_bits) \
    { \
        vka_object_t o; \
        return vka_alloc_##name(vka, size_bits, &o) == 0 ? o.cptr : 0; \
    }

LEAKY_SIZE_BITS(untyped)
LEAKY_SIZE_BITS(frame)
LEAKY_SIZE_BITS(cnode_object)

/* log2 of the untyped memory an x86_64 arch object needs; (unsigned long)-1 with an error
 * message for an unknown type. */
static inline unsigned long vka_arch_get_object_size(seL4_Word objectType)
{
    switch (objectType) {
    case seL4_X86_4K:
        return seL4_PageBits;
    case seL4_X86_LargePageObject:
        return seL4_LargePageBits;
    case seL4_X64_HugePageObject:
        return seL4_HugePageBits;
    case seL4_X86_PageTableObject:
        return seL4_PageTableBits;
    case seL4_X86_PageDirectoryObject:
        return seL4_PageDirBits;
    case seL4_X86_PDPTObject:
        return seL4_PDPTBits;
    case seL4_X64_PML4Object:
        return seL4_PML4Bits;
    default:
        ZF_LOGE("unknown object type %lu", (unsigned long)objectType);
        return -1;
    }
}

/* log2 of the untyped memory an object of (objectType, objectSize) needs; objectSize is the
 * retype size argument (untyped/sched context: bits; CNode: slot-count bits). */
static inline unsigned long vka_get_object_size(seL4_Word objectType, seL4_Word objectSize)
{
    switch (objectType) {
    case seL4_UntypedObject:
        return objectSize;
    case seL4_TCBObject:
        return seL4_TCBBits;
    case seL4_SchedContextObject:
        return objectSize > seL4_MinSchedContextBits ? objectSize : seL4_MinSchedContextBits;
    case seL4_ReplyObject:
        return seL4_ReplyBits;
    case seL4_EndpointObject:
        return seL4_EndpointBits;
    case seL4_NotificationObject:
        return seL4_NotificationBits;
    case seL4_CapTableObject:
        return seL4_SlotBits + objectSize;
    default:
        return vka_arch_get_object_size(objectType);
    }
}
