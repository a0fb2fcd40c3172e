/* simple-default: simple_t answered from the root task's seL4_BootInfo. */
#include <autoconf.h>
#include <stdio.h>
#include <string.h>
#include <sel4/sel4.h>
#include <utils/util.h>
#include <simple-default/simple-default.h>

#define BI(data) ((seL4_BootInfo *)(data))
#define REGION_SIZE(r) ((r).end - (r).start)

/* The initial slots that hold a cap in Cairn's x86_64 MCS configuration (the others are
 * empty: no IOMMU, ARM-only caps). */
static const seL4_CPtr initial_caps[] = {
    seL4_CapInitThreadTCB, seL4_CapInitThreadCNode, seL4_CapInitThreadVSpace, seL4_CapIRQControl,
    seL4_CapASIDControl, seL4_CapInitThreadASIDPool, seL4_CapIOPortControl, seL4_CapBootInfoFrame,
    seL4_CapInitThreadIPCBuffer, seL4_CapDomain, seL4_CapInitThreadSC,
};

static bool is_frame_size(int size_bits)
{
    return size_bits == seL4_PageBits || size_bits == seL4_LargePageBits ||
           size_bits == seL4_HugePageBits;
}

static seL4_Word frame_type(int size_bits)
{
    return size_bits == seL4_PageBits ? seL4_X86_4K
           : size_bits == seL4_LargePageBits ? seL4_X86_LargePageObject
                                             : seL4_X64_HugePageObject;
}

/* The boot untyped covering [paddr, paddr + 2^size_bits), or -1. */
static int untyped_covering(seL4_BootInfo *bi, uintptr_t paddr, int size_bits)
{
    seL4_Word n = REGION_SIZE(bi->untyped);
    for (seL4_Word i = 0; i < n; i++) {
        seL4_Word base = bi->untypedList[i].paddr;
        seL4_Word size = BIT(bi->untypedList[i].sizeBits);
        if (paddr >= base && paddr - base <= size && size - (paddr - base) >= BIT(size_bits)) {
            return (int)i;
        }
    }
    return -1;
}

static void *sd_frame_info(void *data, void *paddr, int size_bits, seL4_CPtr *cap,
                           seL4_Word *ut_offset)
{
    if (cap == NULL || ut_offset == NULL || size_bits < 0 || size_bits >= seL4_WordBits) {
        ZF_LOGE("bad argument (cap %p, ut_offset %p, size_bits %d)", (void *)cap,
                (void *)ut_offset, size_bits);
        return NULL;
    }
    int i = untyped_covering(BI(data), (uintptr_t)paddr, size_bits);
    if (i < 0) {
        ZF_LOGE("no boot untyped covers paddr %p size_bits %d", paddr, size_bits);
        *cap = seL4_CapNull;
        return NULL;
    }
    *cap = BI(data)->untyped.start + i;
    *ut_offset = (uintptr_t)paddr - BI(data)->untypedList[i].paddr;
    return NULL; /* simple-default never knows a mapping */
}

/* As in seL4: retype a frame out of the boot untyped that starts exactly at paddr. */
static seL4_Error sd_frame_cap(void *data, void *paddr, int size_bits, cspacepath_t *path)
{
    seL4_BootInfo *bi = BI(data);
    if (path == NULL || !is_frame_size(size_bits)) {
        ZF_LOGE("bad argument (path %p, size_bits %d: frames are 12, 21 or 30)", (void *)path,
                size_bits);
        return seL4_InvalidArgument;
    }
    for (seL4_Word i = 0; i < REGION_SIZE(bi->untyped); i++) {
        if (bi->untypedList[i].paddr == (uintptr_t)paddr &&
            bi->untypedList[i].sizeBits >= size_bits) {
            return seL4_Untyped_Retype(bi->untyped.start + i, frame_type(size_bits), size_bits,
                                       path->root, path->dest, path->destDepth, path->offset, 1);
        }
    }
    ZF_LOGE("no boot untyped starts at paddr %p", paddr);
    return seL4_FailedLookup;
}

static void *sd_frame_mapping(void *data, void *paddr, int size_bits)
{
    (void)data;
    (void)paddr;
    (void)size_bits;
    return NULL;
}

static seL4_Error sd_asid_assign(void *data, seL4_CPtr vspace)
{
    (void)data;
    return seL4_X86_ASIDPool_Assign(seL4_CapInitThreadASIDPool, vspace);
}

static int sd_cap_count(void *data)
{
    seL4_BootInfo *bi = BI(data);
    return (int)(ARRAY_SIZE(initial_caps) + REGION_SIZE(bi->sharedFrames) +
                 REGION_SIZE(bi->userImageFrames) + REGION_SIZE(bi->userImagePaging) +
                 REGION_SIZE(bi->ioSpaceCaps) + REGION_SIZE(bi->extraBIPages) +
                 REGION_SIZE(bi->schedcontrol) + REGION_SIZE(bi->untyped));
}

