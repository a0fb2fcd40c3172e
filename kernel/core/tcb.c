/* Thread control blocks: creation defaults, state changes, and the TCB invocations
 * (abi §5.3, MCS signatures). */
#include "tcb.h"
#include "sched.h"
#include "kstring.h"
#include "endpoint.h"
#include "notification.h"
#include "reply.h"
#include "schedcontext.h"
#include "invocation.h"
#include "cspace.h"
#include "syscall.h"
#include "abi.h"
#include "delete.h"

static tcb_t *all_threads;

void tcb_init(tcb_t *t, const char *name)
{
    t->state = thread_inactive;
    arch_init_user_context(&t->ctx, 0, 0);
    size_t n = kstrnlen(name, TCB_NAME_LEN - 1);
    memcpy(t->name, name, n);
    t->name[n] = '\0';
    t->debug_prev = NULL;
    t->debug_next = all_threads;
    if (all_threads)
        all_threads->debug_prev = t;
    all_threads = t;
}

tcb_t *tcb_first(void) { return all_threads; }

const char *thread_state_name(enum thread_state s)
{
    switch (s) {
    case thread_inactive: return "inactive";
    case thread_running: return "running";
    case thread_restart: return "restart";
    case thread_blocked_on_recv: return "blocked on recv";
    case thread_blocked_on_send: return "blocked on send";
    case thread_blocked_on_reply: return "blocked on reply";
    case thread_blocked_on_notification: return "blocked on ntfn";
    }
    return "?";
}

void set_thread_state(tcb_t *t, enum thread_state s)
{
    t->state = s;
    if (!thread_runnable(t)) { /* (the tests spare the calls in the usual case: in neither queue) */
        if (t->in_ready_queue)
            sched_dequeue(t);
        if (t->in_release_queue)
            release_dequeue(t);
    }
}

void cancel_ipc(tcb_t *t)
{
    t->fault.type = seL4_Fault_NullFault; /* a cancelled IPC takes any pending fault with it (seL4) */
    switch (t->state) {
    case thread_blocked_on_send:
    case thread_blocked_on_recv:
        endpoint_dequeue(t->blocking_object, t);
        if (t->reply)
            reply_remove(t->reply, t);
        break;
    case thread_blocked_on_notification:
        notification_dequeue(t->blocking_object, t);
        break;
    case thread_blocked_on_reply:
        if (t->reply)
            reply_remove(t->reply, t);
        break;
    default:
        return;
    }
    t->blocking_object = NULL;
    set_thread_state(t, thread_inactive);
}

void suspend_thread(tcb_t *t)
{
    if (t->state == thread_running)
        t->ctx.fault_ip = t->ctx.rip; /* a Resume continues where it stopped */
    cancel_ipc(t);
    set_thread_state(t, thread_inactive);
    if (t->yield_to) {
        t->yield_to->yield_from = NULL;
        t->yield_to = NULL;
    }
}

void restart_thread(tcb_t *t)
{
    if (thread_runnable(t))
        return;
    cancel_ipc(t);
    set_thread_state(t, thread_restart);
    if (t->sc)
        refill_unblock_check(t->sc);
    possible_switch_to(t);
}

void tcb_set_priority(tcb_t *t, unsigned prio)
{
    if (t->in_ready_queue) {
        sched_dequeue(t);
        t->priority = (uint8_t)prio;
        sched_enqueue(t);
    } else {
        t->priority = (uint8_t)prio;
    }
    if (t->state == thread_blocked_on_send || t->state == thread_blocked_on_recv)
        endpoint_reorder(t->blocking_object, t);
    else if (t->state == thread_blocked_on_notification)
        notification_reorder(t->blocking_object, t);
}

/* The last cap to the TCB is gone (abi §9.2): unbind its notification and SC (completing a
 * pending YieldTo), stop it, and forget it; delete.c then empties its five slots. */
