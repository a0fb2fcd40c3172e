/* The IPC fastpath. Each function returns only when it does not apply. */
#pragma once

void fastpath_call(void);
void fastpath_reply_recv(void);
