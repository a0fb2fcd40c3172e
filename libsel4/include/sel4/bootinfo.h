/* Shared with the Cairn kernel: freestanding-safe, no user-only code. */
/*
 * BootInfo types. seL4_GetBootInfo() is not declared here: the runtime
 * (sel4runtime's role) provides it.
 */
#pragma once

#include <sel4/bootinfo_types.h>
