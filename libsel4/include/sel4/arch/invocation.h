/* Shared with the Cairn kernel: freestanding-safe, no user-only code. */
/*
 * x86 invocation labels (ABI sheet §5.1 column A: no IOMMU, so no
 * IOPageTable/MapIO labels; no VT-x).
 */
#pragma once

#include <sel4/sel4_arch/invocation.h>

#ifndef __ASSEMBLER__

enum arch_invocation_label {
    X86PageDirectoryMap = nSeL4ArchInvocationLabels, /* 41 */
    X86PageDirectoryUnmap,                           /* 42 */
    X86PageTableMap,                                 /* 43 */
    X86PageTableUnmap,                               /* 44 */
    X86PageMap,                                      /* 45 */
    X86PageUnmap,                                    /* 46 */
    X86PageGetAddress,                               /* 47 */
    X86ASIDControlMakePool,                          /* 48 */
    X86ASIDPoolAssign,                               /* 49 */
    X86IOPortControlIssue,                           /* 50 */
    X86IOPortIn8,                                    /* 51 */
    X86IOPortIn16,                                   /* 52 */
    X86IOPortIn32,                                   /* 53 */
    X86IOPortOut8,                                   /* 54 */
    X86IOPortOut16,                                  /* 55 */
    X86IOPortOut32,                                  /* 56 */
    X86IRQIssueIRQHandlerIOAPIC,                     /* 57 */
    X86IRQIssueIRQHandlerMSI,                        /* 58 */
    nArchInvocationLabels
};

#endif /* !__ASSEMBLER__ */
