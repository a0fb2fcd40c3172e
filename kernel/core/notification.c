/*
 * Notifications. Until the threads issue nothing can wait on a notification or bind to one,
 * so finalising one has nothing to undo. That issue must make it unbind the scheduling
 * context (MCS) and the bound TCB, then restart every queued waiter (abi §9.2 table).
 */
#include "notification.h"

void notification_finalise(void *ntfn) { (void)ntfn; }
