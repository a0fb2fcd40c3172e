/* Shared with the Cairn kernel: freestanding-safe, no user-only code. */
/* Every ABI type and constant; includes no user-only code. */
#pragma once

#include <sel4/config.h>
#include <sel4/macros.h>
#include <sel4/simple_types.h>
#include <sel4/sel4_arch/types.h>
#include <sel4/arch/types.h>
#include <sel4/errors.h>
#include <sel4/constants.h>
#include <sel4/sel4_arch/constants.h>
#include <sel4/arch/constants.h>
#include <sel4/plat/api/constants.h>
#include <sel4/syscall.h>
#include <sel4/invocation.h>
#include <sel4/sel4_arch/invocation.h>
#include <sel4/arch/invocation.h>
#include <sel4/objecttype.h>
#include <sel4/sel4_arch/objecttype.h>
#include <sel4/arch/objecttype.h>
#include <sel4/shared_types.h>
#include <sel4/bootinfo_types.h>

/* Capability pointer typedefs naming the object a cap should refer to */
typedef seL4_CPtr seL4_CNode;
typedef seL4_CPtr seL4_IRQHandler;
typedef seL4_CPtr seL4_IRQControl;
typedef seL4_CPtr seL4_TCB;
typedef seL4_CPtr seL4_Untyped;
typedef seL4_CPtr seL4_DomainSet;
typedef seL4_CPtr seL4_SchedContext;
typedef seL4_CPtr seL4_SchedControl;

typedef seL4_Word seL4_PAddr;
typedef seL4_Uint64 seL4_Time; /* microseconds in every MCS interface */

#define seL4_NilData 0