/* The caps in order: the non-empty initial slots, then each BootInfo region. */
static seL4_CPtr sd_nth_cap(void *data, int n)
{
    seL4_BootInfo *bi = BI(data);
    if (n < 0) {
        ZF_LOGE("invalid cap index %d", n);
        return seL4_CapNull;
    }
    seL4_Word i = (seL4_Word)n;
    if (i < ARRAY_SIZE(initial_caps)) {
        return initial_caps[i];
    }
    i -= ARRAY_SIZE(initial_caps);
    const seL4_SlotRegion *regions[] = {
        &bi->sharedFrames, &bi->userImageFrames, &bi->userImagePaging, &bi->ioSpaceCaps,
        &bi->extraBIPages, &bi->schedcontrol, &bi->untyped,
    };
    for (size_t r = 0; r < ARRAY_SIZE(regions); r++) {
        if (i < REGION_SIZE(*regions[r])) {
            return regions[r]->start + i;
        }
        i -= REGION_SIZE(*regions[r]);
    }
    ZF_LOGE("cap index %d out of range (%d caps)", n, sd_cap_count(data));
    return seL4_CapNull;
}

static seL4_CPtr sd_init_cap(void *data, seL4_CPtr cap)
{
    (void)data;
    return cap;
}

static uint8_t sd_cnode_size(void *data)
{
    return (uint8_t)BI(data)->initThreadCNodeSizeBits;
}

static int sd_untyped_count(void *data)
{
    return (int)REGION_SIZE(BI(data)->untyped);
}

static seL4_CPtr sd_nth_untyped(void *data, int n, size_t *size_bits, uintptr_t *paddr,
                                bool *device)
{
    seL4_BootInfo *bi = BI(data);
    if (n < 0 || (seL4_Word)n >= REGION_SIZE(bi->untyped)) {
        ZF_LOGE("untyped index %d out of range (%lu untypeds)", n,
                (unsigned long)REGION_SIZE(bi->untyped));
        return seL4_CapNull;
    }
    if (size_bits != NULL) {
        *size_bits = bi->untypedList[n].sizeBits;
    }
    if (paddr != NULL) {
        *paddr = bi->untypedList[n].paddr;
    }
    if (device != NULL) {
        *device = bi->untypedList[n].isDevice != 0;
    }
    return bi->untyped.start + n;
}

static int sd_userimage_count(void *data)
{
    return (int)REGION_SIZE(BI(data)->userImageFrames);
}

static seL4_CPtr sd_nth_userimage(void *data, int n)
{
    seL4_BootInfo *bi = BI(data);
    if (n < 0 || (seL4_Word)n >= REGION_SIZE(bi->userImageFrames)) {
        ZF_LOGE("user image frame index %d out of range (%lu frames)", n,
                (unsigned long)REGION_SIZE(bi->userImageFrames));
        return seL4_CapNull;
    }
    return bi->userImageFrames.start + n;
}

static int sd_core_count(void *data)
{
    return (int)BI(data)->numNodes;
}

static seL4_CPtr sd_sched_ctrl(void *data, int core)
{
    seL4_BootInfo *bi = BI(data);
    if (core < 0 || (seL4_Word)core >= REGION_SIZE(bi->schedcontrol)) {
        ZF_LOGE("no SchedControl cap for core %d", core);
        return seL4_CapNull;
    }
    return bi->schedcontrol.start + core;
}

/* The BootInfo summary, in the format of seL4's debug_print_bootinfo. */
static void sd_print(void *data)
{
    seL4_BootInfo *bi = BI(data);
    printf("Node %lu of %lu\n", (long)bi->nodeID, (long)bi->numNodes);
    printf("IOPT levels:     %u\n", (int)bi->numIOPTLevels);
    printf("IPC buffer:      %p\n", (void *)bi->ipcBuffer);
    printf("Empty slots:     [%lu --> %lu)\n", (long)bi->empty.start, (long)bi->empty.end);
    printf("sharedFrames:    [%lu --> %lu)\n", (long)bi->sharedFrames.start,
           (long)bi->sharedFrames.end);
    printf("userImageFrames: [%lu --> %lu)\n", (long)bi->userImageFrames.start,
           (long)bi->userImageFrames.end);
    printf("userImagePaging: [%lu --> %lu)\n", (long)bi->userImagePaging.start,
           (long)bi->userImagePaging.end);
    printf("untypeds:        [%lu --> %lu)\n", (long)bi->untyped.start, (long)bi->untyped.end);
    printf("Initial thread domain: %u\n", (int)bi->initThreadDomain);
    printf("Initial thread cnode size: %u\n", (int)bi->initThreadCNodeSizeBits);
    printf("List of untypeds\n");
    printf("------------------\n");
    printf("Paddr    | Size   | Device\n");
    int count_by_size[seL4_WordBits] = {0};
    seL4_Word n = REGION_SIZE(bi->untyped);
    for (seL4_Word i = 0; i < n && i < CONFIG_MAX_NUM_BOOTINFO_UNTYPED_CAPS; i++) {
        seL4_UntypedDesc *u = &bi->untypedList[i];
        if (u->sizeBits < seL4_WordBits) {
            count_by_size[u->sizeBits]++;
        }
        printf("%p | %zu | %d\n", (void *)u->paddr, (size_t)u->sizeBits, (int)u->isDevice);
    }
    printf("Untyped summary\n");
    for (int s = 0; s < seL4_WordBits; s++) {
        if (count_by_size[s] != 0) {
            printf("%d untypeds of size %d\n", count_by_size[s], s);
        }
    }
}

