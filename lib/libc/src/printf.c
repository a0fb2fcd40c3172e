/*
 * printf.c - the formatting engine (__cairn_vformat) and the in-memory
 * front ends (snprintf and friends).  stdio.c adds the console ones.
 *
 * Behaviour follows glibc, which tests/host/test_libc.c compares against,
 * including its answers for cases C leaves undefined ("%+p", "%05s", ...).
 * Not supported: positional arguments ("%1$d"), %a/%A (printed literally,
 * the double is still consumed), wide characters beyond ASCII.
 */
#include "names.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "format.h"

enum { F_MINUS = 1, F_PLUS = 2, F_SPACE = 4, F_HASH = 8, F_ZERO = 16 };

enum lenmod { LEN_NONE, LEN_HH, LEN_H, LEN_L, LEN_LL, LEN_Z, LEN_J, LEN_T, LEN_BIGL };

struct spec {
    unsigned flags;
    size_t width;
    int prec;           /* -1 when not given */
    enum lenmod len;
    char conv;
};

struct out {
    __cairn_sink sink;
    void *ctx;
    size_t count;       /* bytes produced so far (the return value) */
};

static void emit(struct out *o, const char *s, size_t n)
{
    if (n) {
        o->sink(o->ctx, s, n);
        o->count += n;
    }
}

static void pad(struct out *o, char c, size_t n)
{
    static const char spaces[] = "                ";
    static const char zeros[] = "0000000000000000";
    const char *src = c == '0' ? zeros : spaces;

    while (n) {
        size_t k = n < 16 ? n : 16;
        emit(o, src, k);
        n -= k;
    }
}

/*
 * Emit one field: prefix (sign, "0x"), `zeros` leading zeros, body, padded
 * to the field width.  `zero_pad` selects padding with zeros between prefix
 * and body instead of spaces in front (the '0' flag where it applies).
 */
static void field(struct out *o, const struct spec *sp, const char *prefix, size_t plen,
                  size_t zeros, const char *body, size_t blen, bool zero_pad)
{
    size_t len = plen + zeros + blen;
    size_t fill = sp->width > len ? sp->width - len : 0;
    bool left = sp->flags & F_MINUS;

    if (!left && !zero_pad)
        pad(o, ' ', fill);
    emit(o, prefix, plen);
    if (!left && zero_pad)
        pad(o, '0', fill);
    pad(o, '0', zeros);
    emit(o, body, blen);
    if (left)
        pad(o, ' ', fill);
}

/* ---- integers ---------------------------------------------------------- */

static uintmax_t get_unsigned(enum lenmod len, va_list *ap)
{
    switch (len) {
    case LEN_HH: return (unsigned char)va_arg(*ap, unsigned);
    case LEN_H: return (unsigned short)va_arg(*ap, unsigned);
    case LEN_L: return va_arg(*ap, unsigned long);
    case LEN_LL: case LEN_BIGL: return va_arg(*ap, unsigned long long);
    case LEN_Z: return va_arg(*ap, size_t);
    case LEN_J: return va_arg(*ap, uintmax_t);
    case LEN_T: return (size_t)va_arg(*ap, ptrdiff_t);
    default: return va_arg(*ap, unsigned);
    }
}

static intmax_t get_signed(enum lenmod len, va_list *ap)
{
    switch (len) {
    case LEN_HH: return (signed char)va_arg(*ap, int);
    case LEN_H: return (short)va_arg(*ap, int);
    case LEN_L: return va_arg(*ap, long);
    case LEN_LL: case LEN_BIGL: return va_arg(*ap, long long);
    case LEN_Z: return (intmax_t)va_arg(*ap, size_t);   /* ssize_t */
    case LEN_J: return va_arg(*ap, intmax_t);
    case LEN_T: return va_arg(*ap, ptrdiff_t);
    default: return va_arg(*ap, int);
    }
}

