/* seL4 tutorials get the root task's BootInfo through this call. */
#pragma once
#include <sel4/sel4.h>
#include <sel4runtime/bootinfo.h>

static inline seL4_BootInfo *platsupport_get_bootinfo(void) { return sel4runtime_bootinfo(); }
