/* Shared with the Cairn kernel: freestanding-safe, no user-only code. */
/*
 * Syscall numbers, passed in RDX (ABI sheet §1.1). seL4 numbers every entry
 * of its syscall list whether or not it is configured, so these are fixed
 * for 16.0.0 MCS. Only -11..-1 are "normal" syscalls; the kernel treats the
 * rest as unknown-syscall traps that it services when configured.
 */
#pragma once

#include <sel4/macros.h>

#ifndef __ASSEMBLER__

typedef enum seL4_Syscall_ID {
    seL4_SysCall = -1,
    seL4_SysReplyRecv = -2,
    seL4_SysNBSendRecv = -3,
    seL4_SysNBSendWait = -4,
    seL4_SysSend = -5,
    seL4_SysNBSend = -6,
    seL4_SysRecv = -7,
    seL4_SysNBRecv = -8,
    seL4_SysWait = -9,
    seL4_SysNBWait = -10,
    seL4_SysYield = -11,
    seL4_SysDebugPutChar = -12,
    seL4_SysDebugDumpScheduler = -13,
    seL4_SysDebugHalt = -14,
    seL4_SysDebugCapIdentify = -15,
    seL4_SysDebugSnapshot = -16,
    seL4_SysDebugNameThread = -17,
    seL4_SysDebugSendIPI = -18,
    seL4_SysDebugGetThreadAffinity = -19, /* new in 16.0.0: shifts everything below */
    seL4_SysDebugRun = -20,
    seL4_SysBenchmarkFlushCaches = -21,
    seL4_SysBenchmarkResetLog = -22,
    seL4_SysBenchmarkFinalizeLog = -23,
    seL4_SysBenchmarkSetLogBuffer = -24,
    seL4_SysBenchmarkNullSyscall = -25,
    seL4_SysBenchmarkGetThreadUtilisation = -26,
    seL4_SysBenchmarkResetThreadUtilisation = -27,
    seL4_SysBenchmarkDumpAllThreadsUtilisation = -28,
    seL4_SysBenchmarkResetAllThreadsUtilisation = -29,
    seL4_SysX86DangerousWRMSR = -30,
    seL4_SysX86DangerousRDMSR = -31,
    seL4_SysVMEnter = -32,
    seL4_SysSetTLSBase = -33, /* -32 in seL4 13.0.0 .. 15.0.0 */
    SEL4_FORCE_LONG_ENUM(seL4_Syscall_ID),
} seL4_Syscall_ID;

#endif /* !__ASSEMBLER__ */