/* `sign` is '-', '+', ' ' or 0; `alt_hex` adds "0x"/"0X" for non-zero values. */
static void fmt_uint(struct out *o, const struct spec *sp, uintmax_t v, unsigned base,
                     char sign, bool alt_hex)
{
    const char *set = sp->conv == 'X' ? "0123456789ABCDEF" : "0123456789abcdef";
    char digits[24];        /* 64 bits in octal is 22 digits */
    size_t nd = 0;
    char prefix[3];
    size_t np = 0;

    for (; v; v /= base)
        digits[sizeof digits - 1 - nd++] = set[v % base];

    if (sign)
        prefix[np++] = sign;
    if (alt_hex && nd) {
        prefix[np++] = '0';
        prefix[np++] = sp->conv == 'X' ? 'X' : 'x';
    }

    /* Precision is the minimum digit count; default 1 (so 0 prints "0"). */
    size_t prec = sp->prec < 0 ? 1 : (size_t)sp->prec;
    size_t zeros = prec > nd ? prec - nd : 0;
    /* '#' with %o: the first digit must be 0 (our digits never start with 0). */
    if (base == 8 && (sp->flags & F_HASH) && zeros == 0)
        zeros = 1;

    /* '0' is ignored with '-' or an explicit precision. */
    bool zero_pad = (sp->flags & F_ZERO) && sp->prec < 0;
    field(o, sp, prefix, np, zeros, digits + sizeof digits - nd, nd, zero_pad);
}

static char sign_char(const struct spec *sp, bool neg)
{
    if (neg)
        return '-';
    if (sp->flags & F_PLUS)
        return '+';
    if (sp->flags & F_SPACE)
        return ' ';
    return 0;
}

/* ---- strings ----------------------------------------------------------- */

static void fmt_str(struct out *o, const struct spec *sp, const char *s)
{
    size_t n = 0;

    if (!s) {
        /* glibc: "(null)" if it fits in the precision, else nothing. */
        s = (sp->prec < 0 || sp->prec >= 6) ? "(null)" : "";
    }
    /* With a precision the array need not be NUL-terminated: stop there. */
    while ((sp->prec < 0 || n < (size_t)sp->prec) && s[n])
        n++;
    field(o, sp, "", 0, 0, s, n, false);
}

/* Wide strings: C locale, so only ASCII converts; others become '?'. */
static void fmt_wstr(struct out *o, const struct spec *sp, const wchar_t *ws)
{
    size_t n = 0;
    size_t fill;

    if (!ws) {
        fmt_str(o, sp, NULL);
        return;
    }
    while ((sp->prec < 0 || n < (size_t)sp->prec) && ws[n])
        n++;
    fill = sp->width > n ? sp->width - n : 0;
    if (!(sp->flags & F_MINUS))
        pad(o, ' ', fill);
    for (size_t i = 0; i < n; i++) {
        char c = (ws[i] > 0 && ws[i] < 0x80) ? (char)ws[i] : '?';
        emit(o, &c, 1);
    }
    if (sp->flags & F_MINUS)
        pad(o, ' ', fill);
}

/* ---- floating point ---------------------------------------------------- */

/*
 * A finite non-negative double converted exactly to decimal:
 * value = 0.dig[0] dig[1] ... dig[n-1] x 10^point, no trailing zeros,
 * dig[0] != '0'; zero has n == 0.  A double is m * 2^e with m < 2^53, so
 * for e < 0 the value is m * 5^-e / 10^-e: at most 767 significant digits.
 */
#define DEC_LIMBS 96            /* base 1e9 limbs; 767 digits need 86 */

struct decimal {
    int n;
    int point;
    char dig[DEC_LIMBS * 9];
};

static void big_mul(uint32_t *limb, int *nl, uint32_t f)
{
    uint64_t carry = 0;

    for (int i = 0; i < *nl; i++) {
        uint64_t t = (uint64_t)limb[i] * f + carry;
        limb[i] = (uint32_t)(t % 1000000000u);
        carry = t / 1000000000u;
    }
    while (carry) {
        limb[(*nl)++] = (uint32_t)(carry % 1000000000u);
        carry /= 1000000000u;
    }
}

