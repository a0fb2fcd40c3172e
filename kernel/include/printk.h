#pragma once
#include <stdarg.h>
#include "types.h"

void kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void vkprintf(const char *fmt, va_list ap);

/* A kernel bug: print the cause, registers (when known) and a backtrace, stop the machine. */
NORETURN void panic(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
#define kassert(e) \
    do { \
        if (unlikely(!(e))) \
            panic("assertion '%s' failed at %s:%d in %s", #e, __FILE__, __LINE__, __func__); \
    } while (0)
