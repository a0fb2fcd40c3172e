/* Notifications: a word of OR-ed badges and a queue of waiting threads (abi §10.5, §10.6). */
#pragma once
#include "types.h"
#include "cap.h"

struct tcb;
struct sched_context;

enum notification_state { ntfn_idle = 0, ntfn_waiting = 1, ntfn_active = 2 };

typedef struct notification {
    word_t state;
    word_t badge; /* pending badges (active) */
    struct tcb *head, *tail;
    struct tcb *bound_tcb;
    struct sched_context *sc;
} notification_t;

_Static_assert(sizeof(notification_t) <= 64, "seL4_NotificationBits (MCS)");

void send_signal(notification_t *n, word_t badge);
void receive_signal(struct tcb *t, cap_t cap, bool blocking);
/* A thread receiving from an endpoint with an active bound notification takes the signal. */
bool notification_take_if_active(struct tcb *t, notification_t *n);
void notification_dequeue(notification_t *n, struct tcb *t);
void notification_reorder(notification_t *n, struct tcb *t);
void notification_bind_tcb(notification_t *n, struct tcb *t);
void notification_unbind_tcb(notification_t *n);
void notification_finalise(notification_t *n);
/* MCS passive servers: lend the notification's SC to a passive thread it wakes; take it back
 * when the thread runs on it and blocks on this notification, or (n bound to it) in a Recv on
 * an endpoint (abi §10.6). */
void notification_lend_sc(notification_t *n, struct tcb *t);
void notification_return_sc(notification_t *n, struct tcb *t);
