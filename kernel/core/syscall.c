/* The syscall entry point: dispatch on the syscall number (abi §1). */
#include "syscall.h"
#include "tcb.h"
#include "sched.h"
#include "cspace.h"
#include "endpoint.h"
#include "notification.h"
#include "reply.h"
#include "invocation.h"
#include "printk.h"
#include "fastpath.h"
#include "invariants.h"
#include "abi.h"

static void unknown_syscall(tcb_t *t, word_t number)
{
    struct fault f = { .type = seL4_Fault_UnknownSyscall };
    f.unknown_syscall.number = number;
    arch_restart_syscall(&t->ctx); /* FaultIP is the syscall instruction itself */
    handle_fault(t, &f);
}

/* A receive-phase cap fault: the lookup failed, or found the wrong kind of cap. */
static void recv_cap_fault(tcb_t *t, word_t cptr, const struct lookup_fault *lf)
{
    struct lookup_fault missing = { .type = seL4_MissingCapability, .bits_left = 0 };
    raise_cap_fault(t, cptr, true, lf ? lf : &missing);
}

/* Recv, NBRecv, Wait, NBWait and the receive half of the combined syscalls. */
static void handle_recv(tcb_t *t, bool blocking, bool with_reply)
{
    word_t cptr = t->ctx.ARCH_REG_CAP;
    cte_t *slot;
    struct lookup_fault lf;
    if (!lookup_slot(t, cptr, &slot, &lf)) {
        user_error("Receive: lookup of cap #%lu failed.", cptr);
        recv_cap_fault(t, cptr, &lf);
        return;
    }
    cap_t c = slot->cap;
    bool can_read = cap_rights(c) & seL4_CanRead.words[0];
    switch (cap_get_type(c)) {
    case cap_endpoint: {
        if (!can_read) {
            user_error("Receive: endpoint cap #%lu has no Read right.", cptr);
            recv_cap_fault(t, cptr, NULL);
            return;
        }
        reply_t *reply = NULL;
        if (with_reply) {
            word_t rptr = t->ctx.ARCH_REG_REPLY;
            cte_t *rslot;
            if (!lookup_slot(t, rptr, &rslot, &lf)) {
                user_error("Reply cap lookup failed: cap #%lu.", rptr);
                recv_cap_fault(t, rptr, &lf); /* the lookup failure as it is, like seL4 */
                return;
            }
            cap_t rc = rslot->cap;
            if (cap_get_type(rc) != cap_reply) {
                user_error("Reply cap lookup failed: cap #%lu is not a reply cap.", rptr);
                recv_cap_fault(t, rptr, NULL);
                return;
            }
            reply = cap_ptr(rc);
        }
        receive_ipc(t, c, blocking, reply);
        return;
    }
    case cap_notification: {
        notification_t *n = cap_ptr(c);
        if (!can_read || (n->bound_tcb && n->bound_tcb != t)) {
            user_error("Receive: notification cap #%lu has no Read right or is bound to another thread.", cptr);
            recv_cap_fault(t, cptr, NULL);
            return;
        }
        receive_signal(t, c, blocking);
        return;
    }
    default:
        user_error("Receive: cap #%lu is a %s cap, not an endpoint or notification.", cptr,
                   cap_type_name(cap_get_type(c)));
        recv_cap_fault(t, cptr, NULL);
    }
}

/* Call and ReplyRecv arrive here from the fastpath (fastpath.c) when it does not apply. */
NORETURN void handle_syscall(word_t number)
{
    tcb_t *t = current_thread;
    sched_kernel_entry();
    if (!check_budget()) {
        /* No budget left: the syscall is not executed; it runs again with the next refill. */
        arch_restart_syscall(&t->ctx);
        schedule_and_return();
    }
    struct user_context *c = &t->ctx;
    switch ((sword_t)number) {
    case seL4_SysCall:
        handle_invocation(c->ARCH_REG_CAP, true, true, false);
        break;
    case seL4_SysSend:
        handle_invocation(c->ARCH_REG_CAP, false, true, false);
        break;
    case seL4_SysNBSend:
        handle_invocation(c->ARCH_REG_CAP, false, false, false);
        break;
    case seL4_SysRecv:
        handle_recv(t, true, true);
        break;
    case seL4_SysNBRecv:
        handle_recv(t, false, true);
        break;
    case seL4_SysWait:
        handle_recv(t, true, false);
        break;
    case seL4_SysNBWait:
        handle_recv(t, false, false);
        break;
    case seL4_SysReplyRecv:
        handle_invocation(c->ARCH_REG_REPLY, false, false, true);
        handle_recv(t, true, true);
        break;
    case seL4_SysNBSendRecv:
        handle_invocation(c->ARCH_REG_NBSR_DEST, false, false, true);
        handle_recv(t, true, true);
        break;
    case seL4_SysNBSendWait:
        handle_invocation(c->ARCH_REG_REPLY, false, false, true);
        handle_recv(t, true, false);
        break;
    case seL4_SysYield:
        sched_yield_current();
        break;
    case seL4_SysBenchmarkNullSyscall: /* always present in Cairn: the null-syscall benchmark */
        break;
    default:
        if (!handle_debug_syscall(number))
            unknown_syscall(t, number);
    }
    if (invariants_enabled) {
        unsigned n = check_invariants();
        if (n)
            panic("%u kernel invariant violation(s) after syscall %ld", n, (sword_t)number);
        sched_discount_kernel_time(); /* the check is not the thread's time */
    }
    schedule_and_return();
}