void tcb_finalise(tcb_t *t)
{
    if (t->bound_notification)
        notification_unbind_tcb(t->bound_notification);
    if (t->yield_to) {
        t->yield_to->yield_from = NULL;
        t->yield_to = NULL;
    }
    if (t->sc) {
        if (t->sc->yield_from)
            sched_context_complete_yield_to(t->sc->yield_from);
        sched_context_unbind_tcb(t->sc);
    }
    suspend_thread(t);
    sched_forget_thread(t);
    arch_thread_destroyed(t);
    if (t->debug_prev)
        t->debug_prev->debug_next = t->debug_next;
    else if (all_threads == t)
        all_threads = t->debug_next;
    if (t->debug_next)
        t->debug_next->debug_prev = t->debug_prev;
    t->debug_next = t->debug_prev = NULL;
}

word_t *thread_ipc_buffer(tcb_t *t, bool write)
{
    cap_t c = t->cnode[tcb_slot_ipc_buffer].cap;
    if (cap_get_type(c) != cap_frame || cap_frame_is_device(c) || !t->ipc_buffer)
        return NULL;
    if (write && !(cap_frame_vm_rights(c) & VM_WRITE))
        return NULL;
    paddr_t p = cap_frame_paddr(c) + (t->ipc_buffer & MASK(cap_frame_size_bits(c)));
    return paddr_to_kptr(p);
}

/* ---- invocations ---- */

static bool valid_fault_handler(cap_t c)
{
    if (cap_is_null(c))
        return true;
    unsigned r = cap_rights(c);
    return cap_get_type(c) == cap_endpoint && (r & seL4_CanWrite.words[0]) &&
           (r & (seL4_CanGrant.words[0] | seL4_CanGrantReply.words[0]));
}

/* Replace what is in one of the TCB's own slots by a copy of `cap` derived from `src`. */
static exception_t install_tcb_cap(tcb_t *t, enum tcb_slot which, cap_t cap, cte_t *src)
{
    cte_t *slot = &t->cnode[which];
    exception_t e = cte_delete(slot);
    if (e == EXCEPTION_NONE && !cap_is_null(cap) && src && !cap_is_null(src->cap))
        cte_insert_derived(src, slot, cap);
    if (which == tcb_slot_vspace)
        arch_thread_vspace_changed(t);
    return e;
}

/* The IPC buffer argument checks shared by Configure and SetIPCBuffer (abi §3). */
static exception_t check_ipc_buffer(struct invocation *inv, word_t vaddr, cte_t *frame, cap_t *derived)
{
    if (!vaddr) {
        *derived = cap_null_cap();
        return EXCEPTION_NONE;
    }
    word_t e = EXCEPTION_NONE;
    *derived = derive_cap(frame, frame->cap, &e);
    if (e != EXCEPTION_NONE)
        return e;
    if (cap_get_type(*derived) != cap_frame || cap_frame_is_device(*derived)) {
        user_error("IPC buffer: the cap is not a (non-device) frame cap.");
        return seL4_IllegalOperation;
    }
    if (!IS_ALIGNED(vaddr, seL4_IPCBufferSizeBits)) {
        user_error("IPC buffer: address 0x%lx is not aligned to %u bytes.", vaddr, 1u << seL4_IPCBufferSizeBits);
        return seL4_AlignmentError;
    }
    (void)inv;
    return EXCEPTION_NONE;
}

/* CSpace root and VSpace root arguments (Configure, SetSpace). First: the roots they
 * replace must not be in the middle of a long-running deletion (a preempted Delete or
 * Revoke would otherwise find its object swapped under it). */
