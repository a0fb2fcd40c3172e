/* Shared with the Cairn kernel: freestanding-safe, no user-only code. */
/* Error codes: the label of an invocation's reply (ABI sheet §6). */
#pragma once

#include <sel4/macros.h>

typedef enum {
    seL4_NoError = 0,
    seL4_InvalidArgument = 1,   /* MR0: index of the bad argument */
    seL4_InvalidCapability = 2, /* MR0: index of the bad cap */
    seL4_IllegalOperation = 3,
    seL4_RangeError = 4,        /* MR0: minimum, MR1: maximum allowed */
    seL4_AlignmentError = 5,
    seL4_FailedLookup = 6,      /* MR0: source lookup?, MR1..: lookup failure */
    seL4_TruncatedMessage = 7,
    seL4_DeleteFirst = 8,
    seL4_RevokeFirst = 9,
    seL4_NotEnoughMemory = 10,  /* MR0: bytes available */
    seL4_NumErrors = 11,
    SEL4_FORCE_LONG_ENUM(seL4_Error),
} seL4_Error;
