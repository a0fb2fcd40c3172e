/* Shared with the Cairn kernel: freestanding-safe, no user-only code. */
/* x86 object types (ABI sheet §4.1). */
#pragma once

#include <sel4/sel4_arch/objecttype.h>

#ifndef __ASSEMBLER__

typedef enum _object {
    seL4_X86_4K = seL4_ModeObjectTypeCount, /* 10 */
    seL4_X86_LargePageObject,               /* 11: 2 MiB frame */
    seL4_X86_PageTableObject,               /* 12 */
    seL4_X86_PageDirectoryObject,           /* 13 */
#ifdef CONFIG_IOMMU
    seL4_X86_IOPageTableObject,
#endif
#ifdef CONFIG_VTX
    seL4_X86_VCPUObject,
    seL4_X86_EPTPML4Object,
    seL4_X86_EPTPDPTObject,
    seL4_X86_EPTPDObject,
    seL4_X86_EPTPTObject,
#endif
    seL4_ObjectTypeCount                    /* 14 */
} seL4_ArchObjectType;

/* Placeholders for types absent from this configuration (never retypeable). */
#ifndef CONFIG_IOMMU
#define seL4_X86_IOPageTableObject 0xffffff
#endif
#ifndef CONFIG_VTX
#define seL4_X86_VCPUObject    0xfffffe
#define seL4_X86_EPTPML4Object 0xfffffd
#define seL4_X86_EPTPDPTObject 0xfffffc
#define seL4_X86_EPTPDObject   0xfffffb
#define seL4_X86_EPTPTObject   0xfffffa
#endif

#endif /* !__ASSEMBLER__ */
