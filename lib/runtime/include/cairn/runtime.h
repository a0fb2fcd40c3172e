/* Cairn's user runtime. */
#pragma once
#include <sel4/sel4.h>

/* The BootInfo the kernel gave the root task. */
seL4_BootInfo *cairn_bootinfo(void);
