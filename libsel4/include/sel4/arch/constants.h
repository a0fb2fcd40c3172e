/* Shared with the Cairn kernel: freestanding-safe, no user-only code. */
/* x86 interrupt vector numbering as libsel4 publishes it (ABI sheet §12.5). */
#pragma once

#include <sel4/sel4_arch/constants.h>

/* A GetIOAPIC/GetMSI `vector` v is CPU vector v + IRQ_OFFSET. */
#ifndef IRQ_OFFSET
#define IRQ_OFFSET (0x20 + 16)
#endif
/*
 * libsel4 advertises 0..109, but the kernel accepts only 0..107
 * (RangeError(0, 107)); vectors 156/157 belong to the kernel.
 */
#ifndef VECTOR_MIN
#define VECTOR_MIN 0
#endif
#ifndef VECTOR_MAX
#define VECTOR_MAX 109
#endif
#ifndef MSI_MIN
#define MSI_MIN 0
#endif
#ifndef MSI_MAX
#define MSI_MAX 109
#endif
