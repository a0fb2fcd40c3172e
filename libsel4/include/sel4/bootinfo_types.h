/* Shared with the Cairn kernel: freestanding-safe, no user-only code. */
/*
 * What the root task receives at boot: initial cap slots, the BootInfo frame
 * and the extra-bootinfo chunk headers (ABI sheet §7).
 */
#pragma once

#include <sel4/config.h>
#include <sel4/macros.h>
#include <sel4/simple_types.h>
#include <sel4/sel4_arch/types.h>
#include <sel4/shared_types.h>

#define seL4_BootInfoFrameBits 12
#define seL4_BootInfoFrameSize LIBSEL4_BIT(seL4_BootInfoFrameBits)

/* Fixed slots of the root CNode (slots that x86_64 MCS leaves empty are marked). */
enum seL4_RootCNodeCapSlots {
    seL4_CapNull = 0,
    seL4_CapInitThreadTCB = 1,
    seL4_CapInitThreadCNode = 2,
    seL4_CapInitThreadVSpace = 3,
    seL4_CapIRQControl = 4,
    seL4_CapASIDControl = 5,
    seL4_CapInitThreadASIDPool = 6,
    seL4_CapIOPortControl = 7,
    seL4_CapIOSpace = 8,           /* empty: no IOMMU */
    seL4_CapBootInfoFrame = 9,
    seL4_CapInitThreadIPCBuffer = 10,
    seL4_CapDomain = 11,
    seL4_CapSMMUSIDControl = 12,   /* empty: ARM only */
    seL4_CapSMMUCBControl = 13,    /* empty: ARM only */
    seL4_CapInitThreadSC = 14,
    seL4_CapSMC = 15,              /* empty: ARM only */
    seL4_NumInitialCaps = 16
};

#define seL4_CapInitThreadPD seL4_CapInitThreadVSpace /* old name */

typedef seL4_Word seL4_SlotPos;

typedef struct seL4_SlotRegion {
    seL4_SlotPos start; /* first slot */
    seL4_SlotPos end;   /* first slot after the region */
} seL4_SlotRegion;

typedef struct seL4_UntypedDesc {
    seL4_Word paddr;
    seL4_Uint8 sizeBits;
    seL4_Uint8 isDevice;
    seL4_Uint8 padding[sizeof(seL4_Word) - 2 * sizeof(seL4_Uint8)];
} seL4_UntypedDesc;

typedef seL4_Word seL4_NodeId;
typedef seL4_Word seL4_Domain;

typedef struct seL4_BootInfo {
    seL4_Word extraLen;               /* bytes of extra bootinfo after this frame */
    seL4_NodeId nodeID;
    seL4_Word numNodes;
    seL4_Word numIOPTLevels;          /* (seL4_Word)-1 without an IOMMU */
    seL4_IPCBuffer *ipcBuffer;        /* the root task's IPC buffer */
    seL4_SlotRegion empty;            /* free slots of the root CNode */
    seL4_SlotRegion sharedFrames;
    seL4_SlotRegion userImageFrames;  /* in ascending vaddr order */
    seL4_SlotRegion userImagePaging;  /* PDPTs, then PDs, then PTs */
    seL4_SlotRegion ioSpaceCaps;
    seL4_SlotRegion extraBIPages;
    seL4_Word initThreadCNodeSizeBits;
    seL4_Domain initThreadDomain;
#ifdef CONFIG_KERNEL_MCS
    seL4_SlotRegion schedcontrol;     /* one SchedControl cap per core */
#endif
    seL4_SlotRegion untyped;
    seL4_UntypedDesc untypedList[CONFIG_MAX_NUM_BOOTINFO_UNTYPED_CAPS]; /* [i] is slot untyped.start + i */
} seL4_BootInfo;

/* Each extra-bootinfo chunk starts with this header; len includes it. */
typedef struct seL4_BootInfoHeader {
    seL4_Word id;
    seL4_Word len;
} seL4_BootInfoHeader;

typedef enum {
    SEL4_BOOTINFO_HEADER_PADDING = 0,
    SEL4_BOOTINFO_HEADER_X86_VBE = 1,
    SEL4_BOOTINFO_HEADER_X86_MBMMAP = 2,
    SEL4_BOOTINFO_HEADER_X86_ACPI_RSDP = 3,
    SEL4_BOOTINFO_HEADER_X86_FRAMEBUFFER = 4,
    SEL4_BOOTINFO_HEADER_X86_TSC_FREQ = 5, /* payload: seL4_Uint32 MHz */
    SEL4_BOOTINFO_HEADER_FDT = 6,
    SEL4_BOOTINFO_HEADER_NUM,
    SEL4_FORCE_LONG_ENUM(seL4_BootInfoID),
} seL4_BootInfoID;

SEL4_COMPILE_ASSERT(seL4_UntypedDesc_size, sizeof(seL4_UntypedDesc) == 2 * sizeof(seL4_Word))
SEL4_COMPILE_ASSERT(seL4_BootInfo_fits_frame, sizeof(seL4_BootInfo) <= seL4_BootInfoFrameSize)

#include <sel4/arch/bootinfo_types.h>
