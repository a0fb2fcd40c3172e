/* User-only: never included by the kernel. */
/*
 * seL4_Fail / seL4_Assert report through __assert_fail, which the C library
 * (or the program) provides.
 */
#pragma once

#include <sel4/macros.h>

/* glibc declares the line as unsigned int; musl and seL4 use int. */
#if defined(__GLIBC__)
void __assert_fail(const char *str, const char *file, unsigned int line, const char *function);
#else
void __assert_fail(const char *str, const char *file, int line, const char *function);
#endif

#define seL4_Fail(s) __assert_fail(s, __FILE__, __LINE__, __func__)

#define seL4_Assert(expr)                                            \
    do {                                                             \
        if (!(expr)) {                                               \
            __assert_fail(#expr, __FILE__, __LINE__, __func__);      \
        }                                                            \
    } while (0)

#define seL4_CompileTimeAssert(expr) SEL4_COMPILE_ASSERT(seL4_CompileTimeAssert, expr)
