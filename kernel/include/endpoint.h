/* Endpoints: synchronous IPC (the IPC issue) and what deletion and CNode invocations need. */
#pragma once
#include "types.h"

/* The last cap to the endpoint is gone: restart every queued thread (abi §9.2 table). */
void endpoint_finalise(void *ep);
/* CNode_CancelBadgedSends: restart the senders queued on ep with this badge (not 0). */
void endpoint_cancel_badged_sends(void *ep, word_t badge);
