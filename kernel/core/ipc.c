/* Message transfer between threads: message registers, capability transfer with unwrapping,
 * fault messages and fault replies (abi §10.5, §11). */
#include "ipc.h"
#include "tcb.h"
#include "endpoint.h"
#include "cspace.h"
#include "schedcontext.h"
#include "arch.h"
#include "abi.h"
#include "delete.h"

void set_mr(tcb_t *t, word_t *buf, unsigned i, word_t v)
{
    if (i < ARCH_NUM_MSG_REGISTERS)
        *arch_msg_register(&t->ctx, i) = v;
    else if (buf)
        buf[i + 1] = v;
}

word_t get_mr(tcb_t *t, word_t *buf, unsigned i)
{
    if (i < ARCH_NUM_MSG_REGISTERS)
        return *arch_msg_register(&t->ctx, i);
    return buf ? buf[i + 1] : 0;
}

/* MRs 0..n-1 from an array: the register ones written directly (not one switch per MR as
 * set_mr() does), the rest into the buffer if there is one. */
static void set_mrs(tcb_t *t, word_t *buf, const word_t *mrs, unsigned n)
{
    _Static_assert(ARCH_NUM_MSG_REGISTERS == 4, "the register MRs below");
    switch (MIN(n, 4u)) {
    case 4:
        t->ctx.ARCH_REG_MR3 = mrs[3];
        /* fall through */
    case 3:
        t->ctx.ARCH_REG_MR2 = mrs[2];
        /* fall through */
    case 2:
        t->ctx.ARCH_REG_MR1 = mrs[1];
        /* fall through */
    case 1:
        t->ctx.ARCH_REG_MR0 = mrs[0];
    }
    if (buf)
        for (unsigned i = ARCH_NUM_MSG_REGISTERS; i < n; i++)
            buf[i + 1] = mrs[i];
}

static word_t copy_mrs(tcb_t *sender, word_t *sbuf, tcb_t *receiver, word_t *rbuf, word_t n)
{
    unsigned i = 0;
    for (; i < n && i < ARCH_NUM_MSG_REGISTERS; i++)
        *arch_msg_register(&receiver->ctx, i) = *arch_msg_register(&sender->ctx, i);
    if (!sbuf || !rbuf)
        return i;
    for (; i < n; i++)
        rbuf[i + 1] = sbuf[i + 1];
    return i;
}

#define BUF_WORD(field) (offsetof(seL4_IPCBuffer, field) / sizeof(word_t))

/* The receiver's one receive slot (receiveCNode/Index/Depth in its IPC buffer), if usable. */
static cte_t *receive_slot(tcb_t *receiver, word_t *rbuf)
{
    cte_t *cnode_slot, *slot;
    struct lookup_fault lf;
    if (!lookup_slot(receiver, rbuf[BUF_WORD(receiveCNode)], &cnode_slot, &lf))
        return NULL;
    word_t depth = rbuf[BUF_WORD(receiveDepth)];
    if (depth < 1 || depth > seL4_WordBits)
        return NULL;
    if (!lookup_slot_exact(cnode_slot->cap, rbuf[BUF_WORD(receiveIndex)], depth, &slot, &lf))
        return NULL;
    return cap_is_null(slot->cap) ? slot : NULL;
}

static seL4_MessageInfo_t transfer_caps(seL4_MessageInfo_t info, cte_t **caps, unsigned n, endpoint_t *ep,
                                        tcb_t *receiver, word_t *rbuf)
{
    info = seL4_MessageInfo_set_extraCaps(info, 0);
    info = seL4_MessageInfo_set_capsUnwrapped(info, 0);
    if (!n || !rbuf)
        return info;
    cte_t *dest = receive_slot(receiver, rbuf);
    unsigned i = 0;
    word_t unwrapped = 0;
    for (; i < n; i++) {
        cap_t c = caps[i]->cap;
        if (cap_get_type(c) == cap_endpoint && cap_ptr(c) == ep) {
            rbuf[BUF_WORD(caps_or_badges) + i] = cap_badge(c);
            unwrapped |= BIT(i);
            continue;
        }
        if (!dest)
            break;
        word_t error = EXCEPTION_NONE;
        cap_t derived = derive_cap(caps[i], c, &error);
        if (error != EXCEPTION_NONE || cap_is_null(derived))
            break;
        cte_insert_derived(caps[i], dest, derived);
        dest = NULL; /* one receive slot only */
    }
    info = seL4_MessageInfo_set_extraCaps(info, i);
    return seL4_MessageInfo_set_capsUnwrapped(info, unwrapped);
}

