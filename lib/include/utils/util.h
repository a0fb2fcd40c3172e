/* The parts of seL4's libutils <utils/util.h> that the tutorials use: bit and rounding
 * arithmetic, and the ZF_LOG logging macros. */
#pragma once
#include <stdint.h>
#include <utils/zf_log.h>

#define BIT(n) (1ul << (n))

/* Round n down/up to a multiple of b (any b > 0, not only powers of two). */
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

#define ARRAY_SIZE(x) (sizeof(x) / sizeof((x)[0]))
