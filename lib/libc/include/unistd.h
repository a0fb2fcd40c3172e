#ifndef _CAIRN_UNISTD_H
#define _CAIRN_UNISTD_H

#include <stddef.h>
#include <sys/types.h>

/* Provided by the runtime (see cairn/libc_hooks.h). */
_Noreturn void _exit(int status);

#endif
