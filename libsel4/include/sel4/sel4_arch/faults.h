/* User-only: never included by the kernel. */
/*
 * seL4_Fault_t: a fault message decoded from the message registers, with
 * seL4's accessor names (seL4_Fault_VMFault_get_Addr, ...). The storage
 * layout is private to this header (it is not the kernel's).
 */
#pragma once

#include <sel4/types.h>

#define LIBSEL4_FAULT_MAX_MRS seL4_UnknownSyscall_Length

typedef struct seL4_Fault {
    seL4_Uint64 words[1 + LIBSEL4_FAULT_MAX_MRS]; /* [0]: fault type, [1 + i]: fault MR i */
} seL4_Fault_t;

/* Number of MRs a fault of each type carries (a CapFault carries 4 to 7; 7 are read). */
LIBSEL4_INLINE_FUNC seL4_Word libsel4_fault_length(seL4_Word type)
{
    switch (type) {
    case seL4_Fault_CapFault:
        return seL4_CapFault_GuardMismatch_BitsFound + 1;
    case seL4_Fault_UnknownSyscall:
        return seL4_UnknownSyscall_Length;
    case seL4_Fault_UserException:
        return seL4_UserException_Length;
    case seL4_Fault_VMFault:
        return seL4_VMFault_Length;
    case seL4_Fault_Timeout:
        return seL4_Timeout_Length;
    default:
        return 0;
    }
}

LIBSEL4_INLINE_FUNC seL4_Fault_t libsel4_fault_make(seL4_Word type, const seL4_Word *mrs)
{
    seL4_Fault_t f = { { 0 } };
    seL4_Word n = libsel4_fault_length(type);

    f.words[0] = type;
    for (seL4_Word i = 0; i < n; i++) {
        f.words[1 + i] = mrs[i];
    }
    return f;
}

LIBSEL4_INLINE_FUNC seL4_Uint64 seL4_Fault_get_seL4_FaultType(seL4_Fault_t f)
{
    return f.words[0];
}

LIBSEL4_INLINE_FUNC seL4_Uint64 seL4_Fault_ptr_get_seL4_FaultType(const seL4_Fault_t *f)
{
    return f->words[0];
}

/* seL4_Fault_<KIND>_get_<F>, _set_<F>, _ptr_get_<F>, _ptr_set_<F> for fault MR `index` */
#define SEL4_FAULT_FIELD(KIND, F, index)                                                  \
    LIBSEL4_INLINE_FUNC seL4_Uint64 seL4_Fault_##KIND##_get_##F(seL4_Fault_t f)           \
    {                                                                                     \
        return f.words[1 + (index)];                                                      \
    }                                                                                     \
    LIBSEL4_INLINE_FUNC seL4_Fault_t seL4_Fault_##KIND##_set_##F(seL4_Fault_t f,          \
                                                                 seL4_Uint64 v)           \
    {                                                                                     \
        f.words[1 + (index)] = v;                                                         \
        return f;                                                                         \
    }                                                                                     \
    LIBSEL4_INLINE_FUNC seL4_Uint64 seL4_Fault_##KIND##_ptr_get_##F(const seL4_Fault_t *f) \
    {                                                                                     \
        return f->words[1 + (index)];                                                     \
    }                                                                                     \
    LIBSEL4_INLINE_FUNC void seL4_Fault_##KIND##_ptr_set_##F(seL4_Fault_t *f, seL4_Uint64 v) \
    {                                                                                     \
        f->words[1 + (index)] = v;                                                        \
    }

SEL4_FAULT_FIELD(CapFault, IP, seL4_CapFault_IP)
SEL4_FAULT_FIELD(CapFault, Addr, seL4_CapFault_Addr)
SEL4_FAULT_FIELD(CapFault, InRecvPhase, seL4_CapFault_InRecvPhase)
SEL4_FAULT_FIELD(CapFault, LookupFailureType, seL4_CapFault_LookupFailureType)
SEL4_FAULT_FIELD(CapFault, MR4, 4)
SEL4_FAULT_FIELD(CapFault, MR5, 5)
SEL4_FAULT_FIELD(CapFault, MR6, 6)

SEL4_FAULT_FIELD(UnknownSyscall, RAX, seL4_UnknownSyscall_RAX)
SEL4_FAULT_FIELD(UnknownSyscall, RBX, seL4_UnknownSyscall_RBX)
SEL4_FAULT_FIELD(UnknownSyscall, RCX, seL4_UnknownSyscall_RCX)
SEL4_FAULT_FIELD(UnknownSyscall, RDX, seL4_UnknownSyscall_RDX)
SEL4_FAULT_FIELD(UnknownSyscall, RSI, seL4_UnknownSyscall_RSI)
SEL4_FAULT_FIELD(UnknownSyscall, RDI, seL4_UnknownSyscall_RDI)
SEL4_FAULT_FIELD(UnknownSyscall, RBP, seL4_UnknownSyscall_RBP)
SEL4_FAULT_FIELD(UnknownSyscall, R8, seL4_UnknownSyscall_R8)
SEL4_FAULT_FIELD(UnknownSyscall, R9, seL4_UnknownSyscall_R9)
SEL4_FAULT_FIELD(UnknownSyscall, R10, seL4_UnknownSyscall_R10)
SEL4_FAULT_FIELD(UnknownSyscall, R11, seL4_UnknownSyscall_R11)
SEL4_FAULT_FIELD(UnknownSyscall, R12, seL4_UnknownSyscall_R12)
SEL4_FAULT_FIELD(UnknownSyscall, R13, seL4_UnknownSyscall_R13)
SEL4_FAULT_FIELD(UnknownSyscall, R14, seL4_UnknownSyscall_R14)
SEL4_FAULT_FIELD(UnknownSyscall, R15, seL4_UnknownSyscall_R15)
SEL4_FAULT_FIELD(UnknownSyscall, FaultIP, seL4_UnknownSyscall_FaultIP)
SEL4_FAULT_FIELD(UnknownSyscall, RSP, seL4_UnknownSyscall_SP)
SEL4_FAULT_FIELD(UnknownSyscall, FLAGS, seL4_UnknownSyscall_FLAGS)
SEL4_FAULT_FIELD(UnknownSyscall, Syscall, seL4_UnknownSyscall_Syscall)

