/* Notifications (the threads/IPC issues) and what deletion needs. */
#pragma once
#include "types.h"

/* The last cap to the notification is gone: unbind its TCB and SC, restart waiters. */
void notification_finalise(void *ntfn);
