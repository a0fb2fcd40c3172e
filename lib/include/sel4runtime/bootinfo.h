#pragma once
#include <sel4/sel4.h>
seL4_BootInfo *sel4runtime_bootinfo(void);