static void to_decimal(struct decimal *d, uint64_t bits)
{
    unsigned ex = (bits >> 52) & 0x7ff;
    uint64_t m = bits & ((1ull << 52) - 1);
    int e2 = -1074;
    uint32_t limb[DEC_LIMBS];
    int nl = 0;

    d->n = 0;
    d->point = 0;
    if (ex) {
        m |= 1ull << 52;
        e2 = (int)ex - 1075;
    }
    if (!m)
        return;
    while (!(m & 1)) {      /* fewer multiplications below */
        m >>= 1;
        e2++;
    }
    while (m) {
        limb[nl++] = (uint32_t)(m % 1000000000u);
        m /= 1000000000u;
    }
    for (int k = e2; k > 0; k -= 29)            /* times 2^e2 */
        big_mul(limb, &nl, 1u << (k < 29 ? k : 29));
    for (int k = -e2; k > 0; k -= 13) {         /* times 5^-e2 */
        uint32_t f = 1;
        for (int i = 0; i < (k < 13 ? k : 13); i++)
            f *= 5;
        big_mul(limb, &nl, f);
    }

    /* Limbs to digits: the top one without leading zeros, others 9 wide. */
    char tmp[10];
    int t = 0;
    for (uint32_t v = limb[nl - 1]; v; v /= 10)
        tmp[t++] = (char)('0' + v % 10);
    while (t)
        d->dig[d->n++] = tmp[--t];
    for (int i = nl - 2; i >= 0; i--) {
        uint32_t v = limb[i];
        for (int j = 8; j >= 0; j--) {
            d->dig[d->n + j] = (char)('0' + v % 10);
            v /= 10;
        }
        d->n += 9;
    }
    d->point = d->n + (e2 < 0 ? e2 : 0);
    while (d->n && d->dig[d->n - 1] == '0')
        d->n--;
}

/* Keep the first `keep` digits, rounding to nearest, ties to even (on the
 * exact value, as glibc does). */
static void dec_round(struct decimal *d, long keep)
{
    bool up;

    if (keep >= d->n)
        return;
    if (keep < 0) {         /* the first dropped digit is an implied 0 */
        d->n = 0;
        return;
    }
    char first = d->dig[keep];
    if (first != '5')
        up = first > '5';
    else if (keep + 1 < d->n)       /* no trailing zeros: rest is non-zero */
        up = true;
    else
        up = keep > 0 && ((d->dig[keep - 1] - '0') & 1);
    d->n = (int)keep;
    if (up) {
        int i = (int)keep - 1;
        while (i >= 0 && d->dig[i] == '9')
            i--;
        if (i < 0) {        /* 999 -> 1000 */
            d->dig[0] = '1';
            d->n = 1;
            d->point++;
        } else {
            d->dig[i]++;
            d->n = i + 1;
        }
    }
    while (d->n && d->dig[d->n - 1] == '0')
        d->n--;
}

/* Emit `count` digits starting at digit index `from` (may be outside the
 * stored digits: those are zeros). */
static void emit_digits(struct out *o, const struct decimal *d, long from, size_t count)
{
    char buf[64];

    while (count) {
        size_t k = count < sizeof buf ? count : sizeof buf;
        for (size_t i = 0; i < k; i++) {
            long idx = from + (long)i;
            buf[i] = (idx >= 0 && idx < d->n) ? d->dig[idx] : '0';
        }
        emit(o, buf, k);
        from += (long)k;
        count -= k;
    }
}

