/* simple_t: seL4's libsel4simple view of the environment a task starts in (its initial caps,
 * untypeds, user image, IRQs and IO ports). An implementation (e.g. simple-default, over
 * BootInfo) fills in the function pointers; programs call the simple_* wrappers below. */
#pragma once

#include <autoconf.h>
#include <assert.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/types.h>
#include <sel4/sel4.h>
#include <sel4/macros.h>
#include <utils/util.h>
#include <vka/cspacepath_t.h>

/* ---- x86 part (seL4's simple/arch/simple.h) ---- */

/* Put a cap to IO ports [start_port, end_port] in the slot (root, dest, depth). */
typedef seL4_Error (*arch_simple_get_IOPort_cap_fn)(void *data, uint16_t start_port,
                                                    uint16_t end_port, seL4_Word root,
                                                    seL4_Word dest, seL4_Word depth);
/* An IRQ handler cap for an MSI, placed at (root, index, depth). */
typedef seL4_Error (*arch_simple_get_msi_fn)(void *data, seL4_CNode root, seL4_Word index,
                                             uint8_t depth, seL4_Word pci_bus, seL4_Word pci_dev,
                                             seL4_Word pci_func, seL4_Word handle,
                                             seL4_Word vector);
/* An IRQ handler cap for an IOAPIC pin, placed at (root, index, depth). */
typedef seL4_Error (*arch_simple_get_ioapic_fn)(void *data, seL4_CNode root, seL4_Word index,
                                               uint8_t depth, seL4_Word ioapic, seL4_Word pin,
                                               seL4_Word level, seL4_Word polarity,
                                               seL4_Word vector);
/* An IRQ handler cap for IRQ number irq, placed at (cnode, index, depth). */
typedef seL4_Error (*arch_simple_get_IRQ_handler_fn)(void *data, int irq, seL4_CNode cnode,
                                                     seL4_Word index, uint8_t depth);

typedef struct arch_simple {
    void *data;
    arch_simple_get_IOPort_cap_fn IOPort_cap;
    arch_simple_get_msi_fn msi;
    arch_simple_get_IRQ_handler_fn irq;
    arch_simple_get_ioapic_fn ioapic;
} arch_simple_t;

static inline seL4_Error arch_simple_get_IOPort_cap(arch_simple_t *arch_simple,
                                                    uint16_t start_port, uint16_t end_port,
                                                    seL4_Word root, seL4_Word dest,
                                                    seL4_Word depth)
{
    if (arch_simple == NULL) {
        ZF_LOGE("arch_simple is NULL");
        return seL4_InvalidArgument;
    }
    if (arch_simple->IOPort_cap == NULL) {
        ZF_LOGE("%s not implemented", __func__);
        return seL4_InvalidArgument;
    }
    return arch_simple->IOPort_cap(arch_simple->data, start_port, end_port, root, dest, depth);
}

static inline seL4_Error arch_simple_get_msi(arch_simple_t *arch_simple, cspacepath_t path,
                                             seL4_Word pci_bus, seL4_Word pci_dev,
                                             seL4_Word pci_func, seL4_Word handle,
                                             seL4_Word vector)
{
    if (arch_simple == NULL) {
        ZF_LOGE("arch_simple is NULL");
        return seL4_InvalidArgument;
    }
    if (arch_simple->msi == NULL) {
        ZF_LOGE("%s not implemented", __func__);
        return seL4_InvalidArgument;
    }
    return arch_simple->msi(arch_simple->data, path.root, path.capPtr, path.capDepth, pci_bus,
                            pci_dev, pci_func, handle, vector);
}

static inline seL4_Error arch_simple_get_ioapic(arch_simple_t *arch_simple, cspacepath_t path,
                                                seL4_Word ioapic, seL4_Word pin,
                                                seL4_Word level, seL4_Word polarity,
                                                seL4_Word vector)
{
    if (arch_simple == NULL) {
        ZF_LOGE("arch_simple is NULL");
        return seL4_InvalidArgument;
    }
    if (arch_simple->ioapic == NULL) {
        ZF_LOGE("%s not implemented", __func__);
        return seL4_InvalidArgument;
    }
    return arch_simple->ioapic(arch_simple->data, path.root, path.capPtr, path.capDepth, ioapic,
                               pin, level, polarity, vector);
}

/* ---- generic part ---- */

/* Put a cap to the frame at physical address paddr (size 2^size_bits) at path. */
typedef seL4_Error (*simple_get_frame_cap_fn)(void *data, void *paddr, int size_bits,
                                              cspacepath_t *path);
/* The vaddr at which the frame at paddr is already mapped, or NULL. */
typedef void *(*simple_get_frame_mapping_fn)(void *data, void *paddr, int size_bits);
/* The vaddr (or NULL) and a cap (frame or covering untyped, with offset) for paddr. */
typedef void *(*simple_get_frame_info_fn)(void *data, void *paddr, int size_bits,
                                          seL4_CPtr *cap, seL4_Word *ut_offset);
