/* Architecture part of libsel4utils' util.h: x86 has nothing beyond the x86_64 helpers. */
#pragma once

#include <sel4utils/sel4_arch/util.h>