SEL4_FAULT_FIELD(UserException, FaultIP, seL4_UserException_FaultIP)
SEL4_FAULT_FIELD(UserException, Stack, seL4_UserException_SP)
SEL4_FAULT_FIELD(UserException, FLAGS, seL4_UserException_FLAGS)
SEL4_FAULT_FIELD(UserException, Number, seL4_UserException_Number)
SEL4_FAULT_FIELD(UserException, Code, seL4_UserException_Code)

SEL4_FAULT_FIELD(VMFault, IP, seL4_VMFault_IP)
SEL4_FAULT_FIELD(VMFault, Addr, seL4_VMFault_Addr)
SEL4_FAULT_FIELD(VMFault, PrefetchFault, seL4_VMFault_PrefetchFault)
SEL4_FAULT_FIELD(VMFault, FSR, seL4_VMFault_FSR)

SEL4_FAULT_FIELD(Timeout, data, seL4_Timeout_Data)
SEL4_FAULT_FIELD(Timeout, consumed, seL4_Timeout_Consumed)

LIBSEL4_INLINE_FUNC seL4_Fault_t seL4_Fault_NullFault_new(void)
{
    return libsel4_fault_make(seL4_Fault_NullFault, seL4_Null);
}

LIBSEL4_INLINE_FUNC seL4_Fault_t seL4_Fault_CapFault_new(seL4_Uint64 IP, seL4_Uint64 Addr, seL4_Uint64 InRecvPhase,
                                                         seL4_Uint64 LookupFailureType, seL4_Uint64 MR4,
                                                         seL4_Uint64 MR5, seL4_Uint64 MR6)
{
    const seL4_Word mrs[] = { IP, Addr, InRecvPhase, LookupFailureType, MR4, MR5, MR6 };
    return libsel4_fault_make(seL4_Fault_CapFault, mrs);
}

LIBSEL4_INLINE_FUNC seL4_Fault_t seL4_Fault_UnknownSyscall_new(
    seL4_Uint64 RAX, seL4_Uint64 RBX, seL4_Uint64 RCX, seL4_Uint64 RDX, seL4_Uint64 RSI, seL4_Uint64 RDI,
    seL4_Uint64 RBP, seL4_Uint64 R8, seL4_Uint64 R9, seL4_Uint64 R10, seL4_Uint64 R11, seL4_Uint64 R12,
    seL4_Uint64 R13, seL4_Uint64 R14, seL4_Uint64 R15, seL4_Uint64 FaultIP, seL4_Uint64 RSP,
    seL4_Uint64 FLAGS, seL4_Uint64 Syscall)
{
    const seL4_Word mrs[] = { RAX, RBX, RCX, RDX, RSI, RDI, RBP, R8, R9, R10, R11, R12, R13, R14, R15,
                              FaultIP, RSP, FLAGS, Syscall };
    return libsel4_fault_make(seL4_Fault_UnknownSyscall, mrs);
}

LIBSEL4_INLINE_FUNC seL4_Fault_t seL4_Fault_UserException_new(seL4_Uint64 FaultIP, seL4_Uint64 Stack,
                                                              seL4_Uint64 FLAGS, seL4_Uint64 Number,
                                                              seL4_Uint64 Code)
{
    const seL4_Word mrs[] = { FaultIP, Stack, FLAGS, Number, Code };
    return libsel4_fault_make(seL4_Fault_UserException, mrs);
}

LIBSEL4_INLINE_FUNC seL4_Fault_t seL4_Fault_VMFault_new(seL4_Uint64 IP, seL4_Uint64 Addr, seL4_Uint64 PrefetchFault,
                                                        seL4_Uint64 FSR)
{
    const seL4_Word mrs[] = { IP, Addr, PrefetchFault, FSR };
    return libsel4_fault_make(seL4_Fault_VMFault, mrs);
}

LIBSEL4_INLINE_FUNC seL4_Fault_t seL4_Fault_Timeout_new(seL4_Uint64 data, seL4_Uint64 consumed)
{
    const seL4_Word mrs[] = { data, consumed };
    return libsel4_fault_make(seL4_Fault_Timeout, mrs);
}
