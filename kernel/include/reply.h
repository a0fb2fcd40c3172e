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
/* Unlink the caller for a reply (or the reply object's deletion): if this reply is the top of
 * its SC's call stack the SC goes back to the caller; lower down the stack is cut here. */
void reply_pop(reply_t *reply, struct tcb *caller);
/* Unlink t from the reply object: a receiver, or a caller whose IPC is cancelled (the stack is
 * cut here and the SC stays where it is, even on top). */
void reply_remove(reply_t *reply, struct tcb *t);
/* Invoke a reply cap: deliver the reply message (or fault reply) to the caller. */
void do_reply_transfer(struct tcb *replier, reply_t *reply, bool can_grant);
void reply_finalise(reply_t *reply);
/* The call stack of an SC: sc->reply is the top, each reply's prev is the one below, the top
 * reply's next is the SC tagged with bit 0, other replies' next is the reply above. */
#define REPLY_NEXT_IS_SC 1ull
static inline bool reply_is_top_of(const reply_t *reply, const struct sched_context *sc)
{
    return reply->next == ((word_t)sc | REPLY_NEXT_IS_SC);
}
/* Push reply on top of the call stack of sc (its SC_REPLY is the sc->reply field). */
#define CALL_STACK_PUSH(reply, sc) \
    do { \
        (reply)->prev = (sc)->reply; \
        if ((sc)->reply) \
            (sc)->reply->next = (word_t)(reply); \
        (reply)->next = (word_t)(sc) | REPLY_NEXT_IS_SC; \
        (sc)->reply = (reply); \
    } while (0)
/* Take the top reply off the call stack of sc. */
#define CALL_STACK_POP_TOP(reply, sc) \
    do { \
        (sc)->reply = (reply)->prev; \
        if ((reply)->prev) \
            (reply)->prev->next = (word_t)(sc) | REPLY_NEXT_IS_SC; \
        (reply)->prev = NULL; \
        (reply)->next = 0; \
    } while (0)