static void fmt_float(struct out *o, const struct spec *sp, double v)
{
    uint64_t bits;
    __builtin_memcpy(&bits, &v, sizeof bits);
    bool upper = sp->conv == 'F' || sp->conv == 'E' || sp->conv == 'G';
    char sign = sign_char(sp, bits >> 63);
    char style = (char)(sp->conv | 0x20);       /* f, e or g */
    bool hash = sp->flags & F_HASH;
    bool zero_pad = sp->flags & F_ZERO;
    long prec = sp->prec < 0 ? 6 : sp->prec;
    bool strip = false;
    struct decimal d;

    if (((bits >> 52) & 0x7ff) == 0x7ff) {      /* inf/nan: never zero padded */
        const char *s = (bits & ((1ull << 52) - 1)) ? (upper ? "NAN" : "nan")
                                                    : (upper ? "INF" : "inf");
        field(o, sp, &sign, sign ? 1 : 0, 0, s, 3, false);
        return;
    }

    to_decimal(&d, bits & ~(1ull << 63));

    if (style == 'g') {
        /* Round to P significant digits; the exponent X of that decides. */
        long p = prec ? prec : 1;
        dec_round(&d, p);
        long x = d.n ? d.point - 1 : 0;
        if (p > x && x >= -4) {
            style = 'f';
            prec = p - 1 - x;
        } else {
            style = 'e';
            prec = p - 1;
        }
        strip = !hash;      /* %g drops trailing zeros unless '#' */
    }

    char head[2];           /* sign */
    size_t hlen = 0;
    if (sign)
        head[hlen++] = sign;

    if (style == 'f') {
        dec_round(&d, (long)d.point + prec);
        size_t ilen = d.point > 0 ? (size_t)d.point : 1;
        long frac = prec;
        if (strip) {
            long have = d.n - d.point;
            frac = have < 0 ? 0 : (have < frac ? have : frac);
        }
        bool dot = frac > 0 || hash;
        size_t len = hlen + ilen + dot + (size_t)frac;
        size_t fill = sp->width > len ? sp->width - len : 0;

        if (!(sp->flags & F_MINUS) && !zero_pad)
            pad(o, ' ', fill);
        emit(o, head, hlen);
        if (!(sp->flags & F_MINUS) && zero_pad)
            pad(o, '0', fill);
        if (d.point > 0)
            emit_digits(o, &d, 0, ilen);
        else
            emit(o, "0", 1);
        if (dot)
            emit(o, ".", 1);
        emit_digits(o, &d, d.point, (size_t)frac);
        if (sp->flags & F_MINUS)
            pad(o, ' ', fill);
    } else {
        dec_round(&d, prec + 1);
        long x = d.n ? d.point - 1 : 0;
        long frac = prec;
        if (strip)
            frac = d.n - 1 < frac ? (d.n > 0 ? d.n - 1 : 0) : frac;
        bool dot = frac > 0 || hash;

        char ebuf[8];       /* "e+308" */
        size_t elen = 0;
        unsigned long ax = x < 0 ? (unsigned long)-x : (unsigned long)x;
        char etmp[4];
        int et = 0;
        do {
            etmp[et++] = (char)('0' + ax % 10);
            ax /= 10;
        } while (ax);
        if (et < 2)
            etmp[et++] = '0';
        ebuf[elen++] = upper ? 'E' : 'e';
        ebuf[elen++] = x < 0 ? '-' : '+';
        while (et)
            ebuf[elen++] = etmp[--et];

        size_t len = hlen + 1 + dot + (size_t)frac + elen;
        size_t fill = sp->width > len ? sp->width - len : 0;

        if (!(sp->flags & F_MINUS) && !zero_pad)
            pad(o, ' ', fill);
        emit(o, head, hlen);
        if (!(sp->flags & F_MINUS) && zero_pad)
            pad(o, '0', fill);
        emit_digits(o, &d, 0, 1);
        if (dot)
            emit(o, ".", 1);
        emit_digits(o, &d, 1, (size_t)frac);
        emit(o, ebuf, elen);
        if (sp->flags & F_MINUS)
            pad(o, ' ', fill);
    }
}

/* ---- the engine -------------------------------------------------------- */

