/* Symbol lookup over the table that the build generates after a first link. */
#include "ksyms.h"

struct ksym {
    word_t addr;
    const char *name;
};

/* Provided by the generated ksyms table; weak so the first link works without it. */
extern const struct ksym ksyms_table[] __attribute__((weak));
extern const word_t ksyms_count __attribute__((weak));

const char *ksym_lookup(word_t addr, word_t *offset)
{
    if (!ksyms_table || !&ksyms_count)
        return NULL;
    const struct ksym *best = NULL;
    word_t lo = 0, hi = ksyms_count;
    while (lo < hi) { /* the last symbol at or below addr */
        word_t mid = (lo + hi) / 2;
        if (ksyms_table[mid].addr <= addr) {
            best = &ksyms_table[mid];
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    if (!best)
        return NULL;
    *offset = addr - best->addr;
    return best->name;
}
