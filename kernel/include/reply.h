/* MCS reply objects: the link from a caller blocked on a Call to whoever received it, and the
 * call stack along which a donated scheduling context returns (abi §10.5). */
#pragma once
#include "types.h"

struct tcb;
struct sched_context;

typedef struct reply {
    struct tcb *tcb;   /* caller blocked on reply, or receiver blocked in Recv with this reply */
    struct reply *prev; /* the reply below this one in the SC's call stack */
    word_t next;        /* the reply above (or, for the head, the SC with bit 0 set) */
    word_t unused;
} reply_t;

_Static_assert(sizeof(reply_t) == 32, "seL4_ReplyBits");

/* A caller's Call was received with this reply object. */
void reply_push(struct tcb *caller, struct tcb *callee, reply_t *reply, bool can_donate);
/* Unlink the caller (reply or cancellation); the SC goes back if this reply is the head. */
void reply_pop(reply_t *reply, struct tcb *caller);
void reply_remove(reply_t *reply, struct tcb *t);
/* Invoke a reply cap: deliver the reply message (or fault reply) to the caller. */
void do_reply_transfer(struct tcb *replier, reply_t *reply, bool can_grant);
void reply_finalise(reply_t *reply);
/* Whether reply is the top of sc's call stack (a reply to it returns the SC). */
static inline bool reply_is_top_of(const reply_t *reply, const struct sched_context *sc)
{
    return reply->next == ((word_t)sc | 1);
}
