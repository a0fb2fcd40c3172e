/* Invoking a capability: look up the cap and extra caps, decode by cap type, reply. */
#include <stdarg.h>
#include "invocation.h"
#include "tcb.h"
#include "cspace.h"
#include "printk.h"
#include "sched.h"
#include "syscall.h"
#include "endpoint.h"
#include "notification.h"
#include "reply.h"
#include "schedcontext.h"
#include "irq.h"
#include "abi.h"

void inv_reply_mr(struct invocation *inv, unsigned i, word_t v)
{
    if (i < ARCH_NUM_MSG_REGISTERS)
        *arch_msg_register(&inv->thread->ctx, i) = v;
    else if (inv->buffer)
        inv->buffer[i + 1] = v;
}

exception_t err_invalid_argument(struct invocation *inv, word_t index)
{
    inv->err.index = index;
    return seL4_InvalidArgument;
}
exception_t err_invalid_capability(struct invocation *inv, word_t index)
{
    inv->err.index = index;
    return seL4_InvalidCapability;
}
exception_t err_range(struct invocation *inv, word_t min, word_t max)
{
    inv->err.range_min = min;
    inv->err.range_max = max;
    return seL4_RangeError;
}
exception_t err_failed_lookup(struct invocation *inv, bool source, const struct lookup_fault *lf)
{
    inv->err.source = source;
    inv->err.lookup = *lf;
    return seL4_FailedLookup;
}
exception_t err_not_enough_memory(struct invocation *inv, word_t available)
{
    inv->err.bytes_available = available;
    return seL4_NotEnoughMemory;
}

void user_error_print(const char *func, int line, const char *fmt, ...)
{
    tcb_t *t = current_thread;
    kprintf("<<seL4(CPU 0) [%s/%d T%p \"%s\" @%lx]: ", func, line, (void *)t, t ? t->name : "",
            t ? arch_context_ip(&t->ctx) : 0);
    va_list ap;
    va_start(ap, fmt);
    vkprintf(fmt, ap);
    va_end(ap);
    kprintf(">>\n");
}

/* The MRs of a lookup failure description starting at MR offset `o` (abi §6); returns the
 * number of MRs written after o. */
unsigned write_lookup_fault(struct invocation *inv, unsigned o, const struct lookup_fault *lf)
{
    inv_reply_mr(inv, o, lf->type);
    switch (lf->type) {
    case seL4_MissingCapability:
        inv_reply_mr(inv, o + 1, lf->bits_left);
        return 2;
    case seL4_DepthMismatch:
        inv_reply_mr(inv, o + 1, lf->bits_left);
        inv_reply_mr(inv, o + 2, lf->bits_found_or_guard);
        return 3;
    case seL4_GuardMismatch:
        inv_reply_mr(inv, o + 1, lf->bits_left);
        inv_reply_mr(inv, o + 2, lf->bits_found_or_guard);
        inv_reply_mr(inv, o + 3, lf->guard_bits_found);
        return 4;
    default:
        return 1;
    }
}

static void reply(struct invocation *inv, word_t label, word_t length)
{
    if (!inv->buffer && length > ARCH_NUM_MSG_REGISTERS)
        length = ARCH_NUM_MSG_REGISTERS;
    struct user_context *c = &inv->thread->ctx;
    c->ARCH_REG_INFO = seL4_MessageInfo_new(label, 0, 0, length).words[0];
    c->ARCH_REG_BADGE = 0;
}

static void reply_error(struct invocation *inv, exception_t e)
{
    word_t n = 0;
    switch (e) {
    case seL4_InvalidArgument:
    case seL4_InvalidCapability:
        inv_reply_mr(inv, 0, inv->err.index);
        n = 1;
        break;
    case seL4_RangeError:
        inv_reply_mr(inv, 0, inv->err.range_min);
        inv_reply_mr(inv, 1, inv->err.range_max);
        n = 2;
        break;
    case seL4_FailedLookup:
        inv_reply_mr(inv, 0, inv->err.source);
        n = 1 + write_lookup_fault(inv, 1, &inv->err.lookup);
        break;
    case seL4_NotEnoughMemory:
        inv_reply_mr(inv, 0, inv->err.bytes_available);
        n = 1;
        break;
    default:
        break;
    }
    reply(inv, e, n);
}

