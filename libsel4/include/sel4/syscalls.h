/* User-only: never included by the kernel. */
/* The system calls; the register-level stubs are architecture specific. */
#pragma once

#include <sel4/types.h>
#include <sel4/functions.h>
#include <sel4/arch/syscalls.h>

/* Non-blocking check of a notification (MCS: NBWait). */
LIBSEL4_INLINE_FUNC seL4_MessageInfo_t seL4_Poll(seL4_CPtr src, seL4_Word *sender)
{
    return seL4_NBWait(src, sender);
}

#ifdef CONFIG_PRINTING
LIBSEL4_INLINE_FUNC void seL4_DebugPutString(const char *str)
{
    for (const char *s = str; *s != '\0'; s++) {
        seL4_DebugPutChar(*s);
    }
}
#endif
