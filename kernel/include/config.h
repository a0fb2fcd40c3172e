/* Kernel build configuration. Values users can see come from libsel4's <sel4/config.h>. */
#pragma once
#include <sel4/config.h>

/* Physical memory the kernel can address through its window (2 MiB pages). RAM above this
 * limit is handed out as device untyped, like seL4 does above its PADDR_TOP. */
#define KERNEL_WINDOW_GIB 16

#define KERNEL_STACK_BITS 14 /* one kernel stack: 16 KiB */