/* IPC objects: the operation is the IPC itself. */
static exception_t invoke_ipc_object(struct invocation *inv, bool first_phase)
{
    tcb_t *t = inv->thread;
    cap_t c = inv->cap;
    switch (cap_get_type(c)) {
    case cap_endpoint:
        if (!(cap_rights(c) & seL4_CanWrite.words[0])) {
            user_error("Attempted to invoke a read-only endpoint cap #%lu.", inv->cptr);
            return err_invalid_capability(inv, 0);
        }
        send_ipc(t, inv->is_blocking, inv->is_call, cap_badge(c), cap_rights(c) & seL4_CanGrant.words[0],
                 cap_rights(c) & seL4_CanGrantReply.words[0], inv->is_call || first_phase, cap_ptr(c));
        return EXCEPTION_NONE;
    case cap_notification:
        if (!(cap_rights(c) & seL4_CanWrite.words[0])) {
            user_error("Attempted to invoke a read-only notification cap #%lu.", inv->cptr);
            return err_invalid_capability(inv, 0);
        }
        send_signal(cap_ptr(c), cap_badge(c));
        return EXCEPTION_NONE;
    default: /* reply */
        do_reply_transfer(t, cap_ptr(c), cap_reply_can_grant(c));
        return EXCEPTION_NONE;
    }
}

static exception_t decode_invocation(struct invocation *inv, bool first_phase)
{
    enum cap_type type = cap_get_type(inv->cap);
    if (first_phase && (type == cap_thread || type == cap_domain || type == cap_cnode ||
                        type == cap_sched_control || type == cap_sched_context)) {
        user_error("A %s cap cannot be invoked in the send phase of a combined syscall.", cap_type_name(type));
        return err_invalid_capability(inv, 0);
    }
    switch (type) {
    case cap_null:
        user_error("Attempted to invoke a null cap #%lu.", inv->cptr);
        return err_invalid_capability(inv, 0);
    case cap_endpoint:
    case cap_notification:
    case cap_reply:
        return invoke_ipc_object(inv, first_phase);
    case cap_untyped:
        return decode_untyped_invocation(inv);
    case cap_cnode:
        return decode_cnode_invocation(inv);
    case cap_thread:
        return decode_tcb_invocation(inv);
    case cap_sched_context:
        return decode_sched_context_invocation(inv);
    case cap_sched_control:
        return decode_sched_control_invocation(inv);
    case cap_domain:
        return decode_domain_invocation(inv);
    case cap_irq_control:
        return decode_irq_control_invocation(inv);
    case cap_irq_handler:
        return decode_irq_handler_invocation(inv);
    case cap_zombie:
        user_error("Attempted to invoke a zombie cap #%lu (an object whose deletion is unfinished).", inv->cptr);
        return err_invalid_capability(inv, 0);
    default:
        if (arch_cap_type_invocable(type))
            return decode_arch_invocation(inv);
        user_error("Invocation of %s caps is not implemented yet (cap #%lu).", cap_type_name(type), inv->cptr);
        return err_invalid_capability(inv, 0);
    }
}