/* Find the extended bootinfo chunk with this id (it follows the BootInfo frame). */
static seL4_BootInfoHeader *find_chunk(seL4_BootInfo *bi, seL4_Word type)
{
    uintptr_t cur = (uintptr_t)bi + seL4_BootInfoFrameSize;
    uintptr_t end = cur + bi->extraLen;
    while (cur + sizeof(seL4_BootInfoHeader) <= end) {
        seL4_BootInfoHeader *h = (seL4_BootInfoHeader *)cur;
        if (h->len < sizeof(*h) || h->len > end - cur) {
            ZF_LOGE("corrupt extended bootinfo header at %p (len %lu)", (void *)h,
                    (unsigned long)h->len);
            return NULL;
        }
        if (h->id == type) {
            return h;
        }
        cur += h->len;
    }
    return NULL;
}

static ssize_t sd_extended_bootinfo_len(void *data, seL4_Word type)
{
    seL4_BootInfoHeader *h = find_chunk(BI(data), type);
    if (h == NULL) {
        ZF_LOGE("no extended bootinfo chunk of type %lu", (unsigned long)type);
        return -1;
    }
    return (ssize_t)h->len;
}

static ssize_t sd_extended_bootinfo(void *data, seL4_Word type, void *dest, ssize_t max_len)
{
    if (max_len < 0 || (dest == NULL && max_len > 0)) {
        ZF_LOGE("bad destination (dest %p, max_len %ld)", dest, (long)max_len);
        return -1;
    }
    seL4_BootInfoHeader *h = find_chunk(BI(data), type);
    if (h == NULL) {
        return -1;
    }
    ssize_t n = MIN((ssize_t)h->len, max_len);
    memcpy(dest, h, n);
    return n;
}

/* x86: IRQs through the IOAPIC with seL4's assumptions (one IOAPIC, ISA IRQ 0 on pin 2, ISA
 * IRQs edge/active-high, IRQs >= 16 level/active-low); the vector is the IRQ number. */
static seL4_Error sd_ioapic(void *data, seL4_CNode root, seL4_Word index, uint8_t depth,
                            seL4_Word ioapic, seL4_Word pin, seL4_Word level, seL4_Word polarity,
                            seL4_Word vector)
{
    (void)data;
    return seL4_IRQControl_GetIOAPIC(seL4_CapIRQControl, root, index, depth, ioapic, pin, level,
                                     polarity, vector);
}

static seL4_Error sd_irq(void *data, int irq, seL4_CNode root, seL4_Word index, uint8_t depth)
{
    if (irq < 0) {
        ZF_LOGE("invalid IRQ %d", irq);
        return seL4_InvalidArgument;
    }
    int pin = irq == 0 ? 2 : irq;
    int pci = pin >= 16;
    return sd_ioapic(data, root, index, depth, 0, pin, pci, pci, irq);
}

static seL4_Error sd_msi(void *data, seL4_CNode root, seL4_Word index, uint8_t depth,
                         seL4_Word pci_bus, seL4_Word pci_dev, seL4_Word pci_func,
                         seL4_Word handle, seL4_Word vector)
{
    (void)data;
    return seL4_IRQControl_GetMSI(seL4_CapIRQControl, root, index, depth, pci_bus, pci_dev,
                                  pci_func, handle, vector);
}

static seL4_Error sd_ioport(void *data, uint16_t start_port, uint16_t end_port, seL4_Word root,
                            seL4_Word dest, seL4_Word depth)
{
    (void)data;
    return seL4_X86_IOPortControl_Issue(seL4_CapIOPortControl, start_port, end_port, root, dest,
                                        depth);
}

void simple_default_init_bootinfo(simple_t *simple, seL4_BootInfo *bi)
{
    if (simple == NULL || bi == NULL) {
        ZF_LOGE("%s is NULL", simple == NULL ? "simple" : "bi");
        return;
    }
    *simple = (simple_t){
        .data = bi,
        .frame_cap = sd_frame_cap,
        .frame_mapping = sd_frame_mapping,
        .frame_info = sd_frame_info,
        .ASID_assign = sd_asid_assign,
        .cap_count = sd_cap_count,
        .nth_cap = sd_nth_cap,
        .init_cap = sd_init_cap,
        .cnode_size = sd_cnode_size,
        .untyped_count = sd_untyped_count,
        .nth_untyped = sd_nth_untyped,
        .userimage_count = sd_userimage_count,
        .nth_userimage = sd_nth_userimage,
        .core_count = sd_core_count,
        .print = sd_print,
        .sched_ctrl = sd_sched_ctrl,
        .extended_bootinfo_len = sd_extended_bootinfo_len,
        .extended_bootinfo = sd_extended_bootinfo,
        .arch_simple = {
            .data = bi,
            .IOPort_cap = sd_ioport,
            .msi = sd_msi,
            .irq = sd_irq,
            .ioapic = sd_ioapic,
        },
    };
}
