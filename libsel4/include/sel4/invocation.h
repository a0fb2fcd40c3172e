/* Shared with the Cairn kernel: freestanding-safe, no user-only code. */
/*
 * Generic invocation labels: the MessageInfo label of a seL4_Call to a kernel
 * object. Numbers are those of ABI sheet §5.1 column A (MCS, no
 * hardware-debug API); the arch-specific labels continue after
 * nInvocationLabels in <sel4/sel4_arch/invocation.h> and <sel4/arch/invocation.h>.
 */
#pragma once

#include <sel4/config.h>

#ifndef __ASSEMBLER__

enum invocation_label {
    InvalidInvocation = 0,
    UntypedRetype = 1,
    TCBReadRegisters = 2,
    TCBWriteRegisters = 3,
    TCBCopyRegisters = 4,
    TCBConfigure = 5,
    TCBSetPriority = 6,
    TCBSetMCPriority = 7,
    TCBSetSchedParams = 8,
    TCBSetTimeoutEndpoint = 9,
    TCBSetIPCBuffer = 10,
    TCBSetSpace = 11,
    TCBSuspend = 12,
    TCBResume = 13,
    TCBBindNotification = 14,
    TCBUnbindNotification = 15,
    TCBSetTLSBase = 16,
    TCBSetFlags = 17,
    CNodeRevoke = 18,
    CNodeDelete = 19,
    CNodeCancelBadgedSends = 20,
    CNodeCopy = 21,
    CNodeMint = 22,
    CNodeMove = 23,
    CNodeMutate = 24,
    CNodeRotate = 25,
    IRQIssueIRQHandler = 26,
    IRQAckIRQ = 27,
    IRQSetIRQHandler = 28,
    IRQClearIRQHandler = 29,
    DomainSetSet = 30,
    DomainScheduleConfigure = 31,
    DomainScheduleSetStart = 32,
    SchedControlConfigureFlags = 33,
    SchedContextBind = 34,
    SchedContextUnbind = 35,
    SchedContextUnbindObject = 36,
    SchedContextConsumed = 37,
    SchedContextYieldTo = 38,
    nInvocationLabels
};

#endif /* !__ASSEMBLER__ */
