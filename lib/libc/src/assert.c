/* assert.c - the failure path of assert(). */
#include "names.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>

_Noreturn void __assert_fail(const char *expr, const char *file, int line, const char *func)
{
    /* musl's exact format: seL4 tutorial users recognise this line. */
    fprintf(stderr, "Assertion failed: %s (%s: %s: %d)\n", expr, file, func, line);
    abort();
}
