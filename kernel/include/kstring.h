/* Memory and string helpers for the kernel. The mem* functions come from the arch (gcc emits
 * calls to them too); host tests use the C library's. */
#pragma once
#include "types.h"

void *memcpy(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
void *memmove(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);
#define kmemcpy memcpy
#define kmemset memset

static inline size_t kstrnlen(const char *s, size_t max)
{
    size_t n = 0;
    while (n < max && s[n])
        n++;
    return n;
}