static exception_t check_space(struct invocation *inv, tcb_t *t, cte_t *croot, word_t cdata, cte_t *vroot,
                               word_t vdata, cap_t *cspace, cap_t *vspace)
{
    if (slot_cap_long_running_delete(&t->cnode[tcb_slot_cspace]) ||
        slot_cap_long_running_delete(&t->cnode[tcb_slot_vspace])) {
        user_error("TCB: the thread's CSpace/VSpace root is the last cap to its object (or being deleted): replacing it "
                   "would be a long-running delete. Keep another cap to it, or delete the thread.");
        return seL4_IllegalOperation;
    }
    cap_t c = croot->cap;
    if (cdata)
        c = update_cap_data(false, cdata, c);
    word_t e = EXCEPTION_NONE;
    *cspace = derive_cap(croot, c, &e);
    if (e != EXCEPTION_NONE)
        return e;
    if (cap_get_type(*cspace) != cap_cnode) {
        user_error("TCB: the CSpace root is not a CNode cap (or its guard data is invalid).");
        return seL4_IllegalOperation;
    }
    cap_t v = vroot->cap;
    if (vdata)
        v = update_cap_data(false, vdata, v);
    *vspace = derive_cap(vroot, v, &e);
    if (e != EXCEPTION_NONE)
        return e;
    if (!arch_is_vspace_root(*vspace)) {
        user_error("TCB: the VSpace root is not a PML4 cap assigned to an ASID.");
        return seL4_IllegalOperation;
    }
    (void)inv;
    return EXCEPTION_NONE;
}

static exception_t tcb_configure(struct invocation *inv, tcb_t *t)
{
    cte_t *croot = inv_extra_cap(inv, 0), *vroot = inv_extra_cap(inv, 1), *buf = inv_extra_cap(inv, 2);
    if (inv->length < 3 || !croot || !vroot || !buf) {
        user_error("TCB_Configure: truncated message (needs 3 words and 3 caps).");
        return seL4_TruncatedMessage;
    }
    word_t vaddr = inv_mr(inv, 2);
    cap_t buf_cap, cspace, vspace;
    exception_t e = check_ipc_buffer(inv, vaddr, buf, &buf_cap);
    if (e == EXCEPTION_NONE)
        e = check_space(inv, t, croot, inv_mr(inv, 0), vroot, inv_mr(inv, 1), &cspace, &vspace);
    if (e != EXCEPTION_NONE)
        return e;
    if ((e = install_tcb_cap(t, tcb_slot_cspace, cspace, croot)) != EXCEPTION_NONE ||
        (e = install_tcb_cap(t, tcb_slot_vspace, vspace, vroot)) != EXCEPTION_NONE ||
        (e = install_tcb_cap(t, tcb_slot_ipc_buffer, buf_cap, buf)) != EXCEPTION_NONE)
        return e;
    t->ipc_buffer = vaddr;
    return EXCEPTION_NONE;
}

static exception_t tcb_set_space(struct invocation *inv, tcb_t *t)
{
    cte_t *fault = inv_extra_cap(inv, 0), *croot = inv_extra_cap(inv, 1), *vroot = inv_extra_cap(inv, 2);
    if (inv->length < 2 || !fault || !croot || !vroot) {
        user_error("TCB_SetSpace: truncated message (needs 2 words and 3 caps).");
        return seL4_TruncatedMessage;
    }
    cap_t cspace, vspace;
    exception_t e = check_space(inv, t, croot, inv_mr(inv, 0), vroot, inv_mr(inv, 1), &cspace, &vspace);
    if (e != EXCEPTION_NONE)
        return e;
    if (!valid_fault_handler(fault->cap)) {
        user_error("TCB_SetSpace: the fault handler must be an endpoint cap with Write and Grant or GrantReply.");
        return err_invalid_capability(inv, 1);
    }
    if ((e = install_tcb_cap(t, tcb_slot_fault_handler, fault->cap, fault)) != EXCEPTION_NONE ||
        (e = install_tcb_cap(t, tcb_slot_cspace, cspace, croot)) != EXCEPTION_NONE ||
        (e = install_tcb_cap(t, tcb_slot_vspace, vspace, vroot)) != EXCEPTION_NONE)
        return e;
    return EXCEPTION_NONE;
}

