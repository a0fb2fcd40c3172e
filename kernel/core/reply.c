/*
 * Reply objects (MCS). Until IPC exists no caller can wait on a reply object and no server
 * can receive with one, so finalising one has nothing to undo. The IPC issue must make it,
 * for a blocked caller, unlink the reply from the call stack (returning the SC if it is the
 * head) and make the caller Inactive; for a server receiving with it, cancel that receive
 * and make the server Inactive (abi §9.2 table).
 */
#include "reply.h"

void reply_finalise(void *reply) { (void)reply; }
