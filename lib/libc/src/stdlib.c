/* stdlib.c - program termination, integer arithmetic helpers, rand. */
#include "names.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* ---- termination --------------------------------------------------------- */

#define ATEXIT_MAX 32

static void (*atexit_fns[ATEXIT_MAX])(void);
static int atexit_count;

int atexit(void (*fn)(void))
{
    if (atexit_count == ATEXIT_MAX)
        return -1;
    atexit_fns[atexit_count++] = fn;
    return 0;
}

_Noreturn void exit(int status)
{
    /* Last registered runs first.  Popping before the call means a
     * handler that calls exit() does not rerun itself. */
    while (atexit_count > 0)
        atexit_fns[--atexit_count]();
    fflush(stdout);
    _exit(status);
}

_Noreturn void abort(void)
{
    /* Like musl: no message of our own (the caller, e.g. assert, has
     * printed one).  134 = 128 + SIGABRT, the status a shell would show. */
    _exit(134);
}

/* ---- integer helpers ------------------------------------------------------ */

int abs(int x) { return x < 0 ? -x : x; }
long labs(long x) { return x < 0 ? -x : x; }
long long llabs(long long x) { return x < 0 ? -x : x; }

div_t div(int num, int den) { return (div_t){ num / den, num % den }; }
ldiv_t ldiv(long num, long den) { return (ldiv_t){ num / den, num % den }; }
lldiv_t lldiv(long long num, long long den) { return (lldiv_t){ num / den, num % den }; }

/* ---- pseudo-random numbers -------------------------------------------------- */

/* A 64-bit LCG (Knuth's MMIX constants); the high bits are the good ones.
 * Deterministic: srand(1), or no srand at all, gives the same sequence. */
static unsigned long long rand_state = 1;

void srand(unsigned seed)
{
    rand_state = seed;
}

int rand(void)
{
    rand_state = rand_state * 6364136223846793005ull + 1442695040888963407ull;
    return (int)(rand_state >> 33);
}