static exception_t tcb_set_ipc_buffer(struct invocation *inv, tcb_t *t)
{
    cte_t *frame = inv_extra_cap(inv, 0);
    if (inv->length < 1 || !frame) {
        user_error("TCB_SetIPCBuffer: truncated message.");
        return seL4_TruncatedMessage;
    }
    word_t vaddr = inv_mr(inv, 0);
    cap_t buf_cap;
    exception_t e = check_ipc_buffer(inv, vaddr, frame, &buf_cap);
    if (e == EXCEPTION_NONE)
        e = install_tcb_cap(t, tcb_slot_ipc_buffer, buf_cap, frame);
    if (e == EXCEPTION_NONE)
        t->ipc_buffer = vaddr;
    return e;
}

/* The authority TCB and the new value for SetPriority / SetMCPriority. */
static exception_t priority_args(struct invocation *inv, const char *what, word_t *value)
{
    cte_t *auth = inv_extra_cap(inv, 0);
    if (inv->length < 1 || !auth) {
        user_error("%s: truncated message.", what);
        return seL4_TruncatedMessage;
    }
    if (cap_get_type(auth->cap) != cap_thread) {
        user_error("%s: the authority is not a TCB cap.", what);
        return err_invalid_capability(inv, 1);
    }
    word_t mcp = ((tcb_t *)cap_ptr(auth->cap))->mcp;
    *value = inv_mr(inv, 0);
    if (*value > mcp) {
        user_error("%s: %lu is above the authority's maximum controlled priority %lu.", what, *value, mcp);
        return err_range(inv, 0, mcp);
    }
    return EXCEPTION_NONE;
}

static exception_t tcb_set_sched_params(struct invocation *inv, tcb_t *t)
{
    cte_t *auth = inv_extra_cap(inv, 0), *scs = inv_extra_cap(inv, 1), *fault = inv_extra_cap(inv, 2);
    if (inv->length < 2 || !auth || !scs || !fault) {
        user_error("TCB_SetSchedParams: truncated message (needs 2 words and 3 caps).");
        return seL4_TruncatedMessage;
    }
    if (cap_get_type(auth->cap) != cap_thread) {
        user_error("TCB_SetSchedParams: the authority is not a TCB cap.");
        return err_invalid_capability(inv, 1);
    }
    word_t auth_mcp = ((tcb_t *)cap_ptr(auth->cap))->mcp, mcp = inv_mr(inv, 0), prio = inv_mr(inv, 1);
    if (mcp > auth_mcp || prio > auth_mcp) {
        user_error("TCB_SetSchedParams: MCP %lu or priority %lu is above the authority's MCP %lu.", mcp, prio, auth_mcp);
        return err_range(inv, 0, auth_mcp);
    }
    sched_context_t *sc = NULL;
    if (cap_get_type(scs->cap) == cap_sched_context) {
        sc = cap_ptr(scs->cap);
        if (t->sc && t->sc != sc) {
            user_error("TCB_SetSchedParams: the TCB already has another scheduling context.");
            return seL4_IllegalOperation;
        }
        if (sc->tcb && sc->tcb != t) {
            user_error("TCB_SetSchedParams: the scheduling context is bound to another thread.");
            return seL4_IllegalOperation;
        }
        if (!thread_runnable(t) && t->state != thread_inactive && !(sc_active(sc) && refill_ready(sc))) {
            user_error("TCB_SetSchedParams: the TCB is blocked and the SC's budget is not available.");
            return seL4_IllegalOperation;
        }
    } else if (cap_is_null(scs->cap)) {
        if (t == inv->thread) {
            user_error("TCB_SetSchedParams: a thread cannot remove its own scheduling context.");
            return seL4_IllegalOperation;
        }
    } else {
        user_error("TCB_SetSchedParams: the scheduling context cap is a %s cap.", cap_type_name(cap_get_type(scs->cap)));
        return err_invalid_capability(inv, 2);
    }
    if (!valid_fault_handler(fault->cap)) {
        user_error("TCB_SetSchedParams: the fault handler must be an endpoint cap with Write and Grant or GrantReply.");
        return err_invalid_capability(inv, 3);
    }
    exception_t e = install_tcb_cap(t, tcb_slot_fault_handler, fault->cap, fault);
    if (e != EXCEPTION_NONE)
        return e;
    t->mcp = (uint8_t)mcp;
    tcb_set_priority(t, (unsigned)prio);
    if (sc && t->sc != sc)
        sched_context_bind_tcb(sc, t);
    else if (!sc && t->sc)
        sched_context_unbind_tcb(t->sc);
    return EXCEPTION_NONE;
}

