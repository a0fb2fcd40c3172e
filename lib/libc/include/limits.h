/*
 * Not a replacement: every definition comes from gcc's own <limits.h>.
 *
 * gcc's header normally chains (#include_next) to the C library's
 * limits.h; with -nostdinc there is none and that chaining is an error.
 * Defining _LIBC_LIMITS_H_ tells gcc's header to stand alone.
 */
#ifndef _LIBC_LIMITS_H_
#define _LIBC_LIMITS_H_
#endif
#include_next <limits.h>
