/* User-only: never included by the kernel. */
/* Assertions that exist only in debug builds. */
#pragma once

#include <sel4/config.h>
#include <sel4/assert.h>

#ifdef CONFIG_DEBUG_BUILD
#define seL4_DebugAssert(expr) seL4_Assert(expr)
#define seL4_DebugCompileTimeAssert(expr) seL4_CompileTimeAssert(expr)
#else
#define seL4_DebugAssert(expr) ((void)0)
#define seL4_DebugCompileTimeAssert(expr)
#endif