static exception_t tcb_read_registers(struct invocation *inv, tcb_t *t)
{
    if (inv->length < 2) {
        user_error("TCB_ReadRegisters: truncated message.");
        return seL4_TruncatedMessage;
    }
    word_t flags = inv_mr(inv, 0), count = inv_mr(inv, 1);
    if (count < 1 || count > ARCH_NUM_USER_REGISTERS) {
        user_error("TCB_ReadRegisters: count %lu is outside 1..%d.", count, ARCH_NUM_USER_REGISTERS);
        return err_range(inv, 1, ARCH_NUM_USER_REGISTERS);
    }
    if (t == inv->thread) {
        user_error("TCB_ReadRegisters: a thread cannot read its own registers.");
        return seL4_IllegalOperation;
    }
    if (flags & 1)
        suspend_thread(t);
    for (unsigned i = 0; i < count; i++)
        inv_reply_mr(inv, i, arch_get_user_register(&t->ctx, i));
    inv->reply_length = count;
    return EXCEPTION_NONE;
}

static exception_t tcb_write_registers(struct invocation *inv, tcb_t *t)
{
    if (inv->length < 2) {
        user_error("TCB_WriteRegisters: truncated message.");
        return seL4_TruncatedMessage;
    }
    word_t flags = inv_mr(inv, 0), count = inv_mr(inv, 1);
    if (inv->length - 2 < count) {
        user_error("TCB_WriteRegisters: %lu registers announced, only %lu sent.", count, inv->length - 2);
        return seL4_TruncatedMessage;
    }
    if (t == inv->thread) {
        user_error("TCB_WriteRegisters: a thread cannot write its own registers.");
        return seL4_IllegalOperation;
    }
    count = MIN(count, (word_t)ARCH_NUM_USER_REGISTERS);
    for (unsigned i = 0; i < count; i++)
        arch_set_user_register(&t->ctx, i, inv_mr(inv, 2 + i));
    arch_context_written(&t->ctx);
    if (flags & 1)
        restart_thread(t);
    return EXCEPTION_NONE;
}

static exception_t tcb_copy_registers(struct invocation *inv, tcb_t *t)
{
    cte_t *src = inv_extra_cap(inv, 0);
    if (inv->length < 1 || !src) {
        user_error("TCB_CopyRegisters: truncated message.");
        return seL4_TruncatedMessage;
    }
    if (cap_get_type(src->cap) != cap_thread) {
        user_error("TCB_CopyRegisters: the source is not a TCB cap.");
        return err_invalid_capability(inv, 1);
    }
    tcb_t *from = cap_ptr(src->cap);
    word_t flags = inv_mr(inv, 0);
    if (flags & BIT(0))
        suspend_thread(from);
    if (flags & BIT(1))
        restart_thread(t);
    arch_copy_registers(&t->ctx, &from->ctx, flags & BIT(2), flags & BIT(3));
    if (t != inv->thread)
        arch_context_written(&t->ctx);
    return EXCEPTION_NONE;
}

