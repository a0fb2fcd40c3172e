/* Helpers for the CNode system tests: raw invocations whose reply (label, length, MRs) can
 * be checked exactly, and objects retyped from BootInfo's untypeds. */
#pragma once
#include <stdarg.h>
#include <stdbool.h>
#include <sel4/sel4.h>

/* seL4_Call of service with any label, length and extra caps; mr[] holds `length` words.
 * Afterwards seL4_GetMR(i) reads the reply's MRs (the register ones are copied over). */
static inline seL4_MessageInfo_t call_raw(seL4_CPtr service, seL4_Word label, seL4_Word length, unsigned ncaps,
                                          const seL4_CPtr *caps, const seL4_Word *mr)
{
    seL4_Word m[4] = { 0 };
    for (seL4_Word i = 0; i < length; i++) {
        if (i < 4)
            m[i] = mr[i];
        else
            seL4_SetMR((int)i, mr[i]);
    }
    for (unsigned i = 0; i < ncaps; i++)
        seL4_SetCap((int)i, caps[i]);
    seL4_MessageInfo_t r =
        seL4_CallWithMRs(service, seL4_MessageInfo_new(label, 0, ncaps, length), &m[0], &m[1], &m[2], &m[3]);
    for (int i = 0; i < 4; i++)
        seL4_SetMR(i, m[i]);
    return r;
}

/* The reply is error `error` with exactly the n detail MRs given. */
static inline bool reply_is(seL4_MessageInfo_t r, seL4_Word error, unsigned n, ...)
{
    if (seL4_MessageInfo_get_label(r) != error || seL4_MessageInfo_get_length(r) != n)
        return false;
    va_list ap;
    va_start(ap, n);
    bool ok = true;
    for (unsigned i = 0; i < n; i++)
        ok &= seL4_GetMR((int)i) == va_arg(ap, seL4_Word);
    va_end(ap);
    return ok;
}

/* The smallest RAM untyped of at least 2^bits bytes (0: none). */
static inline seL4_CPtr find_untyped(const seL4_BootInfo *bi, unsigned bits)
{
    seL4_CPtr best = 0;
    unsigned best_bits = 64;
    for (seL4_Word i = 0; i < bi->untyped.end - bi->untyped.start; i++) {
        const seL4_UntypedDesc *d = &bi->untypedList[i];
        if (!d->isDevice && d->sizeBits >= bits && d->sizeBits < best_bits) {
            best = bi->untyped.start + i;
            best_bits = d->sizeBits;
        }
    }
    return best;
}

/* Retype n objects into root CNode slots from `slot` on. */
static inline seL4_Error make(seL4_CPtr ut, seL4_Word type, seL4_Word bits, seL4_CPtr slot, seL4_Word n)
{
    return seL4_Untyped_Retype(ut, type, bits, seL4_CapInitThreadCNode, 0, 0, slot, n);
}

/* Whether the root CNode slot holds a cap of the given seL4_DebugCapIdentify tag. */
static inline bool holds(seL4_CPtr slot, unsigned tag) { return seL4_DebugCapIdentify(slot) == tag; }

enum { TAG_NULL = 0, TAG_FRAME = 1, TAG_UNTYPED = 2, TAG_PT = 3, TAG_ENDPOINT = 4, TAG_NOTIFICATION = 6,
       TAG_PML4 = 9, TAG_CNODE = 10, TAG_TCB = 12, TAG_IRQ_CONTROL = 14, TAG_ZOMBIE = 18, TAG_IO_PORT = 19,
       TAG_IO_PORT_CONTROL = 31 };
