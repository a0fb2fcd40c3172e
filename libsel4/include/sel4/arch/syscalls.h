/* User-only: never included by the kernel. */
/* x86 has no syscalls beyond the x86_64 ones. */
#pragma once

#include <sel4/sel4_arch/syscalls.h>
