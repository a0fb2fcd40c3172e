/* Attribute macros of seL4's libutils (<utils/attribute.h>). Each is defined only if nobody
 * defined it first (some seL4 library headers carry their own copies). */
#pragma once

#ifndef ALIAS
#define ALIAS(sym) __attribute__((alias(#sym)))
#endif
#ifndef ALIGN
#define ALIGN(n) __attribute__((__aligned__(n)))
#endif
#ifndef ALLOC_SIZE
#define ALLOC_SIZE(args...) __attribute__((alloc_size(args)))
#endif
#ifndef NO_INLINE
#define NO_INLINE __attribute__((noinline))
#endif
#ifndef ALWAYS_INLINE
#define ALWAYS_INLINE __attribute__((always_inline))
#endif
#ifndef CLEANUP
#define CLEANUP(fn) __attribute__((cleanup(fn)))
#endif
#ifndef COLD
#define COLD __attribute__((cold))
#endif
#ifndef HOT
#define HOT __attribute__((hot))
#endif
#ifndef DEPRECATED
#define DEPRECATED(msg) __attribute__((deprecated(msg)))
#endif
#ifndef MALLOC
#define MALLOC __attribute__((malloc))
#endif
#ifndef NONNULL
#define NONNULL(args...) __attribute__((__nonnull__(args)))
#endif
#ifndef NONNULL_ALL
#define NONNULL_ALL __attribute__((__nonnull__))
#endif
#ifndef NORETURN
#define NORETURN __attribute__((__noreturn__))
#endif
#ifndef PACKED
#define PACKED __attribute__((__packed__))
#endif
#ifndef FORMAT
#define FORMAT(archetype, string_index, first_to_check) \
    __attribute__((format(archetype, string_index, first_to_check)))
#endif
#ifndef SECTION
#define SECTION(sect) __attribute__((section(sect)))
#endif
#ifndef UNUSED
#define UNUSED __attribute__((unused))
#endif
#ifndef USED
#define USED __attribute__((__used__))
#endif
#ifndef VISIBLE
#define VISIBLE __attribute__((__externally_visible__))
#endif
#ifndef WARNING
#define WARNING(msg) __attribute__((warning(msg)))
#endif
#ifndef WARN_UNUSED_RESULT
#define WARN_UNUSED_RESULT __attribute__((warn_unused_result))
#endif
#ifndef WEAK
#define WEAK __attribute__((weak))
#endif
#ifndef CONSTRUCTOR
#define CONSTRUCTOR(priority) __attribute__((constructor(priority)))
#endif
#ifndef PURE
#define PURE __attribute__((__pure__))
#endif
#ifndef CONST
#define CONST __attribute__((__const__))
#endif
