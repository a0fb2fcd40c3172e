/* User-only: never included by the kernel (reads the IPC buffer). */
/* Decoding fault messages and building timeout-fault replies (ABI sheet §11). */
#pragma once

#include <sel4/types.h>
#include <sel4/functions.h>
#include <sel4/sel4_arch/faults.h>

/*
 * Decode the fault message just received with `tag` (its MR0..MR3 must be in
 * the IPC buffer, as seL4_Recv and friends leave them). Unknown labels give a
 * NullFault.
 */
LIBSEL4_INLINE_FUNC seL4_Fault_t seL4_getFault(seL4_MessageInfo_t tag)
{
    seL4_Word type = seL4_MessageInfo_get_label(tag);
    seL4_Word n = libsel4_fault_length(type);
    seL4_Word mrs[LIBSEL4_FAULT_MAX_MRS];

    for (seL4_Word i = 0; i < n; i++) {
        mrs[i] = seL4_GetMR((int)i);
    }
    return n != 0 ? libsel4_fault_make(type, mrs) : seL4_Fault_NullFault_new();
}

LIBSEL4_INLINE_FUNC seL4_Bool seL4_isNullFault_tag(seL4_MessageInfo_t tag)
{
    return seL4_MessageInfo_get_label(tag) == seL4_Fault_NullFault;
}

LIBSEL4_INLINE_FUNC seL4_Bool seL4_isCapFault_tag(seL4_MessageInfo_t tag)
{
    return seL4_MessageInfo_get_label(tag) == seL4_Fault_CapFault;
}

LIBSEL4_INLINE_FUNC seL4_Bool seL4_isUnknownSyscall_tag(seL4_MessageInfo_t tag)
{
    return seL4_MessageInfo_get_label(tag) == seL4_Fault_UnknownSyscall;
}

LIBSEL4_INLINE_FUNC seL4_Bool seL4_isUserException_tag(seL4_MessageInfo_t tag)
{
    return seL4_MessageInfo_get_label(tag) == seL4_Fault_UserException;
}

LIBSEL4_INLINE_FUNC seL4_Bool seL4_isVMFault_tag(seL4_MessageInfo_t tag)
{
    return seL4_MessageInfo_get_label(tag) == seL4_Fault_VMFault;
}

LIBSEL4_INLINE_FUNC seL4_Bool seL4_isTimeoutFault_tag(seL4_MessageInfo_t tag)
{
    return seL4_MessageInfo_get_label(tag) == seL4_Fault_Timeout;
}

/*
 * Reply to a timeout fault: the first `length` words of regs (in
 * seL4_TimeoutReply order, which is seL4_UserContext order) go into MR0..;
 * label 0 resumes the thread, any other label leaves it inactive.
 */
LIBSEL4_INLINE_FUNC seL4_MessageInfo_t seL4_TimeoutReply_new(seL4_Bool resume, seL4_UserContext regs, seL4_Word length)
{
    seL4_Word words = sizeof(seL4_UserContext) / sizeof(seL4_Word);

    for (seL4_Word i = 0; i < length && i < words; i++) {
        seL4_SetMR((int)i, *libsel4_user_context_word(&regs, i));
    }
    return seL4_MessageInfo_new(!resume, 0, 0, length);
}
