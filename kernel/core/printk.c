/* Kernel printf: the few conversions the kernel's own messages need. */
#include <stdarg.h>
#include "types.h"
#include "printk.h"
#include "arch.h"

static void put_num(unsigned long long v, unsigned base, bool upper, int width, char pad, bool left,
                    bool neg)
{
    char buf[24];
    int n = 0;
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    do {
        buf[n++] = digits[v % base];
        v /= base;
    } while (v);
    if (neg)
        buf[n++] = '-';
    int len = n;
    if (!left)
        for (; width > len; width--)
            arch_putc(pad);
    while (n)
        arch_putc(buf[--n]);
    if (left)
        for (; width > len; width--)
            arch_putc(' ');
}

void vkprintf(const char *fmt, va_list ap)
{
    for (; *fmt; fmt++) {
        if (*fmt != '%') {
            arch_putc(*fmt);
            continue;
        }
        fmt++;
        bool left = false;
        char pad = ' ';
        for (;; fmt++) {
            if (*fmt == '-')
                left = true;
            else if (*fmt == '0')
                pad = '0';
            else
                break;
        }
        int width = 0;
        while (*fmt >= '0' && *fmt <= '9')
            width = width * 10 + (*fmt++ - '0');
        int longs = 0;
        while (*fmt == 'l') {
            longs++;
            fmt++;
        }
        if (*fmt == 'z') {
            longs = 1;
            fmt++;
        }
        unsigned long long u;
        switch (*fmt) {
        case 'd':
        case 'i': {
            long long s = longs ? va_arg(ap, long long) : va_arg(ap, int);
            put_num(s < 0 ? -(unsigned long long)s : (unsigned long long)s, 10, false, width, pad,
                    left, s < 0);
            break;
        }
        case 'u':
        case 'x':
        case 'X':
            u = longs ? va_arg(ap, unsigned long long) : va_arg(ap, unsigned);
            put_num(u, *fmt == 'u' ? 10 : 16, *fmt == 'X', width, pad, left, false);
            break;
        case 'p': { /* seL4's kernel %p (%#.16lx): 16 zero-padded digits, "0x" unless zero */
            word_t p = (word_t)va_arg(ap, void *);
            if (p) {
                arch_putc('0');
                arch_putc('x');
            }
            put_num(p, 16, false, 16, '0', false, false);
            break;
        }
        case 's': {
            const char *s = va_arg(ap, const char *);
            if (!s)
                s = "(null)";
            int len = 0;
            while (s[len])
                len++;
            if (!left)
                for (; width > len; width--)
                    arch_putc(' ');
            while (*s)
                arch_putc(*s++);
            if (left)
                for (; width > len; width--)
                    arch_putc(' ');
            break;
        }
        case 'c':
            arch_putc((char)va_arg(ap, int));
            break;
        case '%':
            arch_putc('%');
            break;
        case '\0':
            return;
        default:
            arch_putc('%');
            arch_putc(*fmt);
        }
    }
}

void kprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vkprintf(fmt, ap);
    va_end(ap);
}