/* Assign vspace to the task's ASID pool. */
typedef seL4_Error (*simple_ASIDPool_assign_fn)(void *data, seL4_CPtr vspace);
/* Number of caps the implementation knows of, and the nth of them. */
typedef int (*simple_get_cap_count_fn)(void *data);
typedef seL4_CPtr (*simple_get_nth_cap_fn)(void *data, int n);
/* Where the initial cap numbered cap (seL4_CapInitThreadTCB, ...) lives. */
typedef seL4_CPtr (*simple_get_init_cap_fn)(void *data, seL4_CPtr cap);
/* log2 of the number of slots of the task's CNode. */
typedef uint8_t (*simple_get_cnode_size_fn)(void *data);
/* Number of untypeds, and the nth of them (with size, paddr and whether device memory). */
typedef int (*simple_get_untyped_count_fn)(void *data);
typedef seL4_CPtr (*simple_get_nth_untyped_fn)(void *data, int n, size_t *size_bits,
                                               uintptr_t *paddr, bool *device);
/* Number of frames of the task's own image, and the nth of them. */
typedef int (*simple_get_userimage_count_fn)(void *data);
typedef seL4_CPtr (*simple_get_nth_userimage_fn)(void *data, int n);
/* Number of CPU cores. */
typedef int (*simple_get_core_count_fn)(void *data);
/* SchedControl cap of a core. */
typedef seL4_CPtr (*simple_get_sched_ctrl_fn)(void *data, int core);
/* Print what the implementation knows about the environment. */
typedef void (*simple_print_fn)(void *data);
/* Length (header included) of the extended bootinfo chunk with id type, or -1. */
typedef ssize_t (*simple_get_extended_bootinfo_len_fn)(void *data, seL4_Word type);
/* Copy that chunk (header included) to dest, at most max_len bytes; its length or -1. */
typedef ssize_t (*simple_get_extended_bootinfo_fn)(void *data, seL4_Word type, void *dest,
                                                   ssize_t max_len);

typedef struct simple_t {
    void *data;
    simple_get_frame_cap_fn frame_cap;
    simple_get_frame_mapping_fn frame_mapping;
    simple_get_frame_info_fn frame_info;
    simple_ASIDPool_assign_fn ASID_assign;
    simple_get_cap_count_fn cap_count;
    simple_get_nth_cap_fn nth_cap;
    simple_get_init_cap_fn init_cap;
    simple_get_cnode_size_fn cnode_size;
    simple_get_untyped_count_fn untyped_count;
    simple_get_nth_untyped_fn nth_untyped;
    simple_get_userimage_count_fn userimage_count;
    simple_get_nth_userimage_fn nth_userimage;
    simple_get_core_count_fn core_count;
    simple_print_fn print;
    simple_get_sched_ctrl_fn sched_ctrl;
    simple_get_extended_bootinfo_len_fn extended_bootinfo_len;
    simple_get_extended_bootinfo_fn extended_bootinfo;
    arch_simple_t arch_simple;
} simple_t;

/* Checks shared by the wrappers: log and bail out with ret when simple or the hook is missing. */
#define SIMPLE_CHECK_(simple, hook, ret) \
    do { \
        if ((simple) == NULL) { \
            ZF_LOGE("simple is NULL"); \
            return ret; \
        } \
        if ((simple)->hook == NULL) { \
            ZF_LOGE("%s not implemented", __func__); \
            return ret; \
        } \
    } while (0)

static inline void *simple_get_frame_info(simple_t *simple, void *paddr, int size_bits,
                                          seL4_CPtr *frame_cap, seL4_Word *ut_offset)
{
    SIMPLE_CHECK_(simple, frame_info, NULL);
    return simple->frame_info(simple->data, paddr, size_bits, frame_cap, ut_offset);
}

static inline seL4_Error simple_get_frame_cap(simple_t *simple, void *paddr, int size_bits,
                                              cspacepath_t *path)
{
    SIMPLE_CHECK_(simple, frame_cap, seL4_InvalidArgument);
    return simple->frame_cap(simple->data, paddr, size_bits, path);
}

static inline void *simple_get_frame_vaddr(simple_t *simple, void *paddr, int size_bits)
{
    SIMPLE_CHECK_(simple, frame_mapping, NULL);
    return simple->frame_mapping(simple->data, paddr, size_bits);
}

static inline seL4_Error simple_get_IRQ_handler(simple_t *simple, int irq, cspacepath_t path)
{
    SIMPLE_CHECK_(simple, arch_simple.irq, seL4_InvalidArgument);
    return simple->arch_simple.irq(simple->data, irq, path.root, path.capPtr, path.capDepth);
}

static inline seL4_Error SEL4_DEPRECATED("Use simple_get_IRQ_handler")
simple_get_IRQ_control(simple_t *simple, int irq, cspacepath_t path)
{
    return simple_get_IRQ_handler(simple, irq, path);
}

