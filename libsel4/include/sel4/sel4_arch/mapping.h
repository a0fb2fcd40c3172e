/* User-only. seL4's x86_64 name for the mapping-failure helpers (the tutorials include this
 * one); they live in <sel4/arch/mapping.h>. */
#pragma once

#include <sel4/arch/mapping.h>
