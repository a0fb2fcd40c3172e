/* Shared with the Cairn kernel: freestanding-safe, no user-only code. */
/*
 * seL4 programs include <autoconf.h> to see the kernel build configuration.
 * Cairn has a single configuration, kept in <sel4/config.h>.
 */
#pragma once

#include <sel4/config.h>
