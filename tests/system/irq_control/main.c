/*
 * IRQControl and IRQHandler invocations without interrupts (abi §5.5, §6, §12.5): every
 * refusal with its exact reply, in seL4's check order, and what issuing and deleting handler
 * caps does to the IRQ (active until the final handler cap goes; Revoke of IRQControl takes
 * every handler). Delivery is tested in irq_delivery.
 */
#include <stdio.h>
#include <sel4/sel4.h>
#include <sel4platsupport/bootinfo.h>
#include "../common/check.h"
#include "../common/cnode_helpers.h"

#define ROOT seL4_CapInitThreadCNode
#define TAG_IRQ_HANDLER 16
#define VEC_MAX 107 /* the kernel accepts vectors 0..107 (libsel4 says 109) */

static seL4_CPtr root_cap = ROOT; /* the extra cap of the raw calls */

/* A raw IRQControl call: label, length, with or without the root cap, up to 7 MRs. */
static seL4_MessageInfo_t ctl(seL4_Word label, seL4_Word length, unsigned ncaps, seL4_Word m0, seL4_Word m1,
                              seL4_Word m2, seL4_Word m3, seL4_Word m4, seL4_Word m5, seL4_Word m6)
{
    const seL4_Word mr[7] = { m0, m1, m2, m3, m4, m5, m6 };
    return call_raw(seL4_CapIRQControl, label, length, ncaps, &root_cap, mr);
}
/* GetIOAPIC(dest slot, ioapic, pin, level, polarity, vector) and GetMSI(dest, bus, dev, func, handle, vector). */
#define IOAPIC(dest, ioapic, pin, level, pol, vec) \
    ctl(X86IRQIssueIRQHandlerIOAPIC, 7, 1, dest, 64, ioapic, pin, level, pol, vec)
#define MSI(dest, bus, dev, func, handle, vec) ctl(X86IRQIssueIRQHandlerMSI, 7, 1, dest, 64, bus, dev, func, handle, vec)
#define OK(r) reply_is(r, seL4_NoError, 0)

static seL4_MessageInfo_t handler_call(seL4_CPtr h, seL4_Word label, unsigned ncaps, seL4_CPtr cap)
{
    const seL4_Word mr[1] = { 0 };
    return call_raw(h, label, 0, ncaps, &cap, mr);
}

