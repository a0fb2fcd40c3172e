/* Arithmetic macros of seL4's libutils (<utils/arith.h>): bits and masks, alignment and
 * rounding, min/max/clamp. The ROUND and DIV macros work for any b > 0; ALIGN_UP/DOWN and
 * IS_POWER_OF_2 need powers of two; IS_ALIGNED(n, b) asks whether the low b bits are 0. */
#pragma once
#include <assert.h>
#include <limits.h>
#include <stdint.h>
#include <utils/attribute.h>
#include <utils/builtin.h>
#include <utils/stringify.h>

#define BIT(n) (1ul << (n))
#define MASK_UNSAFE(x) (BIT(x) - 1ul)
/* The low n bits set, for 0 < n <= the bits of a long (n = 64 included). */
#define MASK(n) \
    ({ \
        __typeof__(n) _n = (n); \
        (void)assert(_n > 0 && _n <= (__typeof__(n))(sizeof(unsigned long) * CHAR_BIT)); \
        MASK_UNSAFE(_n - 1) | BIT(_n - 1); \
    })
#define IS_ALIGNED(n, b) (!((n) & MASK(b)))
#define LOG_BASE_2(n) (sizeof(unsigned long) * CHAR_BIT - CLZL(n) - 1)

/* The next power of two strictly above x (32-bit). */
#define NEXT_POWER_OF_2(x) \
    ({ \
        uint32_t _t = (uint32_t)(x); \
        _t |= _t >> 1; \
        _t |= _t >> 2; \
        _t |= _t >> 4; \
        _t |= _t >> 8; \
        _t |= _t >> 16; \
        _t + 1; \
    })
#define IS_POWER_OF_2_OR_ZERO(x) (((x) & ((x) - 1)) == 0)
#define IS_POWER_OF_2(x) ((x) != 0 && IS_POWER_OF_2_OR_ZERO(x))
#define ALIGN_UP(x, n) (((x) + (n) - 1) & ~((n) - 1))
#define ALIGN_DOWN(x, n) ((x) & ~((n) - 1))

#define ROUND_DOWN_UNSAFE(n, b) ((n) - ((n) % (b)))
#define ROUND_UP_UNSAFE(n, b) ((n) + ((n) % (b) == 0 ? 0 : ((b) - ((n) % (b)))))
/* Round n down/up to a multiple of b. */
#define ROUND_DOWN(n, b) \
    ({ \
        __typeof__(n) _n = (n); \
        __typeof__(b) _b = (b); \
        _n - (_n % _b); \
    })
#define ROUND_UP(n, b) \
    ({ \
        __typeof__(n) _n = (n); \
        __typeof__(b) _b = (b); \
        _n % _b == 0 ? _n : _n + (_b - _n % _b); \
    })
#define DIV_ROUND_UP(n, d) \
    ({ \
        __typeof__(n) _n = (n); \
        __typeof__(d) _d = (d); \
        _n / _d + (_n % _d == 0 ? 0 : 1); \
    })
/* n / d to the nearest whole number (halves up). */
#define DIV_ROUND(n, d) \
    ({ \
        __typeof__(n) _n = (n); \
        __typeof__(d) _d = (d); \
        _n / _d + (_n % _d >= _d / 2 ? 1 : 0); \
    })
#define DIV_ROUND_UNSAFE(n, d) (((n) + ((d) / 2)) / (d))

#define MIN(a, b) \
    ({ \
        __typeof__(a) _a = (a); \
        __typeof__(b) _b = (b); \
        _a < _b ? _a : _b; \
    })
#define MAX(a, b) \
    ({ \
        __typeof__(a) _a = (a); \
        __typeof__(b) _b = (b); \
        _a > _b ? _a : _b; \
    })
#define MIN_UNSAFE(x, y) ((x) < (y) ? (x) : (y))
#define MAX_UNSAFE(x, y) ((x) > (y) ? (x) : (y))
#define INRANGE(a, x, b) MIN(MAX(x, a), b)
#define ISINRANGE(a, x, b) \
    ({ \
        __typeof__(x) _x = (x); \
        _x == INRANGE(a, _x, b); \
    })
#define CLAMP(min, value, max) \
    ({ \
        __typeof__(max) _max = (max); \
        __typeof__(min) _min = (min); \
        __typeof__(value) _v = (value); \
        _v > _max ? _max : _v < _min ? _min : _v; \
    })
/* operand1 + operand2, or limit if that would pass it (and - for CLAMP_SUB). */
#define CLAMP_ADD(operand1, operand2, limit) \
    ({ \
        __typeof__(operand1) _o1 = (operand1); \
        __typeof__(operand2) _o2 = (operand2); \
        __typeof__(limit) _l = (limit); \
        _l - _o2 < _o1 ? _l : _o1 + _o2; \
    })
#define CLAMP_SUB(operand1, operand2, limit) \
    ({ \
        __typeof__(operand1) _o1 = (operand1); \
        __typeof__(operand2) _o2 = (operand2); \
        __typeof__(limit) _l = (limit); \
        _l + _o2 > _o1 ? _l : _o1 - _o2; \
    })

#define ARRAY_SIZE(x) (sizeof(x) / sizeof((x)[0]))
#define PAD_STRUCT_BETWEEN(before, after, type) \
    uint8_t JOIN(__padding, __COUNTER__)[(after) - (before) - sizeof(type)]
