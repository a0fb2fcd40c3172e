/*
 * Endpoints. Until IPC exists (the next issue) no thread can block on an endpoint, so its
 * queue is always empty and these operations have nothing to do. The IPC issue must make
 * them walk the queue: finalise restarts every queued sender and receiver (a thread sending
 * a fault becomes Inactive; a receiver's reply object is unlinked), and cancel-badged-sends
 * restarts the senders with that badge (preemptibly in seL4 ≥ 12: keep that in mind).
 */
#include "endpoint.h"

void endpoint_finalise(void *ep) { (void)ep; }

void endpoint_cancel_badged_sends(void *ep, word_t badge)
{
    (void)ep;
    (void)badge;
}
