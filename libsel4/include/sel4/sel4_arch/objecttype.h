/* Shared with the Cairn kernel: freestanding-safe, no user-only code. */
/* x86_64 object types (ABI sheet §4.1). */
#pragma once

#include <sel4/objecttype.h>

#ifndef __ASSEMBLER__

typedef enum _mode_object {
    seL4_X86_PDPTObject = seL4_NonArchObjectTypeCount, /* 7 */
    seL4_X64_PML4Object,                               /* 8 */
#ifdef CONFIG_HUGE_PAGE
    seL4_X64_HugePageObject,                           /* 9: 1 GiB frame */
#endif
    seL4_ModeObjectTypeCount
} seL4_seL4ArchObjectType;

#define seL4_IA32_PDPTObject seL4_X86_PDPTObject

#ifndef CONFIG_HUGE_PAGE
#define seL4_X64_HugePageObject 0xfffffffe /* placeholder: not retypeable */
#endif

#endif /* !__ASSEMBLER__ */
