/* qsort.c - qsort (heapsort: O(n log n) worst case, no extra memory) and
 * bsearch. */
#include "names.h"

#include <stdlib.h>

typedef int (*cmp_fn)(const void *, const void *);

static void swap(char *a, char *b, size_t size)
{
    while (size--) {
        char t = *a;
        *a++ = *b;
        *b++ = t;
    }
}

/* Restore the max-heap property below `root` in the first n elements. */
static void sift_down(char *base, size_t root, size_t n, size_t size, cmp_fn cmp)
{
    for (;;) {
        size_t child = 2 * root + 1;
        if (child >= n)
            return;
        if (child + 1 < n && cmp(base + child * size, base + (child + 1) * size) < 0)
            child++;
        if (cmp(base + root * size, base + child * size) >= 0)
            return;
        swap(base + root * size, base + child * size, size);
        root = child;
    }
}

void qsort(void *base, size_t nmemb, size_t size, cmp_fn cmp)
{
    char *b = base;

    if (nmemb < 2 || size == 0)
        return;
    for (size_t i = nmemb / 2; i-- > 0;)
        sift_down(b, i, nmemb, size, cmp);
    for (size_t end = nmemb - 1; end > 0; end--) {
        swap(b, b + end * size, size);
        sift_down(b, 0, end, size, cmp);
    }
}

void *bsearch(const void *key, const void *base, size_t nmemb, size_t size, cmp_fn cmp)
{
    const char *lo = base;

    while (nmemb) {
        const char *mid = lo + (nmemb / 2) * size;
        int c = cmp(key, mid);
        if (c == 0)
            return (void *)mid;
        if (c > 0) {
            lo = mid + size;
            nmemb -= nmemb / 2 + 1;
        } else {
            nmemb /= 2;
        }
    }
    return NULL;
}
