/*
 * The IPC fastpath: seL4_Call to a passive server waiting in Recv, and seL4_ReplyRecv from
 * that server back to its caller, when nothing unusual is going on (no caps, at most the 4
 * register MRs, the right rights and states, and the thread to switch to is the one the
 * scheduler would pick anyway). Anything else falls through to the general path, which
 * gives the same result. The SC moves with the message (donation and its return), so no
 * time needs charging and the timer stays as it is.
 */
#include "fastpath.h"
#include "tcb.h"
#include "sched.h"
#include "cspace.h"
#include "endpoint.h"
#include "notification.h"
#include "reply.h"
#include "schedcontext.h"
#include "abi.h"

static inline bool fast_message(word_t info)
{
    seL4_MessageInfo_t m = { .words = { info } };
    return seL4_MessageInfo_get_extraCaps(m) == 0 && seL4_MessageInfo_get_length(m) <= ARCH_NUM_MSG_REGISTERS;
}

/* The receiver gets the sender's register MRs and a clean MessageInfo. */
static inline void fast_transfer(tcb_t *from, tcb_t *to, word_t info, word_t badge)
{
    seL4_MessageInfo_t m = { .words = { info } };
    to->ctx.r10 = from->ctx.r10;
    to->ctx.r8 = from->ctx.r8;
    to->ctx.r9 = from->ctx.r9;
    to->ctx.r15 = from->ctx.r15;
    to->ctx.ARCH_REG_INFO =
        seL4_MessageInfo_new(seL4_MessageInfo_get_label(m), 0, 0, seL4_MessageInfo_get_length(m)).words[0];
    to->ctx.ARCH_REG_BADGE = badge;
}

static inline bool may_run_now(const tcb_t *t)
{
    return t->priority >= sched_highest_ready_prio() && arch_thread_vspace_root((tcb_t *)t) != 0;
}

static NORETURN void fast_switch(tcb_t *from, tcb_t *to)
{
    arch_switch_thread(from, to);
    current_thread = to;
    arch_restore_user(to);
}

void fastpath_call(void)
{
    tcb_t *caller = current_thread;
    word_t info = caller->ctx.ARCH_REG_INFO;
    cte_t *slot;
    struct lookup_fault lf;
    if (!fast_message(info) || !caller->sc || !lookup_slot(caller, caller->ctx.ARCH_REG_CAP, &slot, &lf))
        return;
    cap_t c = slot->cap;
    unsigned rights = (unsigned)cap_rights(c);
    if (cap_get_type(c) != cap_endpoint || !(rights & seL4_CanWrite.words[0]) ||
        !(rights & (seL4_CanGrant.words[0] | seL4_CanGrantReply.words[0])))
        return;
    endpoint_t *ep = cap_ptr(c);
    tcb_t *dest = ep->head;
    if (ep_state(ep) != ep_recv || !dest->reply || dest->sc || !may_run_now(dest))
        return;

    endpoint_dequeue(ep, dest);
    reply_t *reply = dest->reply;
    reply_remove(reply, dest);
    reply_push(caller, dest, reply, true); /* caller blocks; its SC goes to dest */
    fast_transfer(caller, dest, info, cap_badge(c));
    dest->state = thread_running;
    fast_switch(caller, dest);
}

void fastpath_reply_recv(void)
{
    tcb_t *server = current_thread;
    word_t info = server->ctx.ARCH_REG_INFO;
    cte_t *ep_slot, *reply_slot;
    struct lookup_fault lf;
    if (!fast_message(info) || !lookup_slot(server, server->ctx.ARCH_REG_CAP, &ep_slot, &lf) ||
        !lookup_slot(server, server->ctx.ARCH_REG_REPLY, &reply_slot, &lf))
        return;
    cap_t ec = ep_slot->cap, rc = reply_slot->cap;
    if (cap_get_type(ec) != cap_endpoint || !(cap_rights(ec) & seL4_CanRead.words[0]) ||
        cap_get_type(rc) != cap_reply)
        return;
    endpoint_t *ep = cap_ptr(ec);
    reply_t *reply = cap_ptr(rc);
    tcb_t *caller = reply->tcb;
    if (ep_state(ep) == ep_send || !caller || caller->state != thread_blocked_on_reply ||
        caller->fault.type != seL4_Fault_NullFault || caller->sc || !server->sc ||
        !reply_is_top_of(reply, server->sc) || !may_run_now(caller))
        return;
    notification_t *bound = server->bound_notification;
    if (bound && (bound->state == ntfn_active || bound->sc))
        return;

    reply_pop(reply, caller); /* the SC goes back to the caller */
    fast_transfer(server, caller, info, 0);
    caller->state = thread_running;
    server->blocking_object = ep;
    server->reply = reply;
    reply->tcb = server;
    server->state = thread_blocked_on_recv;
    endpoint_enqueue(ep, server, ep_recv);
    fast_switch(server, caller);
}
