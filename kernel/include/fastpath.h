/* The IPC fastpath. The syscall entry calls these directly for seL4_SysCall and
 * seL4_SysReplyRecv; each one goes on to handle_syscall() when it does not apply. */
#pragma once
#include "types.h"

NORETURN void fastpath_call(void);
NORETURN void fastpath_reply_recv(void);
