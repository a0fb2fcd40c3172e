/* No include guard: assert.h may be re-included with NDEBUG changed. */
#undef assert

#ifdef NDEBUG
#define assert(expr) ((void)0)
#else
#define assert(expr) \
    ((void)((expr) || (__assert_fail(#expr, __FILE__, __LINE__, __func__), 0)))
#endif

#ifndef _CAIRN_ASSERT_H
#define _CAIRN_ASSERT_H

/* Prints "Assertion failed: expr (file: func: line)" to stderr, like musl,
 * then calls abort(). */
_Noreturn void __assert_fail(const char *expr, const char *file, int line,
                             const char *func);

#if !defined(__cplusplus) && (!defined(__STDC_VERSION__) || __STDC_VERSION__ < 202311L)
#define static_assert _Static_assert
#endif

#endif