static void store_count(enum lenmod len, va_list *ap, size_t count)
{
    switch (len) {
    case LEN_HH: *va_arg(*ap, signed char *) = (signed char)count; break;
    case LEN_H: *va_arg(*ap, short *) = (short)count; break;
    case LEN_L: *va_arg(*ap, long *) = (long)count; break;
    case LEN_LL: case LEN_BIGL: *va_arg(*ap, long long *) = (long long)count; break;
    case LEN_Z: *va_arg(*ap, size_t *) = count; break;
    case LEN_J: *va_arg(*ap, intmax_t *) = (intmax_t)count; break;
    case LEN_T: *va_arg(*ap, ptrdiff_t *) = (ptrdiff_t)count; break;
    default: *va_arg(*ap, int *) = (int)count; break;
    }
}

/* Parse decimal digits, saturating instead of overflowing. */
static size_t parse_num(const char **f)
{
    size_t v = 0;

    while (**f >= '0' && **f <= '9') {
        if (v < 0x7fffffff)
            v = v * 10 + (size_t)(**f - '0');
        (*f)++;
    }
    return v > 0x7fffffff ? 0x7fffffff : v;
}

int __cairn_vformat(__cairn_sink sink, void *ctx, const char *fmt, va_list ap_in)
{
    struct out o = { sink, ctx, 0 };
    const char *f = fmt;
    va_list ap;

    /* A local copy, so helpers can take its address portably. */
    va_copy(ap, ap_in);

    while (*f) {
        const char *lit = f;
        while (*f && *f != '%')
            f++;
        emit(&o, lit, (size_t)(f - lit));
        if (!*f)
            break;

        const char *start = f++;       /* at the '%' */
        struct spec sp = { 0, 0, -1, LEN_NONE, 0 };

        for (;; f++) {
            if (*f == '-') sp.flags |= F_MINUS;
            else if (*f == '+') sp.flags |= F_PLUS;
            else if (*f == ' ') sp.flags |= F_SPACE;
            else if (*f == '#') sp.flags |= F_HASH;
            else if (*f == '0') sp.flags |= F_ZERO;
            else if (*f == '\'') ;      /* grouping: no-op in the C locale */
            else break;
        }
        if (*f == '*') {
            int w = va_arg(ap, int);
            f++;
            if (w < 0) {
                sp.flags |= F_MINUS;
                sp.width = -(size_t)w;
            } else {
                sp.width = (size_t)w;
            }
        } else {
            sp.width = parse_num(&f);
        }
        if (*f == '.') {
            f++;
            if (*f == '*') {
                int p = va_arg(ap, int);
                f++;
                sp.prec = p < 0 ? -1 : p;
            } else {
                sp.prec = (int)parse_num(&f);
            }
        }
        if (sp.flags & F_MINUS)
            sp.flags &= ~F_ZERO;
        if (sp.flags & F_PLUS)
            sp.flags &= ~F_SPACE;

        switch (*f) {
        case 'h':
            f++;
            sp.len = LEN_H;
            if (*f == 'h') {
                f++;
                sp.len = LEN_HH;
            }
            break;
        case 'l':
            f++;
            sp.len = LEN_L;
            if (*f == 'l') {
                f++;
                sp.len = LEN_LL;
            }
            break;
        case 'q': f++; sp.len = LEN_LL; break;
        case 'L': f++; sp.len = LEN_BIGL; break;
        case 'z': f++; sp.len = LEN_Z; break;
        case 'j': f++; sp.len = LEN_J; break;
        case 't': f++; sp.len = LEN_T; break;
        default: break;
        }

        sp.conv = *f;
        if (!sp.conv) {             /* truncated spec: show it as is */
            emit(&o, start, (size_t)(f - start));
            break;
        }
        f++;

        switch (sp.conv) {
        case '%':
            emit(&o, "%", 1);
            break;
        case 'd':
        case 'i': {
            intmax_t v = get_signed(sp.len, &ap);
            uintmax_t mag = v < 0 ? 0 - (uintmax_t)v : (uintmax_t)v;
            fmt_uint(&o, &sp, mag, 10, sign_char(&sp, v < 0), false);
            break;
        }
        case 'u':
            fmt_uint(&o, &sp, get_unsigned(sp.len, &ap), 10, 0, false);
            break;
        case 'o':
            fmt_uint(&o, &sp, get_unsigned(sp.len, &ap), 8, 0, false);
            break;
        case 'x':
        case 'X':
            fmt_uint(&o, &sp, get_unsigned(sp.len, &ap), 16, 0, sp.flags & F_HASH);
            break;
        case 'p': {
            /* glibc: "%#lx" (keeping '+' and ' '), or "(nil)" as a string. */
            void *p = va_arg(ap, void *);
            if (p) {
                sp.conv = 'x';
                fmt_uint(&o, &sp, (uintptr_t)p, 16, sign_char(&sp, false), true);
            } else {
                sp.prec = -1;
                fmt_str(&o, &sp, "(nil)");
            }
            break;
        }
        case 'c':
            if (sp.len == LEN_L) {
                /* wint_t: C locale, so only ASCII converts. */
                unsigned wc = va_arg(ap, unsigned);
                char c = wc < 0x80 ? (char)wc : '?';
                field(&o, &sp, "", 0, 0, &c, 1, false);
            } else {
                char c = (char)va_arg(ap, int);
                field(&o, &sp, "", 0, 0, &c, 1, false);
            }
            break;
        case 's':
            if (sp.len == LEN_L)
                fmt_wstr(&o, &sp, va_arg(ap, const wchar_t *));
            else
                fmt_str(&o, &sp, va_arg(ap, const char *));
            break;
        case 'n':
            store_count(sp.len, &ap, o.count);
            break;
        case 'f': case 'F':
        case 'e': case 'E':
        case 'g': case 'G':
            if (sp.len == LEN_BIGL)
                fmt_float(&o, &sp, (double)va_arg(ap, long double));
            else
                fmt_float(&o, &sp, va_arg(ap, double));
            break;
        case 'a':
        case 'A':
            /* Not implemented: consume the argument, print the spec. */
            if (sp.len == LEN_BIGL)
                (void)va_arg(ap, long double);
            else
                (void)va_arg(ap, double);
            emit(&o, start, (size_t)(f - start));
            break;
        default:
            /* Unknown conversion: glibc prints it literally. */
            emit(&o, start, (size_t)(f - start));
            break;
        }
    }
    va_end(ap);

    if (o.count > 0x7fffffff) {
        errno = EOVERFLOW;
        return -1;
    }
    return (int)o.count;
}