static inline seL4_Error simple_ASIDPool_assign(simple_t *simple, seL4_CPtr vspace)
{
    SIMPLE_CHECK_(simple, ASID_assign, seL4_InvalidArgument);
    return simple->ASID_assign(simple->data, vspace);
}

/* Issue a cap to IO ports [start_port, end_port] into the slot (root, dest, depth). */
static inline seL4_Error simple_get_IOPort_cap(simple_t *simple, uint16_t start_port,
                                               uint16_t end_port, seL4_Word root, seL4_Word dest,
                                               seL4_Word depth)
{
    if (simple == NULL) {
        ZF_LOGE("simple is NULL");
        return seL4_InvalidArgument;
    }
    return arch_simple_get_IOPort_cap(&simple->arch_simple, start_port, end_port, root, dest,
                                      depth);
}

static inline int simple_get_cap_count(simple_t *simple)
{
    SIMPLE_CHECK_(simple, cap_count, -1);
    return simple->cap_count(simple->data);
}

static inline seL4_CPtr simple_get_nth_cap(simple_t *simple, int n)
{
    SIMPLE_CHECK_(simple, nth_cap, seL4_CapNull);
    return simple->nth_cap(simple->data, n);
}

static inline int simple_get_cnode_size_bits(simple_t *simple)
{
    SIMPLE_CHECK_(simple, cnode_size, -1);
    return simple->cnode_size(simple->data);
}

static inline seL4_CPtr simple_init_cap(simple_t *simple, seL4_CPtr cap)
{
    SIMPLE_CHECK_(simple, init_cap, seL4_CapNull);
    return simple->init_cap(simple->data, cap);
}

static inline seL4_CPtr simple_get_cnode(simple_t *simple)
{
    return simple_init_cap(simple, seL4_CapInitThreadCNode);
}

static inline seL4_CPtr simple_get_tcb(simple_t *simple)
{
    return simple_init_cap(simple, seL4_CapInitThreadTCB);
}

static inline seL4_CPtr simple_get_sc(simple_t *simple)
{
    return simple_init_cap(simple, seL4_CapInitThreadSC);
}

static inline seL4_CPtr simple_get_pd(simple_t *simple)
{
    return simple_init_cap(simple, seL4_CapInitThreadPD);
}

static inline seL4_CPtr simple_get_irq_ctrl(simple_t *simple)
{
    return simple_init_cap(simple, seL4_CapIRQControl);
}

static inline seL4_CPtr simple_get_init_cap(simple_t *simple, seL4_CPtr cap)
{
    return simple_init_cap(simple, cap);
}

static inline int simple_get_untyped_count(simple_t *simple)
{
    SIMPLE_CHECK_(simple, untyped_count, -1);
    return simple->untyped_count(simple->data);
}

static inline seL4_CPtr simple_get_nth_untyped(simple_t *simple, int n, size_t *size_bits,
                                               uintptr_t *paddr, bool *device)
{
    SIMPLE_CHECK_(simple, nth_untyped, seL4_CapNull);
    return simple->nth_untyped(simple->data, n, size_bits, paddr, device);
}

static inline int simple_get_userimage_count(simple_t *simple)
{
    SIMPLE_CHECK_(simple, userimage_count, -1);
    return simple->userimage_count(simple->data);
}

static inline seL4_CPtr simple_get_nth_userimage(simple_t *simple, int n)
{
    SIMPLE_CHECK_(simple, nth_userimage, seL4_CapNull);
    return simple->nth_userimage(simple->data, n);
}

static inline int simple_get_core_count(simple_t *simple)
{
    SIMPLE_CHECK_(simple, core_count, -1);
    return simple->core_count(simple->data);
}

static inline void simple_print(simple_t *simple)
{
    SIMPLE_CHECK_(simple, print, );
    simple->print(simple->data);
}

static inline seL4_CPtr simple_get_sched_ctrl(simple_t *simple, int core)
{
    SIMPLE_CHECK_(simple, sched_ctrl, seL4_CapNull);
    if (core < 0 || core >= simple_get_core_count(simple)) {
        ZF_LOGE("invalid core %d", core);
        return seL4_CapNull;
    }
    return simple->sched_ctrl(simple->data, core);
}

static inline ssize_t simple_get_extended_bootinfo_length(simple_t *simple, seL4_Word type)
{
    SIMPLE_CHECK_(simple, extended_bootinfo_len, -1);
    return simple->extended_bootinfo_len(simple->data, type);
}

static inline ssize_t simple_get_extended_bootinfo(simple_t *simple, seL4_Word type, void *dest,
                                                   ssize_t max_len)
{
    SIMPLE_CHECK_(simple, extended_bootinfo, -1);
    return simple->extended_bootinfo(simple->data, type, dest, max_len);
}
