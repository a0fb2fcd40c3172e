/* The fastpaths. The syscall entry calls these directly for seL4_SysCall, seL4_SysReplyRecv
 * and seL4_SysSend; each one goes on to handle_syscall() when it does not apply. They are not
 * to be used while invariants_enabled: the general path checks after every syscall. */
#pragma once
#include "types.h"

NORETURN void fastpath_call(void);
NORETURN void fastpath_reply_recv(void);
NORETURN void fastpath_signal(void);