static void do_normal_transfer(tcb_t *sender, endpoint_t *ep, word_t badge, bool grant, tcb_t *receiver)
{
    seL4_MessageInfo_t info = { .words = { sender->ctx.ARCH_REG_INFO } };
    word_t length = MIN(seL4_MessageInfo_get_length(info), (word_t)seL4_MsgMaxLength);
    /* The IPC buffers matter only for MRs past the registers and for caps. */
    word_t *sbuf = NULL, *rbuf = NULL;
    if (length > ARCH_NUM_MSG_REGISTERS || (grant && seL4_MessageInfo_get_extraCaps(info))) {
        sbuf = thread_ipc_buffer(sender, false);
        rbuf = thread_ipc_buffer(receiver, true);
    }

    cte_t *caps[seL4_MsgMaxExtraCaps];
    unsigned ncaps = 0;
    if (grant && sbuf) {
        unsigned want = (unsigned)seL4_MessageInfo_get_extraCaps(info);
        struct lookup_fault lf;
        for (; ncaps < want; ncaps++)
            if (!lookup_slot(sender, sbuf[BUF_WORD(caps_or_badges) + ncaps], &caps[ncaps], &lf))
                break;
        if (ncaps < want)
            ncaps = 0; /* seL4 transfers no caps if any lookup fails */
    }
    word_t n = copy_mrs(sender, sbuf, receiver, rbuf, length);
    info = transfer_caps(info, caps, ncaps, ep, receiver, rbuf);
    info = seL4_MessageInfo_set_length(info, n);
    receiver->ctx.ARCH_REG_INFO = info.words[0];
    receiver->ctx.ARCH_REG_BADGE = badge;
}

static unsigned lookup_fault_mrs(tcb_t *t, word_t *buf, unsigned o, const struct lookup_fault *lf)
{
    set_mr(t, buf, o, lf->type);
    switch (lf->type) {
    case seL4_MissingCapability:
        set_mr(t, buf, o + 1, lf->bits_left);
        return 2;
    case seL4_DepthMismatch:
        set_mr(t, buf, o + 1, lf->bits_left);
        set_mr(t, buf, o + 2, lf->bits_found_or_guard);
        return 3;
    case seL4_GuardMismatch:
        set_mr(t, buf, o + 1, lf->bits_left);
        set_mr(t, buf, o + 2, lf->bits_found_or_guard);
        set_mr(t, buf, o + 3, lf->guard_bits_found);
        return 4;
    default:
        return 1;
    }
}

static void do_fault_transfer(tcb_t *sender, word_t badge, tcb_t *receiver)
{
    word_t *rbuf = thread_ipc_buffer(receiver, true);
    const struct fault *f = &sender->fault;
    word_t mrs[seL4_UnknownSyscall_Length];
    unsigned n;
    switch (f->type) {
    case seL4_Fault_CapFault:
        set_mr(receiver, rbuf, seL4_CapFault_IP, arch_context_ip(&sender->ctx));
        set_mr(receiver, rbuf, seL4_CapFault_Addr, f->cap.addr);
        set_mr(receiver, rbuf, seL4_CapFault_InRecvPhase, f->cap.in_recv_phase);
        n = seL4_CapFault_LookupFailureType +
            lookup_fault_mrs(receiver, rbuf, seL4_CapFault_LookupFailureType, &f->cap.lookup);
        break;
    case seL4_Fault_Timeout:
        set_mr(receiver, rbuf, seL4_Timeout_Data, sender->sc ? sender->sc->badge : 0);
        n = 1;
        if (sender->sc) {
            set_mr(receiver, rbuf, seL4_Timeout_Consumed, sender->sc->consumed / arch_tsc_mhz());
            sender->sc->consumed = 0;
            n = 2;
        }
        break;
    default: /* UnknownSyscall, UserException, VMFault: register layouts are the arch's */
        n = arch_fault_message(&sender->ctx, f, mrs);
        set_mrs(receiver, rbuf, mrs, n);
    }
    if (!rbuf)
        n = MIN(n, (unsigned)ARCH_NUM_MSG_REGISTERS);
    receiver->ctx.ARCH_REG_INFO = seL4_MessageInfo_new(f->type, 0, 0, n).words[0];
    receiver->ctx.ARCH_REG_BADGE = badge;
}

void do_ipc_transfer(tcb_t *sender, endpoint_t *ep, word_t badge, bool grant, tcb_t *receiver)
{
    if (sender->fault.type == seL4_Fault_NullFault)
        do_normal_transfer(sender, ep, badge, grant, receiver);
    else
        do_fault_transfer(sender, badge, receiver);
}

void do_nb_recv_failed_transfer(tcb_t *t) { t->ctx.ARCH_REG_BADGE = 0; }

bool handle_fault_reply(tcb_t *faulter, tcb_t *replier)
{
    seL4_MessageInfo_t info = { .words = { replier->ctx.ARCH_REG_INFO } };
    word_t label = seL4_MessageInfo_get_label(info);
    word_t length = MIN(seL4_MessageInfo_get_length(info), (word_t)seL4_MsgMaxLength);
    /* The buffer only matters for MRs past the registers (get_mr() does not read it below). */
    word_t *buf = length > ARCH_NUM_MSG_REGISTERS ? thread_ipc_buffer(replier, false) : NULL;
    word_t mrs[seL4_TimeoutReply_Length];
    unsigned n = (unsigned)MIN(length, (word_t)ARRAY_SIZE(mrs));
    for (unsigned i = 0; i < n; i++)
        mrs[i] = get_mr(replier, buf, i);
    switch (faulter->fault.type) {
    case seL4_Fault_CapFault:
    case seL4_Fault_VMFault:
        return true;
    default:
        arch_fault_reply(&faulter->ctx, &faulter->fault, mrs, n);
        return label == 0;
    }
}