void handle_invocation(word_t cptr, bool is_call, bool is_blocking, bool first_phase)
{
    tcb_t *t = current_thread;
    struct user_context *c = &t->ctx;
    /* Not `= { ... }`: zeroing the whole struct (extra_caps included) costs more than the
     * invocation itself for the small ones. Every field but extra_caps (read only below
     * num_extra_caps) and err is set here or below. err is not zeroed either: only the
     * err_*() helpers return the errors reply_error() gives details of, and each sets the
     * fields that its error's details are made of. */
    struct invocation inv;
    inv.thread = t;
    inv.is_call = is_call;
    inv.is_blocking = is_blocking;
    inv.cptr = cptr;
    inv.num_extra_caps = 0;
    inv.reply_length = 0;
    seL4_MessageInfo_t info = { .words = { c->ARCH_REG_INFO } };
    inv.label = seL4_MessageInfo_get_label(info);
    inv.length = MIN(seL4_MessageInfo_get_length(info), (word_t)seL4_MsgMaxLength);
    inv.buffer = thread_ipc_buffer(t, false);

    struct lookup_fault lf;
    if (!lookup_slot(t, cptr, &inv.slot, &lf)) {
        if (first_phase)
            return; /* a non-blocking send to nothing */
        user_error("Invocation of invalid cap #%lu.", cptr);
        if (is_blocking)
            raise_cap_fault(t, cptr, false, &lf);
        return;
    }
    inv.cap = inv.slot->cap;

    if (inv.buffer) {
        unsigned n = (unsigned)seL4_MessageInfo_get_extraCaps(info);
        for (unsigned i = 0; i < n; i++) {
            word_t x = inv.buffer[offsetof(seL4_IPCBuffer, caps_or_badges) / sizeof(word_t) + i];
            if (!lookup_slot(t, x, &inv.extra_caps[i], &lf)) {
                user_error("Lookup of extra caps failed.");
                if (is_blocking)
                    raise_cap_fault(t, x, false, &lf);
                return;
            }
            inv.num_extra_caps = i + 1;
        }
    } else if (inv.length > ARCH_NUM_MSG_REGISTERS) {
        user_error("Warning: No IPC buffer for thread. Truncating message length to: %d.", ARCH_NUM_MSG_REGISTERS);
        inv.length = ARCH_NUM_MSG_REGISTERS;
    }

    /* The thread is Restart while its invocation runs: if it is still Restart afterwards the
     * invocation neither blocked it nor stopped it, and a Call gets the kernel's reply. */
    t->state = thread_restart;
    exception_t e = decode_invocation(&inv, first_phase);
    if (e == EXCEPTION_PREEMPTED) {
        arch_restart_syscall(c); /* runs the syscall again to continue the work */
        if (t->state == thread_restart)
            t->state = thread_running;
        return;
    }
    if (t->state != thread_restart)
        return;
    t->state = thread_running;
    if (!is_call)
        return;
    if (e != EXCEPTION_NONE)
        reply_error(&inv, e);
    else
        reply(&inv, 0, inv.reply_length);
}

exception_t lookup_target_slot(struct invocation *inv, bool is_source, cap_t root, word_t index,
                               word_t depth, cte_t **slot)
{
    struct lookup_fault lf = { .type = seL4_InvalidRoot };
    const char *what = is_source ? "Source" : "Destination";
    if (cap_get_type(root) != cap_cnode) {
        user_error("%s slot lookup: the root is not a CNode cap (it is %s).", what, cap_type_name(cap_get_type(root)));
        return err_failed_lookup(inv, is_source, &lf);
    }
    if (depth < 1 || depth > seL4_WordBits) {
        user_error("%s slot lookup: depth %lu is outside 1..64.", what, depth);
        return err_range(inv, 1, seL4_WordBits);
    }
    if (!lookup_slot_exact(root, index, depth, slot, &lf)) {
        static const char *const kinds[] = { "", "invalid root", "missing capability", "depth mismatch",
                                             "guard mismatch" };
        user_error("%s slot lookup of index 0x%lx at depth %lu failed (%s with %lu bits left).", what, index, depth,
                   kinds[lf.type < 5 ? lf.type : 0], lf.bits_left);
        return err_failed_lookup(inv, is_source, &lf);
    }
    return EXCEPTION_NONE;
}

exception_t ensure_empty_slot(struct invocation *inv, const cte_t *slot)
{
    (void)inv;
    if (!cap_is_null(slot->cap)) {
        user_error("Destination slot is not empty (it holds a %s cap).", cap_type_name(cap_get_type(slot->cap)));
        return seL4_DeleteFirst;
    }
    return EXCEPTION_NONE;
}
