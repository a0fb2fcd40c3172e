/* Shared with the Cairn kernel: freestanding-safe, no user-only code. */
/* x86_64 invocation labels (ABI sheet §5.1 column A). */
#pragma once

#include <sel4/invocation.h>

#ifndef __ASSEMBLER__

enum sel4_arch_invocation_label {
    X86PDPTMap = nInvocationLabels, /* 39 */
    X86PDPTUnmap,                   /* 40 */
    nSeL4ArchInvocationLabels
};

#endif /* !__ASSEMBLER__ */
