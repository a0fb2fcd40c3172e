/* Memory and string helpers for the kernel (gcc may also emit calls to memcpy/memset). */
#pragma once
#include "types.h"

void *memcpy(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
void *memmove(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);
#define kmemcpy memcpy
#define kmemset memset
size_t kstrnlen(const char *s, size_t max);
