/* Private interface between the printf engine and its front ends. */
#ifndef CAIRN_LIBC_FORMAT_H
#define CAIRN_LIBC_FORMAT_H

#include <stdarg.h>
#include <stddef.h>

/* Receives the formatted output in pieces, in order. */
typedef void (*__cairn_sink)(void *ctx, const char *s, size_t n);

/* The one formatter behind every printf variant.  Returns the number of
 * bytes produced, or -1 (errno = EOVERFLOW) if that exceeds INT_MAX. */
int __cairn_vformat(__cairn_sink sink, void *ctx, const char *fmt, va_list ap);

#endif
