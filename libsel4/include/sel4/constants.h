/* Shared with the Cairn kernel: freestanding-safe, no user-only code. */
/* Architecture-independent constants of the seL4 MCS ABI. */
#pragma once

#include <sel4/config.h>
#include <sel4/macros.h>

/* Capability word layouts (ABI sheet §2) */
#define seL4_GuardSizeBits 6
#define seL4_GuardBits     58
#define seL4_BadgeBits     64
#define seL4_CapRightsBits 4

#define seL4_UntypedRetypeMaxObjects CONFIG_RETYPE_FAN_OUT_LIMIT

#define seL4_MsgMaxExtraCaps (LIBSEL4_BIT(seL4_MsgExtraCapBits) - 1)

/* Scheduling-context sizes: a 2^b byte SC holds (2^b - core) / refill refills. */
#define seL4_MinSchedContextBits   7
#define seL4_CoreSchedContextBytes (10 * 8 + 6 * 8)
#define seL4_RefillSizeBytes       (2 * 8)
#define seL4_MaxExtraRefills(size) \
    ((LIBSEL4_BIT(size) - seL4_CoreSchedContextBytes) / seL4_RefillSizeBytes)

#ifndef __ASSEMBLER__

enum priorityConstants {
    seL4_InvalidPrio = -1,
    seL4_MinPrio = 0,
    seL4_MaxPrio = CONFIG_NUM_PRIORITIES - 1,
};

enum seL4_MsgLimits {
    seL4_MsgLengthBits = 7,
    seL4_MsgExtraCapBits = 2,
    seL4_MsgMaxLength = 120,
};

/* Kind of lookup failure reported in FailedLookup errors and cap faults (§6, §8). */
typedef enum {
    seL4_NoFailure = 0,
    seL4_InvalidRoot = 1,
    seL4_MissingCapability = 2,
    seL4_DepthMismatch = 3,
    seL4_GuardMismatch = 4,
    SEL4_FORCE_LONG_ENUM(seL4_LookupFailureType),
} seL4_LookupFailureType;

/* Message register indices of a cap fault (label seL4_Fault_CapFault, §11). */
typedef enum {
    seL4_CapFault_IP = 0,
    seL4_CapFault_Addr = 1,
    seL4_CapFault_InRecvPhase = 2,
    seL4_CapFault_LookupFailureType = 3,
    seL4_CapFault_BitsLeft = 4,
    seL4_CapFault_DepthMismatch_BitsFound = 5,
    seL4_CapFault_GuardMismatch_GuardFound = seL4_CapFault_DepthMismatch_BitsFound,
    seL4_CapFault_GuardMismatch_BitsFound = 6,
    SEL4_FORCE_LONG_ENUM(seL4_CapFault_Msg),
} seL4_CapFault_Msg;

/* TCB_SetFlags flags */
typedef enum {
    seL4_TCBFlag_NoFlag = 0x0,
    seL4_TCBFlag_fpuDisabled = 0x1,
    SEL4_FORCE_LONG_ENUM(seL4_TCBFlag),
#ifdef CONFIG_HAVE_FPU
    seL4_TCBFlag_MASK = seL4_TCBFlag_fpuDisabled,
#else
    seL4_TCBFlag_MASK = seL4_TCBFlag_NoFlag,
#endif
} seL4_TCBFlag;

/* SchedControl_ConfigureFlags flags */
typedef enum {
    seL4_SchedContext_NoFlag = 0x0,
    seL4_SchedContext_Sporadic = 0x1,
    SEL4_FORCE_LONG_ENUM(seL4_SchedContextFlag),
} seL4_SchedContextFlag;

#endif /* !__ASSEMBLER__ */
