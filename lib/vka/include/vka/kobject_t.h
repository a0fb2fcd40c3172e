/* kobject_t: seL4 libsel4vka's architecture-independent names for kernel object kinds, and the
 * mapping from (kind, size) to the seL4 object type and the untyped size it needs (x86_64). */
#pragma once

#include <autoconf.h>
#include <sel4/sel4.h>
#include <utils/util.h>

typedef int kobject_t;

/* Same order as seL4: x86_64 mode kinds, then x86 kinds, then the generic ones. */
enum _x86_mode_kobject_type {
    KOBJECT_PML4,
    KOBJECT_PDPT,
    KOBJECT_FRAME,
    KOBJECT_MODE_NUM_TYPES,
};

enum _x86_kobject_type {
    KOBJECT_IO_PAGETABLE = KOBJECT_MODE_NUM_TYPES,
    KOBJECT_PAGE_DIRECTORY,
    KOBJECT_PAGE_TABLE,
    KOBJECT_ARCH_NUM_TYPES,
};

enum _kobject_type {
    KOBJECT_TCB = KOBJECT_ARCH_NUM_TYPES,
    KOBJECT_CNODE,
    KOBJECT_CSLOT,
    KOBJECT_UNTYPED,
    KOBJECT_ENDPOINT,
    KOBJECT_NOTIFICATION,
    KOBJECT_REPLY,
    KOBJECT_SCHED_CONTEXT,
    NUM_KOBJECT_TYPES
};

/* Old names kept by seL4 for compatibility. */
#define KOBJECT_ASYNC_ENDPOINT KOBJECT_NOTIFICATION
#define KOBJECT_SYNC_ENDPOINT KOBJECT_ENDPOINT

/* log2 of the untyped memory needed for an object of this kind; objectSize is the size
 * argument of the kind (frame: its size in bits; CNode: slot-count bits; untyped: its size in
 * bits; sched context: its size in bits). 0 with an error message for an unknown kind/size. */
static inline seL4_Word kobject_get_size(kobject_t type, seL4_Word objectSize)
{
    switch (type) {
    case KOBJECT_TCB:
        return seL4_TCBBits;
    case KOBJECT_CNODE:
        return seL4_SlotBits + objectSize;
    case KOBJECT_CSLOT:
        return 0;
    case KOBJECT_UNTYPED:
        return objectSize;
    case KOBJECT_ENDPOINT:
        return seL4_EndpointBits;
    case KOBJECT_NOTIFICATION:
        return seL4_NotificationBits;
    case KOBJECT_REPLY:
        return seL4_ReplyBits;
    case KOBJECT_SCHED_CONTEXT:
        return objectSize > seL4_MinSchedContextBits ? objectSize : seL4_MinSchedContextBits;
    case KOBJECT_PAGE_TABLE:
        return seL4_PageTableBits;
    case KOBJECT_PAGE_DIRECTORY:
        return seL4_PageDirBits;
    case KOBJECT_PDPT:
        return seL4_PDPTBits;
    case KOBJECT_PML4:
        return seL4_PML4Bits;
    case KOBJECT_IO_PAGETABLE:
        return seL4_IOPageTableBits;
    case KOBJECT_FRAME:
        if (objectSize == seL4_PageBits || objectSize == seL4_LargePageBits ||
            objectSize == seL4_HugePageBits) {
            return objectSize;
        }
        ZF_LOGE("no x86_64 frame of size_bits %lu", (unsigned long)objectSize);
        return 0;
    default:
        ZF_LOGE("unknown kobject type %d", type);
        return 0;
    }
}

/* The seL4 object type (for Untyped_Retype) of a kind; (seL4_Word)-1 with an error message for
 * an unknown kind or frame size, and for KOBJECT_CSLOT (not an object). */
static inline seL4_Word kobject_get_type(kobject_t type, seL4_Word objectSize)
{
    switch (type) {
    case KOBJECT_TCB:
        return seL4_TCBObject;
    case KOBJECT_CNODE:
        return seL4_CapTableObject;
    case KOBJECT_CSLOT:
        return -1;
    case KOBJECT_UNTYPED:
        return seL4_UntypedObject;
    case KOBJECT_ENDPOINT:
        return seL4_EndpointObject;
    case KOBJECT_NOTIFICATION:
        return seL4_NotificationObject;
    case KOBJECT_REPLY:
        return seL4_ReplyObject;
    case KOBJECT_SCHED_CONTEXT:
        return seL4_SchedContextObject;
    case KOBJECT_PAGE_TABLE:
        return seL4_X86_PageTableObject;
    case KOBJECT_PAGE_DIRECTORY:
        return seL4_X86_PageDirectoryObject;
    case KOBJECT_PDPT:
        return seL4_X86_PDPTObject;
    case KOBJECT_PML4:
        return seL4_X64_PML4Object;
    case KOBJECT_IO_PAGETABLE:
        return seL4_X86_IOPageTableObject;
    case KOBJECT_FRAME:
        switch (objectSize) {
        case seL4_PageBits:
            return seL4_X86_4K;
        case seL4_LargePageBits:
            return seL4_X86_LargePageObject;
        case seL4_HugePageBits:
            return seL4_X64_HugePageObject;
        default:
            ZF_LOGE("no x86_64 frame of size_bits %lu", (unsigned long)objectSize);
            return -1;
        }
    default:
        ZF_LOGE("unknown kobject type %d", type);
        return -1;
    }
}
