/* Endpoints: synchronous IPC rendezvous with a queue of blocked senders or receivers. */
#pragma once
#include "types.h"
#include "cap.h"

struct tcb;
struct reply;

enum endpoint_state { ep_idle = 0, ep_send = 1, ep_recv = 2 };

/* 16 bytes (seL4_EndpointBits): queue head, and queue tail with the state in its low bits
 * (TCBs are 2 KiB aligned). */
typedef struct endpoint {
    struct tcb *head;
    word_t tail_state;
} endpoint_t;

_Static_assert(sizeof(endpoint_t) == 16, "seL4_EndpointBits");

static inline enum endpoint_state ep_state(const endpoint_t *ep) { return (enum endpoint_state)(ep->tail_state & 3); }
static inline struct tcb *ep_tail(const endpoint_t *ep) { return (struct tcb *)(ep->tail_state & ~3ull); }

/* seL4 Send/Call on an endpoint cap, and Recv on one (reply: the MCS reply object or NULL). */
void send_ipc(struct tcb *sender, bool blocking, bool do_call, word_t badge, bool can_grant,
              bool can_grant_reply, bool can_donate, endpoint_t *ep);
void receive_ipc(struct tcb *receiver, cap_t ep_cap, bool blocking, struct reply *reply);
/* Queue a blocked thread by priority, FIFO among equals; take it off again. */
void endpoint_enqueue(endpoint_t *ep, struct tcb *t, enum endpoint_state s);
void endpoint_dequeue(endpoint_t *ep, struct tcb *t);
/* Re-sort a blocked thread after a priority change. */
void endpoint_reorder(endpoint_t *ep, struct tcb *t);
void endpoint_cancel_badged_sends(endpoint_t *ep, word_t badge);
void endpoint_finalise(endpoint_t *ep);
