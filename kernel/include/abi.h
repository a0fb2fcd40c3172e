/* The seL4 ABI facts the kernel uses, from libsel4's shared headers: the one source of truth
 * for numbers and layouts, so that kernel and libsel4 cannot drift apart. */
#pragma once
#include <sel4/types.h>
#include <sel4/constants.h>
#include <sel4/sel4_arch/constants.h>
#include <sel4/arch/constants.h>
#include <sel4/errors.h>
#include <sel4/objecttype.h>
#include <sel4/sel4_arch/objecttype.h>
#include <sel4/arch/objecttype.h>
#include <sel4/syscall.h>
#include <sel4/invocation.h>
#include <sel4/sel4_arch/invocation.h>
#include <sel4/arch/invocation.h>
#include <sel4/shared_types.h>
#include <sel4/bootinfo_types.h>
