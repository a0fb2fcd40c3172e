/* strings.c - <strings.h>: case-insensitive compares (C locale), bzero. */
#pragma GCC optimize("no-tree-loop-distribute-patterns")

#include "names.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

int strcasecmp(const char *a, const char *b)
{
    return strncasecmp(a, b, (size_t)-1);
}

int strncasecmp(const char *a, const char *b, size_t n)
{
    const unsigned char *x = (const unsigned char *)a, *y = (const unsigned char *)b;

    for (; n; n--, x++, y++) {
        int cx = tolower(*x), cy = tolower(*y);
        if (cx != cy)
            return cx - cy;
        if (!cx)
            break;
    }
    return 0;
}

void bzero(void *s, size_t n)
{
    memset(s, 0, n);
}