static exception_t tcb_bind_notification(struct invocation *inv, tcb_t *t)
{
    cte_t *c = inv_extra_cap(inv, 0);
    if (!c) {
        user_error("TCB_BindNotification: truncated message (no cap).");
        return seL4_TruncatedMessage;
    }
    if (t->bound_notification) {
        user_error("TCB_BindNotification: the TCB already has a bound notification.");
        return seL4_IllegalOperation;
    }
    if (cap_get_type(c->cap) != cap_notification) {
        user_error("TCB_BindNotification: the cap is not a notification cap.");
        return seL4_IllegalOperation;
    }
    notification_t *n = cap_ptr(c->cap);
    if (!(cap_rights(c->cap) & seL4_CanRead.words[0])) {
        user_error("TCB_BindNotification: the notification cap has no Read right.");
        return seL4_IllegalOperation;
    }
    if (n->head || n->bound_tcb) {
        user_error("TCB_BindNotification: the notification has waiters or is bound already.");
        return seL4_IllegalOperation;
    }
    notification_bind_tcb(n, t);
    return EXCEPTION_NONE;
}

word_t decode_tcb_invocation(struct invocation *inv)
{
    tcb_t *t = cap_ptr(inv->cap);
    word_t v;
    exception_t e;
    switch (inv->label) {
    case TCBReadRegisters:
        return tcb_read_registers(inv, t);
    case TCBWriteRegisters:
        return tcb_write_registers(inv, t);
    case TCBCopyRegisters:
        return tcb_copy_registers(inv, t);
    case TCBConfigure:
        return tcb_configure(inv, t);
    case TCBSetPriority:
        if ((e = priority_args(inv, "TCB_SetPriority", &v)) == EXCEPTION_NONE)
            tcb_set_priority(t, (unsigned)v);
        return e;
    case TCBSetMCPriority:
        if ((e = priority_args(inv, "TCB_SetMCPriority", &v)) == EXCEPTION_NONE)
            t->mcp = (uint8_t)v;
        return e;
    case TCBSetSchedParams:
        return tcb_set_sched_params(inv, t);
    case TCBSetTimeoutEndpoint: {
        cte_t *ep = inv_extra_cap(inv, 0);
        if (!ep) {
            user_error("TCB_SetTimeoutEndpoint: truncated message (no cap).");
            return seL4_TruncatedMessage;
        }
        if (!valid_fault_handler(ep->cap)) {
            user_error("TCB_SetTimeoutEndpoint: the handler must be an endpoint cap with Write and Grant or GrantReply.");
            return err_invalid_capability(inv, 1);
        }
        return install_tcb_cap(t, tcb_slot_timeout_handler, ep->cap, ep);
    }
    case TCBSetIPCBuffer:
        return tcb_set_ipc_buffer(inv, t);
    case TCBSetSpace:
        return tcb_set_space(inv, t);
    case TCBSuspend:
        suspend_thread(t);
        return EXCEPTION_NONE;
    case TCBResume:
        restart_thread(t);
        return EXCEPTION_NONE;
    case TCBBindNotification:
        return tcb_bind_notification(inv, t);
    case TCBUnbindNotification:
        if (!t->bound_notification) {
            user_error("TCB_UnbindNotification: the TCB has no bound notification.");
            return seL4_IllegalOperation;
        }
        notification_unbind_tcb(t->bound_notification);
        return EXCEPTION_NONE;
    case TCBSetTLSBase:
        if (inv->length < 1) {
            user_error("TCB_SetTLSBase: truncated message.");
            return seL4_TruncatedMessage;
        }
        arch_set_tls_base(t, inv_mr(inv, 0));
        return EXCEPTION_NONE;
    case TCBSetFlags:
        if (inv->length < 2) {
            user_error("TCB_SetFlags: truncated message.");
            return seL4_TruncatedMessage;
        }
        t->flags = (t->flags & ~inv_mr(inv, 0)) | (inv_mr(inv, 1) & seL4_TCBFlag_MASK);
        inv_reply_mr(inv, 0, t->flags);
        inv->reply_length = 1;
        if (t == current_thread)
            arch_thread_flags_changed(t);
        return EXCEPTION_NONE;
    default:
        user_error("TCB: illegal operation (label %lu).", inv->label);
        return seL4_IllegalOperation;
    }
}
