/* strtol.c - string to integer conversions (strto*, ato*). */
#include "names.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdlib.h>

/*
 * Common parser.  Returns the magnitude (saturated at ULLONG_MAX, with
 * *overflow set) and the sign; *end gets the first unparsed character, or
 * the start of the string if no digits were found (the sign and spaces are
 * then not consumed either).
 */
static unsigned long long parse(const char *s, char **end, int base, bool *neg,
                                bool *overflow)
{
    const char *p = s;
    unsigned long long v = 0;
    bool any = false;

    *neg = false;
    *overflow = false;
    if (base < 0 || base == 1 || base > 36) {
        errno = EINVAL;
        if (end)
            *end = (char *)s;
        return 0;
    }
    while (isspace((unsigned char)*p))
        p++;
    if (*p == '+' || *p == '-')
        *neg = *p++ == '-';
    /* "0x" counts only if a hex digit follows; otherwise just the 0 parses. */
    if ((base == 0 || base == 16) && p[0] == '0' && (p[1] | 0x20) == 'x'
        && isxdigit((unsigned char)p[2])) {
        p += 2;
        base = 16;
    } else if (base == 0) {
        base = *p == '0' ? 8 : 10;
    }
    for (;; p++) {
        unsigned d;
        if (isdigit((unsigned char)*p))
            d = (unsigned)(*p - '0');
        else if (isalpha((unsigned char)*p))
            d = (unsigned)((*p | 0x20) - 'a' + 10);
        else
            break;
        if (d >= (unsigned)base)
            break;
        any = true;
        if (v > (~0ull - d) / (unsigned)base)
            *overflow = true;
        else
            v = v * (unsigned)base + d;
    }
    if (end)
        *end = (char *)(any ? p : s);
    return *overflow ? ~0ull : v;
}

/* Signed result clamped to [-max-1, max]. */
static long long to_signed(const char *s, char **end, int base, unsigned long long max)
{
    bool neg, overflow;
    unsigned long long v = parse(s, end, base, &neg, &overflow);

    if (!neg && v > max) {
        errno = ERANGE;
        return (long long)max;
    }
    if (neg && v > max + 1) {
        errno = ERANGE;
        return -(long long)max - 1;
    }
    /* Negate in unsigned arithmetic: -(max+1) has no positive twin. */
    return neg ? (long long)(0 - v) : (long long)v;
}

/* Unsigned result: overflow gives max; a '-' negates modulo 2^N. */
static unsigned long long to_unsigned(const char *s, char **end, int base,
                                      unsigned long long max)
{
    bool neg, overflow;
    unsigned long long v = parse(s, end, base, &neg, &overflow);

    if (overflow || v > max) {
        errno = ERANGE;
        return max;
    }
    return neg ? (0 - v) & max : v;
}

long strtol(const char *restrict s, char **restrict end, int base)
{
    return (long)to_signed(s, end, base, __LONG_MAX__);
}

long long strtoll(const char *restrict s, char **restrict end, int base)
{
    return to_signed(s, end, base, __LONG_LONG_MAX__);
}

intmax_t strtoimax(const char *restrict s, char **restrict end, int base)
{
    return to_signed(s, end, base, __INTMAX_MAX__);
}

unsigned long strtoul(const char *restrict s, char **restrict end, int base)
{
    return (unsigned long)to_unsigned(s, end, base, __LONG_MAX__ * 2ul + 1);
}

unsigned long long strtoull(const char *restrict s, char **restrict end, int base)
{
    return to_unsigned(s, end, base, __LONG_LONG_MAX__ * 2ull + 1);
}

uintmax_t strtoumax(const char *restrict s, char **restrict end, int base)
{
    return to_unsigned(s, end, base, __UINTMAX_MAX__);
}

int atoi(const char *s)
{
    return (int)strtol(s, NULL, 10);
}

long atol(const char *s)
{
    return strtol(s, NULL, 10);
}

long long atoll(const char *s)
{
    return strtoll(s, NULL, 10);
}
