/* Helpers over simple_t. */
#include <simple/simple_helpers.h>

int simple_is_untyped_cap(simple_t *simple, seL4_CPtr pos)
{
    int n = simple_get_untyped_count(simple);
    for (int i = 0; i < n; i++) {
        if (simple_get_nth_untyped(simple, i, NULL, NULL, NULL) == pos) {
            return 1;
        }
    }
    return 0;
}

seL4_CPtr simple_last_valid_cap(simple_t *simple)
{
    seL4_CPtr last = seL4_CapNull;
    int n = simple_get_cap_count(simple);
    for (int i = 0; i < n; i++) {
        seL4_CPtr c = simple_get_nth_cap(simple, i);
        if (c > last) {
            last = c;
        }
    }
    return last;
}
