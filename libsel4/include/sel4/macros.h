/* Shared with the Cairn kernel: freestanding-safe, no user-only code. */
/* Compiler helpers used throughout libsel4 (seL4's names). */
#pragma once

#include <sel4/config.h>

#define SEL4_PACKED                 __attribute__((__packed__))
#define SEL4_DEPRECATED(msg)        __attribute__((__deprecated__(msg)))
#define SEL4_DEPRECATE_MACRO(x)     _Pragma("deprecated") x
#define SEL4_OFFSETOF(type, member) __builtin_offsetof(type, member)

#define LIBSEL4_UNUSED   __attribute__((__unused__))
#define LIBSEL4_WEAK     __attribute__((__weak__))
#define LIBSEL4_NOINLINE __attribute__((__noinline__))

/* Every libsel4 function is a header-only static inline. */
#define LIBSEL4_INLINE      static inline
#define LIBSEL4_INLINE_FUNC static inline

#define LIBSEL4_BIT(n) (1ul << (n))

#if defined(__STDC_VERSION__) && (__STDC_VERSION__ >= 201112L)
#define SEL4_COMPILE_ASSERT(name, expr) _Static_assert(expr, #name);
#else
#define SEL4_COMPILE_ASSERT(name, expr) \
    typedef int __sel4_assert_failed_##name[(expr) ? 1 : -1] LIBSEL4_UNUSED;
#endif

/* entry + index bits of a paging structure must add up to its size bits */
#define SEL4_SIZE_SANITY(entry, index, size) \
    SEL4_COMPILE_ASSERT(entry##_##index##_##size, (entry) + (index) == (size))

/*
 * seL4 makes its ABI enums as wide as a long (enumerator LONG_MAX), so that
 * an enum value occupies a full register/word everywhere.
 */
#define SEL4_FORCE_LONG_ENUM(type) \
    _enum_pad_##type = ((1ULL << ((sizeof(long) * 8) - 1)) - 1)