/* ---- in-memory front ends ---------------------------------------------- */

struct strbuf {
    char *dst;
    size_t cap;     /* bytes we may store, excluding the final NUL */
    size_t pos;
};

static void strbuf_sink(void *ctx, const char *s, size_t n)
{
    struct strbuf *b = ctx;

    if (b->pos < b->cap) {
        size_t k = b->cap - b->pos < n ? b->cap - b->pos : n;
        memcpy(b->dst + b->pos, s, k);
        b->pos += k;
    }
}

int vsnprintf(char *restrict buf, size_t size, const char *restrict fmt, va_list ap)
{
    struct strbuf b = { buf, size ? size - 1 : 0, 0 };
    int r = __cairn_vformat(strbuf_sink, &b, fmt, ap);

    if (size)
        buf[b.pos] = '\0';
    return r;
}

int snprintf(char *restrict buf, size_t size, const char *restrict fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int r = vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return r;
}

int vsprintf(char *restrict buf, const char *restrict fmt, va_list ap)
{
    /* Unbounded by definition; the caller guarantees the space. */
    return vsnprintf(buf, (size_t)-1 >> 1, fmt, ap);
}

int sprintf(char *restrict buf, const char *restrict fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int r = vsprintf(buf, fmt, ap);
    va_end(ap);
    return r;
}
