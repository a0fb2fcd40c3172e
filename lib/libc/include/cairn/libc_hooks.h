/*
 * Hooks the Cairn libc needs from the runtime it is linked with.
 *
 * The libc never talks to the kernel itself: everything that leaves the
 * process goes through these two functions, which the user-level runtime
 * (lib/runtime) implements.  The libc only declares them.
 */
#ifndef CAIRN_LIBC_HOOKS_H
#define CAIRN_LIBC_HOOKS_H

#include <stddef.h>

/* Write len bytes to the console (seL4_DebugPutChar per byte; '\n' is
 * passed through unchanged).  Must cope with len == 0. */
void __cairn_write(const char *buf, size_t len);

/* Terminate the program; for a root task this stops the machine and
 * reports status. */
_Noreturn void _exit(int status);

#endif
