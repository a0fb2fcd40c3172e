/* Basic kernel types. The kernel is freestanding: only gcc's own headers. */
#pragma once
#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>

typedef uint64_t word_t;
typedef int64_t sword_t;
typedef uint64_t paddr_t;   /* physical address */
typedef uint64_t vaddr_t;   /* virtual address (user or kernel) */

#define BIT(n) (1ull << (n))
#define MASK(n) (BIT(n) - 1ull)
#define ROUND_DOWN(x, bits) ((x) & ~MASK(bits))
#define ROUND_UP(x, bits) (((x) + MASK(bits)) & ~MASK(bits))
#define IS_ALIGNED(x, bits) (((x) & MASK(bits)) == 0)
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) > (b) ? (a) : (b))

#define NORETURN __attribute__((noreturn))
#define ALWAYS_INLINE __attribute__((always_inline))
#define PACKED __attribute__((packed))
#define ALIGNED(n) __attribute__((aligned(n)))
#define UNUSED __attribute__((unused))
#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