int main(void)
{
    seL4_BootInfo *bi = platsupport_get_bootinfo();
    seL4_CPtr e = bi->empty.start, ep = e, ntfn = e + 1, h = e + 2, h2 = e + 3, hcopy = e + 4, ro = e + 5,
              wo = e + 6, free = e + 20;
    seL4_CPtr ut = find_untyped(bi, 16);
    CHECK("setup: an endpoint and a notification",
          make(ut, seL4_EndpointObject, 0, ep, 1) == seL4_NoError &&
              make(ut, seL4_NotificationObject, 0, ntfn, 1) == seL4_NoError);

    /* The generic Get. */
    CHECK("IRQControl_Get(irq 4): IllegalOperation in IOAPIC mode, no MRs",
          seL4_IRQControl_Get(seL4_CapIRQControl, 4, ROOT, free, 64) == seL4_IllegalOperation &&
              reply_is(ctl(IRQIssueIRQHandler, 3, 1, 4, free, 64, 0, 0, 0, 0), seL4_IllegalOperation, 0));
    CHECK("IRQControl_Get(irq 20): IllegalOperation too", reply_is(ctl(IRQIssueIRQHandler, 3, 1, 20, free, 64, 0, 0, 0, 0),
                                                                  seL4_IllegalOperation, 0));
    CHECK("IRQControl_Get with 2 MRs: TruncatedMessage (checked first)",
          reply_is(ctl(IRQIssueIRQHandler, 2, 1, 4, free, 64, 0, 0, 0, 0), seL4_TruncatedMessage, 0));
    CHECK("IRQControl_Get without the root cap: TruncatedMessage",
          reply_is(ctl(IRQIssueIRQHandler, 3, 0, 4, free, 64, 0, 0, 0, 0), seL4_TruncatedMessage, 0));
    CHECK("nothing was issued", holds(free, TAG_NULL));

    /* Label and length of GetIOAPIC / GetMSI. */
    CHECK("IRQControl with an IRQHandler label: IllegalOperation",
          reply_is(ctl(IRQAckIRQ, 7, 1, free, 64, 0, 2, 0, 0, 0), seL4_IllegalOperation, 0));
    CHECK("IRQControl with a CNode label: IllegalOperation",
          reply_is(ctl(CNodeCopy, 7, 1, free, 64, 0, 2, 0, 0, 0), seL4_IllegalOperation, 0));
    CHECK("GetIOAPIC with 6 MRs: TruncatedMessage",
          reply_is(ctl(X86IRQIssueIRQHandlerIOAPIC, 6, 1, free, 64, 0, 2, 0, 0, 0), seL4_TruncatedMessage, 0));
    CHECK("GetIOAPIC without the root cap: TruncatedMessage",
          reply_is(ctl(X86IRQIssueIRQHandlerIOAPIC, 7, 0, free, 64, 0, 2, 0, 0, 0), seL4_TruncatedMessage, 0));
    CHECK("GetMSI with 6 MRs: TruncatedMessage",
          reply_is(ctl(X86IRQIssueIRQHandlerMSI, 6, 1, free, 64, 0, 0, 0, 0, 0), seL4_TruncatedMessage, 0));
    CHECK("GetMSI without the root cap: TruncatedMessage",
          reply_is(ctl(X86IRQIssueIRQHandlerMSI, 7, 0, free, 64, 0, 0, 0, 0, 0), seL4_TruncatedMessage, 0));

    /* The vector. */
    CHECK("GetIOAPIC, vector 108: RangeError(0, 107)", reply_is(IOAPIC(free, 0, 2, 0, 0, 108), seL4_RangeError, 2, 0, VEC_MAX));
    CHECK("GetIOAPIC, vector 109 (libsel4's VECTOR_MAX): RangeError(0, 107)",
          reply_is(IOAPIC(free, 0, 2, 0, 0, VECTOR_MAX), seL4_RangeError, 2, 0, VEC_MAX));
    CHECK("GetMSI, vector 2^63: RangeError(0, 107)", reply_is(MSI(free, 0, 0, 0, 0, 1ul << 63), seL4_RangeError, 2, 0, VEC_MAX));
    CHECK("the vector is checked before the destination: RangeError with an occupied slot",
          reply_is(IOAPIC(seL4_CapInitThreadTCB, 0, 2, 0, 0, 108), seL4_RangeError, 2, 0, VEC_MAX));

    /* The destination. */
    root_cap = ep;
    CHECK("GetIOAPIC with an endpoint as the root: FailedLookup(0, InvalidRoot)",
          reply_is(IOAPIC(free, 0, 2, 0, 0, 0), seL4_FailedLookup, 2, 0, seL4_InvalidRoot));
    root_cap = ROOT;
    CHECK("GetIOAPIC, destination depth 0: RangeError(1, 64)",
          reply_is(ctl(X86IRQIssueIRQHandlerIOAPIC, 7, 1, free, 0, 0, 2, 0, 0, 0), seL4_RangeError, 2, 1, 64));
    CHECK("GetMSI into an occupied slot: DeleteFirst", reply_is(MSI(seL4_CapInitThreadTCB, 0, 0, 0, 0, 0), seL4_DeleteFirst, 0));
    CHECK("the destination is checked before the IOAPIC arguments: DeleteFirst with IOAPIC 5",
          reply_is(IOAPIC(seL4_CapInitThreadTCB, 5, 99, 7, 7, 0), seL4_DeleteFirst, 0));

    /* The IOAPIC arguments, in order. */
    CHECK("GetIOAPIC, IOAPIC 1 of 1: RangeError(0, 0)", reply_is(IOAPIC(free, 1, 2, 0, 0, 0), seL4_RangeError, 2, 0, 0));
    CHECK("GetIOAPIC, pin 24 of 24: RangeError(0, 23)", reply_is(IOAPIC(free, 0, 24, 0, 0, 0), seL4_RangeError, 2, 0, 23));
    CHECK("GetIOAPIC, level 2: RangeError(0, 1)", reply_is(IOAPIC(free, 0, 2, 2, 0, 0), seL4_RangeError, 2, 0, 1));
    CHECK("GetIOAPIC, polarity 2: RangeError(0, 1)", reply_is(IOAPIC(free, 0, 2, 0, 2, 0), seL4_RangeError, 2, 0, 1));
    CHECK("IOAPIC before pin: RangeError(0, 0) with pin 99 too", reply_is(IOAPIC(free, 3, 99, 0, 0, 0), seL4_RangeError, 2, 0, 0));
    CHECK("pin before level: RangeError(0, 23) with level 5 too", reply_is(IOAPIC(free, 0, 30, 5, 0, 0), seL4_RangeError, 2, 0, 23));
    CHECK("level before polarity: RangeError(0, 1)", reply_is(IOAPIC(free, 0, 1, 3, 4, 0), seL4_RangeError, 2, 0, 1));

    /* The MSI arguments, in order; the handle is not checked. */
    CHECK("GetMSI, bus 256: RangeError(0, 255)", reply_is(MSI(free, 256, 0, 0, 0, 0), seL4_RangeError, 2, 0, 255));
    CHECK("GetMSI, device 32: RangeError(0, 31)", reply_is(MSI(free, 0, 32, 0, 0, 0), seL4_RangeError, 2, 0, 31));
    CHECK("GetMSI, function 8: RangeError(0, 7)", reply_is(MSI(free, 0, 0, 8, 0, 0), seL4_RangeError, 2, 0, 7));
    CHECK("bus before device before function", reply_is(MSI(free, 300, 40, 9, 0, 0), seL4_RangeError, 2, 0, 255) &&
                                                   reply_is(MSI(free, 255, 40, 9, 0, 0), seL4_RangeError, 2, 0, 31));
    CHECK("nothing was issued by the refusals", holds(free, TAG_NULL));

    /* Issuing. */
    CHECK("GetIOAPIC(IOAPIC 0, pin 5, edge, active high, vector 0) succeeds",
          seL4_IRQControl_GetIOAPIC(seL4_CapIRQControl, ROOT, h, 64, 0, 5, 0, 0, 0) == seL4_NoError);
    CHECK("...and the slot holds an IRQHandler cap (tag 16)", holds(h, TAG_IRQ_HANDLER));
    CHECK("the same vector again: RevokeFirst", reply_is(IOAPIC(free, 0, 5, 0, 0, 0), seL4_RevokeFirst, 0));
    CHECK("...also through GetMSI (one vector space)", reply_is(MSI(free, 0, 0, 0, 0, 0), seL4_RevokeFirst, 0));
    CHECK("RevokeFirst comes before the destination checks", reply_is(IOAPIC(seL4_CapInitThreadTCB, 0, 5, 0, 0, 0),
                                                                      seL4_RevokeFirst, 0));
    CHECK("...and before the IOAPIC arguments", reply_is(IOAPIC(free, 9, 99, 9, 9, 0), seL4_RevokeFirst, 0));
    CHECK("GetMSI(bus 255, device 31, function 7, handle ~0, vector 107) succeeds",
          OK(MSI(h2, 255, 31, 7, ~0ul, VEC_MAX)) && holds(h2, TAG_IRQ_HANDLER));
    CHECK("vector 107 is now active: RevokeFirst", reply_is(IOAPIC(free, 0, 3, 1, 1, VEC_MAX), seL4_RevokeFirst, 0));

    /* The IRQHandler invocations. */
    CHECK("Ack with no notification bound: NoError", seL4_IRQHandler_Ack(h) == seL4_NoError);
    CHECK("Ack of an MSI handler: NoError", seL4_IRQHandler_Ack(h2) == seL4_NoError);
    CHECK("Clear with no notification bound: NoError", seL4_IRQHandler_Clear(h) == seL4_NoError);
    CHECK("an unknown label: IllegalOperation", reply_is(handler_call(h, IRQIssueIRQHandler, 0, 0), seL4_IllegalOperation, 0) &&
                                                     reply_is(handler_call(h, CNodeCopy, 1, ntfn), seL4_IllegalOperation, 0));
    CHECK("SetNotification without a cap: TruncatedMessage",
          reply_is(handler_call(h, IRQSetIRQHandler, 0, 0), seL4_TruncatedMessage, 0));
    CHECK("SetNotification with an endpoint: InvalidCapability, index 0 (not 1)",
          reply_is(handler_call(h, IRQSetIRQHandler, 1, ep), seL4_InvalidCapability, 1, 0));
    CHECK("SetNotification with an IRQHandler cap: InvalidCapability(0)",
          reply_is(handler_call(h, IRQSetIRQHandler, 1, h2), seL4_InvalidCapability, 1, 0));
    CHECK("setup: a read-only and a write-only copy of the notification",
          seL4_CNode_Mint(ROOT, ro, 64, ROOT, ntfn, 64, seL4_CanRead, 0) == 0 &&
              seL4_CNode_Mint(ROOT, wo, 64, ROOT, ntfn, 64, seL4_CapRights_new(0, 0, 0, 1), 0) == 0);
    CHECK("SetNotification with a notification cap without Write: InvalidCapability(0)",
          reply_is(handler_call(h, IRQSetIRQHandler, 1, ro), seL4_InvalidCapability, 1, 0));
    CHECK("SetNotification with a write-only notification cap: NoError", seL4_IRQHandler_SetNotification(h, wo) == 0);
    CHECK("SetNotification again (replacing it): NoError", seL4_IRQHandler_SetNotification(h, ntfn) == 0);
    CHECK("Clear, twice: NoError", seL4_IRQHandler_Clear(h) == 0 && seL4_IRQHandler_Clear(h) == 0);
    CHECK("SetNotification on the MSI handler: NoError", seL4_IRQHandler_SetNotification(h2, ntfn) == 0);

    /* Handler caps are ordinary caps; the IRQ stays active until the final one is deleted. */
    CHECK("Copy of an IRQHandler cap: NoError, tag 16",
          seL4_CNode_Copy(ROOT, hcopy, 64, ROOT, h, 64, seL4_AllRights) == 0 && holds(hcopy, TAG_IRQ_HANDLER));
    CHECK("the copy can be invoked", seL4_IRQHandler_Ack(hcopy) == 0);
    CHECK("Delete of the original handler cap", seL4_CNode_Delete(ROOT, h, 64) == 0);
    CHECK("the copy keeps vector 0 active: RevokeFirst", reply_is(IOAPIC(free, 0, 2, 0, 0, 0), seL4_RevokeFirst, 0));
    CHECK("Delete of the final handler cap", seL4_CNode_Delete(ROOT, hcopy, 64) == 0);
    CHECK("vector 0 can be issued again (now pin 4, level, active low)",
          OK(IOAPIC(h, 0, 4, 1, 1, 0)) && holds(h, TAG_IRQ_HANDLER));
    CHECK("Move of a handler cap keeps the IRQ active",
          seL4_CNode_Move(ROOT, hcopy, 64, ROOT, h, 64) == 0 && reply_is(IOAPIC(free, 0, 2, 0, 0, 0), seL4_RevokeFirst, 0));

    /* Revoke of IRQControl takes every handler cap it issued. */
    CHECK("Revoke of IRQControl: NoError", seL4_CNode_Revoke(ROOT, seL4_CapIRQControl, 64) == 0);
    CHECK("...every handler cap is gone", holds(hcopy, TAG_NULL) && holds(h2, TAG_NULL));
    CHECK("...IRQControl itself stays", holds(seL4_CapIRQControl, 14));
    CHECK("...and vectors 0 and 107 are free again", OK(IOAPIC(h, 0, 5, 0, 0, 0)) && OK(MSI(h2, 0, 3, 0, 0, VEC_MAX)));
    CHECK("IRQControl can be moved and still issues handlers",
          seL4_CNode_Move(ROOT, free, 64, ROOT, seL4_CapIRQControl, 64) == 0 &&
              seL4_IRQControl_GetIOAPIC(free, ROOT, free + 1, 64, 0, 9, 1, 0, 50) == 0 && holds(free + 1, TAG_IRQ_HANDLER) &&
              seL4_CNode_Move(ROOT, seL4_CapIRQControl, 64, ROOT, free, 64) == 0);
    CHECK("deleting the notification bound to nothing now is fine", seL4_CNode_Delete(ROOT, ntfn, 64) == 0);
    return 0;
}
