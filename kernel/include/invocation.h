/*
 * Invocations of kernel objects: a decoded message (label, MRs, extra caps) and the error a
 * decoder returns. Each object type has decode_<type>_invocation(), which checks everything
 * first and changes state only once nothing can fail (decode, then perform).
 */
#pragma once
#include "types.h"
#include "cap.h"
#include "fault.h"
#include "abi.h"
#include "tcb.h"

/* What a decoder returns: a seL4_Error, or a preemption of a long operation. */
typedef word_t exception_t;
#define EXCEPTION_NONE seL4_NoError
#define EXCEPTION_PREEMPTED 0x100 /* the thread re-executes its syscall later */

struct syscall_error {
    word_t index;                /* InvalidArgument, InvalidCapability */
    word_t range_min, range_max; /* RangeError */
    bool source;                 /* FailedLookup: was it a source (or pivot) lookup */
    struct lookup_fault lookup;  /* FailedLookup */
    word_t bytes_available;      /* NotEnoughMemory */
};

struct invocation {
    struct tcb *thread;
    cte_t *slot; /* the invoked cap's slot */
    cap_t cap;
    word_t cptr;
    word_t label, length;
    unsigned num_extra_caps;
    cte_t *extra_caps[seL4_MsgMaxExtraCaps];
    word_t *buffer; /* the caller's IPC buffer (kernel address) or NULL */
    bool is_call, is_blocking;
    word_t reply_length; /* MRs a successful invocation returns */
    struct syscall_error err;
};

/* Message register i of the request (i < length). Inline: decoders read several. */
static inline word_t inv_mr(const struct invocation *inv, unsigned i)
{
    if (i < ARCH_NUM_MSG_REGISTERS)
        return *arch_msg_register(&inv->thread->ctx, i);
    return inv->buffer ? inv->buffer[i + 1] : 0;
}
/* Set reply MR i (0-based) of a successful invocation. */
void inv_reply_mr(struct invocation *inv, unsigned i, word_t v);
/* Extra cap i, or NULL if the message did not carry it. */
static inline cte_t *inv_extra_cap(const struct invocation *inv, unsigned i)
{
    return i < inv->num_extra_caps ? inv->extra_caps[i] : NULL;
}

/* Error helpers: fill inv->err and return the error code. */
exception_t err_invalid_argument(struct invocation *inv, word_t index);
exception_t err_invalid_capability(struct invocation *inv, word_t index);
exception_t err_range(struct invocation *inv, word_t min, word_t max);
exception_t err_failed_lookup(struct invocation *inv, bool source, const struct lookup_fault *lf);
exception_t err_not_enough_memory(struct invocation *inv, word_t available);

/* One line on the debug console naming the thread, its IP and the reason (abi §13.2). */
void user_error_print(const char *func, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
#define user_error(...) user_error_print(__func__, __LINE__, __VA_ARGS__)

/* Per-object decoders (core and arch). */
exception_t decode_untyped_invocation(struct invocation *inv);
exception_t decode_cnode_invocation(struct invocation *inv);
exception_t decode_arch_invocation(struct invocation *inv); /* paging, ASID, IO ports */
exception_t decode_domain_invocation(struct invocation *inv);
/* IRQControl labels of the arch (x86: GetIOAPIC, GetMSI), and the arch's check of the IRQ
 * number of the generic IRQControl_Get (an error for IRQs it may not issue, x86 IOAPIC: all). */
exception_t decode_arch_irq_control_invocation(struct invocation *inv);
exception_t arch_check_irq(struct invocation *inv, word_t irq);
/* Whether the arch handles invocations of this cap type. */
bool arch_cap_type_invocable(enum cap_type t);

/* Find the slot a CNode-style (root, index, depth) argument names; the depth must be 1..64
 * and consumed exactly. Errors are reported as FailedLookup with the given source flag. */
exception_t lookup_target_slot(struct invocation *inv, bool is_source, cap_t root, word_t index,
                               word_t depth, cte_t **slot);
/* DeleteFirst unless the slot is empty. */
exception_t ensure_empty_slot(struct invocation *inv, const cte_t *slot);
