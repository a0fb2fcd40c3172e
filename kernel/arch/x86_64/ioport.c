/* I/O ports (abi §5.10): IOPortControl issues port ranges, IOPort caps do in/out. */
#include "x86.h"
#include "invocation.h"
#include "tcb.h"
#include "x86_internal.h"
#include "abi.h"

static word_t issued[BIT(16) / 64]; /* ports handed out, so ranges never overlap */

static bool any_issued(unsigned first, unsigned last)
{
    for (unsigned p = first; p <= last; p++)
        if (issued[p / 64] & BIT(p % 64))
            return true;
    return false;
}

static void set_issued(unsigned first, unsigned last, bool on)
{
    for (unsigned p = first; p <= last; p++) {
        if (on)
            issued[p / 64] |= BIT(p % 64);
        else
            issued[p / 64] &= ~BIT(p % 64);
    }
}

/* The final IOPort cap to a range is gone: the ports can be issued again. */
void ioport_range_free(cap_t c) { set_issued(cap_io_port_first(c), cap_io_port_last(c), false); }

exception_t decode_io_port_control(struct invocation *inv)
{
    if (inv->label != X86IOPortControlIssue) {
        user_error("IOPortControl: illegal operation (label %lu).", inv->label);
        return seL4_IllegalOperation;
    }
    cte_t *root = inv_extra_cap(inv, 0);
    if (inv->length < 4 || !root) {
        user_error("IOPortControl_Issue: truncated message (it takes 4 message registers and a CNode cap).");
        return seL4_TruncatedMessage;
    }
    unsigned first = inv_mr(inv, 0) & 0xffff, last = inv_mr(inv, 1) & 0xffff;
    if (last < first) {
        user_error("IOPortControl_Issue: last port 0x%x is below first port 0x%x.", last, first);
        return err_invalid_argument(inv, 1);
    }
    if (any_issued(first, last)) {
        user_error("IOPortControl_Issue: ports 0x%x..0x%x overlap a range already issued.", first, last);
        return seL4_RevokeFirst;
    }
    cte_t *dest;
    exception_t e = lookup_target_slot(inv, false, root->cap, inv_mr(inv, 2), inv_mr(inv, 3), &dest);
    if (e == EXCEPTION_NONE)
        e = ensure_empty_slot(inv, dest);
    if (e != EXCEPTION_NONE)
        return e;

    set_issued(first, last, true);
    cte_insert(inv->slot, dest, cap_io_port_new(first, last), true, false);
    return EXCEPTION_NONE;
}

exception_t decode_io_port(struct invocation *inv)
{
    unsigned width;
    bool out;
    switch (inv->label) {
    case X86IOPortIn8: width = 1; out = false; break;
    case X86IOPortIn16: width = 2; out = false; break;
    case X86IOPortIn32: width = 4; out = false; break;
    case X86IOPortOut8: width = 1; out = true; break;
    case X86IOPortOut16: width = 2; out = true; break;
    case X86IOPortOut32: width = 4; out = true; break;
    default:
        user_error("IOPort: illegal operation (label %lu).", inv->label);
        return seL4_IllegalOperation;
    }
    if (inv->length < (out ? 2u : 1u)) {
        user_error("IOPort %s: truncated message (it takes the port%s).", out ? "Out" : "In", out ? " and the data" : "");
        return seL4_TruncatedMessage;
    }
    unsigned port = inv_mr(inv, 0) & 0xffff;
    unsigned first = cap_io_port_first(inv->cap), last = cap_io_port_last(inv->cap);
    if (port < first || port + width - 1 > last) {
        user_error("IOPort: port 0x%x (%u bytes) is outside the cap's range 0x%x..0x%x.", port,
                   width, first, last);
        return seL4_IllegalOperation;
    }
    if (out) {
        word_t v = inv_mr(inv, 1);
        if (width == 1)
            outb((uint16_t)port, (uint8_t)v);
        else if (width == 2)
            outw((uint16_t)port, (uint16_t)v);
        else
            outl((uint16_t)port, (uint32_t)v);
        return EXCEPTION_NONE;
    }
    word_t v = width == 1 ? inb((uint16_t)port) : width == 2 ? inw((uint16_t)port) : inl((uint16_t)port);
    inv_reply_mr(inv, 0, v);
    inv->reply_length = 1;
    return EXCEPTION_NONE;
}
