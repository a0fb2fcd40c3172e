/* Shared with the Cairn kernel: freestanding-safe, no user-only code. */
/*
 * Object types for Untyped_Retype (ABI sheet §4.1). Generic types first; the
 * x86_64 and x86 types continue in <sel4/sel4_arch/objecttype.h> and
 * <sel4/arch/objecttype.h>, ending at seL4_ObjectTypeCount.
 */
#pragma once

#include <sel4/config.h>

#ifndef __ASSEMBLER__

typedef enum api_object {
    seL4_UntypedObject = 0,
    seL4_TCBObject = 1,
    seL4_EndpointObject = 2,
    seL4_NotificationObject = 3,
    seL4_CapTableObject = 4,
#ifdef CONFIG_KERNEL_MCS
    seL4_SchedContextObject = 5,
    seL4_ReplyObject = 6,
#endif
    seL4_NonArchObjectTypeCount
} seL4_ObjectType;

#endif /* !__ASSEMBLER__ */
