/* Untyped_Retype's checks in the order of abi §5.2, each with its error code, the length of
 * the error reply and its detail MRs; then a few pairs of faults to show which check wins. */
#include <stdbool.h>
#include <stdio.h>
#include <sel4/sel4.h>
#include <sel4platsupport/bootinfo.h>
#include "../common/check.h"

static seL4_MessageInfo_t reply;

/* Invoke an untyped with any label, message length and number of caps. MR0..MR3 of the
 * reply are copied to the IPC buffer like libsel4 does, so seL4_GetMR() reads all of them. */
static seL4_Error call(seL4_CPtr ut, seL4_Word label, seL4_Word length, seL4_Word ncaps, seL4_CPtr root,
                       seL4_Word type, seL4_Word bits, seL4_Word index, seL4_Word depth, seL4_Word offset,
                       seL4_Word num)
{
    seL4_SetCap(0, root);
    seL4_SetMR(4, offset);
    seL4_SetMR(5, num);
    seL4_Word m0 = type, m1 = bits, m2 = index, m3 = depth;
    reply = seL4_CallWithMRs(ut, seL4_MessageInfo_new(label, 0, ncaps, length), &m0, &m1, &m2, &m3);
    seL4_SetMR(0, m0);
    seL4_SetMR(1, m1);
    seL4_SetMR(2, m2);
    seL4_SetMR(3, m3);
    return (seL4_Error)seL4_MessageInfo_get_label(reply);
}

static seL4_Error retype_at(seL4_CPtr ut, seL4_Word type, seL4_Word bits, seL4_Word index, seL4_Word depth,
                            seL4_Word offset, seL4_Word num)
{
    return call(ut, UntypedRetype, 6, 1, seL4_CapInitThreadCNode, type, bits, index, depth, offset, num);
}

static seL4_Error retype(seL4_CPtr ut, seL4_Word type, seL4_Word bits, seL4_Word offset, seL4_Word num)
{
    return retype_at(ut, type, bits, 0, 0, offset, num);
}

static seL4_Word mr(int i) { return seL4_GetMR(i); }
static seL4_Word len(void) { return seL4_MessageInfo_get_length(reply); }

/* The first untyped of exactly 2^bits bytes with the given device flag, or 0. */
static seL4_CPtr find_untyped(seL4_BootInfo *bi, unsigned bits, bool device)
{
    for (seL4_Word i = 0; i < bi->untyped.end - bi->untyped.start; i++)
        if (bi->untypedList[i].sizeBits == bits && bi->untypedList[i].isDevice == device)
            return bi->untyped.start + i;
    return 0;
}

int main(void)
{
    seL4_BootInfo *bi = platsupport_get_bootinfo();
    const seL4_Word slots = 1ul << bi->initThreadCNodeSizeBits;
    const seL4_CPtr free_slot = bi->empty.start, empty = bi->empty.start + 1;
    seL4_CPtr ut = find_untyped(bi, 12, false), dev = find_untyped(bi, 12, true);
    CHECK("a 4 KiB RAM untyped and a 4 KiB device untyped", ut && dev);

    CHECK("1: label TCBReadRegisters: IllegalOperation, no MRs",
          call(ut, TCBReadRegisters, 6, 1, seL4_CapInitThreadCNode, seL4_EndpointObject, 0, 0, 0, free_slot, 1) ==
                  seL4_IllegalOperation && len() == 0);
    CHECK("2: 5 MRs: TruncatedMessage, no MRs",
          call(ut, UntypedRetype, 5, 1, seL4_CapInitThreadCNode, seL4_EndpointObject, 0, 0, 0, free_slot, 1) ==
                  seL4_TruncatedMessage && len() == 0);
    CHECK("2: no root CNode cap: TruncatedMessage",
          call(ut, UntypedRetype, 6, 0, seL4_CapInitThreadCNode, seL4_EndpointObject, 0, 0, 0, free_slot, 1) ==
              seL4_TruncatedMessage);
    CHECK("3: type 14 (ObjectTypeCount): InvalidArgument(0)",
          retype(ut, seL4_ObjectTypeCount, 0, free_slot, 1) == seL4_InvalidArgument && len() == 1 && mr(0) == 0);
    CHECK("4: size_bits 64: RangeError(0, 47)",
          retype(ut, seL4_EndpointObject, 64, free_slot, 1) == seL4_RangeError && len() == 2 && mr(0) == 0 &&
              mr(1) == 47);
    CHECK("4: CNode of 2^43 slots (2^48 bytes): RangeError(0, 47)",
          retype(ut, seL4_CapTableObject, 43, free_slot, 1) == seL4_RangeError && mr(0) == 0 && mr(1) == 47);
    CHECK("4: untyped of 2^48: RangeError(0, 47)",
          retype(ut, seL4_UntypedObject, 48, free_slot, 1) == seL4_RangeError && mr(0) == 0 && mr(1) == 47);
    CHECK("5: CNode with size_bits 0: InvalidArgument(1)",
          retype(ut, seL4_CapTableObject, 0, free_slot, 1) == seL4_InvalidArgument && len() == 1 && mr(0) == 1);
    CHECK("6: untyped with size_bits 3: InvalidArgument(1)",
          retype(ut, seL4_UntypedObject, 3, free_slot, 1) == seL4_InvalidArgument && mr(0) == 1);
    CHECK("7: SchedContext with size_bits 6: InvalidArgument(1)",
          retype(ut, seL4_SchedContextObject, 6, free_slot, 1) == seL4_InvalidArgument && mr(0) == 1);
    CHECK("8: node_depth 65: RangeError(1, 64)",
          retype_at(ut, seL4_EndpointObject, 0, seL4_CapInitThreadCNode, 65, free_slot, 1) == seL4_RangeError &&
              len() == 2 && mr(0) == 1 && mr(1) == 64);
    seL4_Word guard = 64 - bi->initThreadCNodeSizeBits;
    CHECK("8: node_depth 16 meets the root's guard: FailedLookup(0, GuardMismatch(16, 0, guard size))",
          retype_at(ut, seL4_EndpointObject, 0, seL4_CapInitThreadCNode, 16, free_slot, 1) == seL4_FailedLookup &&
              len() == 5 && mr(0) == 0 && mr(1) == seL4_GuardMismatch && mr(2) == 16 && mr(3) == 0 &&
              mr(4) == guard);
    CHECK("8: a root that is not a CNode: FailedLookup(0, InvalidRoot)",
          call(ut, UntypedRetype, 6, 1, seL4_CapInitThreadTCB, seL4_EndpointObject, 0, 0, 64, free_slot, 1) ==
                  seL4_FailedLookup && len() == 2 && mr(0) == 0 && mr(1) == seL4_InvalidRoot);
    CHECK("9: an empty slot as destination: FailedLookup(0, MissingCapability(64))",
          retype_at(ut, seL4_EndpointObject, 0, empty, 64, free_slot, 1) == seL4_FailedLookup && len() == 3 &&
              mr(0) == 0 && mr(1) == seL4_MissingCapability && mr(2) == 64);
    CHECK("9: a TCB as destination: FailedLookup(0, MissingCapability(64))",
          retype_at(ut, seL4_EndpointObject, 0, seL4_CapInitThreadTCB, 64, free_slot, 1) == seL4_FailedLookup &&
              mr(1) == seL4_MissingCapability && mr(2) == 64);
    CHECK("9: depth 0 with a TCB as root: FailedLookup(0, MissingCapability(0))",
          call(ut, UntypedRetype, 6, 1, seL4_CapInitThreadTCB, seL4_EndpointObject, 0, 0, 0, free_slot, 1) ==
                  seL4_FailedLookup && len() == 3 && mr(0) == 0 && mr(1) == seL4_MissingCapability && mr(2) == 0);
    CHECK("10: node_offset = slots: RangeError(0, slots - 1)",
          retype(ut, seL4_EndpointObject, 0, slots, 1) == seL4_RangeError && mr(0) == 0 && mr(1) == slots - 1);
    CHECK("11: num_objects 0: RangeError(1, 256)",
          retype(ut, seL4_EndpointObject, 0, free_slot, 0) == seL4_RangeError && mr(0) == 1 && mr(1) == 256);
    CHECK("11: num_objects 257: RangeError(1, 256)",
          retype(ut, seL4_EndpointObject, 0, free_slot, 257) == seL4_RangeError && mr(0) == 1 && mr(1) == 256);
    CHECK("12: 3 objects from the second-last slot: RangeError(1, 2)",
          retype(ut, seL4_EndpointObject, 0, slots - 2, 3) == seL4_RangeError && mr(0) == 1 && mr(1) == 2);
    CHECK("13: a destination range with a full slot: DeleteFirst, no MRs",
          retype(ut, seL4_EndpointObject, 0, bi->untyped.start - 1, 2) == seL4_DeleteFirst && len() == 0);
    CHECK("14: 3 TCBs from a fresh 4 KiB untyped: NotEnoughMemory(4096)",
          retype(ut, seL4_TCBObject, 0, free_slot, 3) == seL4_NotEnoughMemory && len() == 1 && mr(0) == 4096);
    CHECK("15: device untyped into an endpoint: InvalidArgument(1)",
          retype(dev, seL4_EndpointObject, 0, free_slot, 1) == seL4_InvalidArgument && len() == 1 && mr(0) == 1);
    CHECK("15: device untyped into a TCB: InvalidArgument(1)",
          retype(dev, seL4_TCBObject, 0, free_slot, 1) == seL4_InvalidArgument && mr(0) == 1);
    CHECK("no refusal created anything", seL4_DebugCapIdentify(free_slot) == 0);

    /* NotEnoughMemory reports what is left once the untyped has children. */
    CHECK("one endpoint", retype(ut, seL4_EndpointObject, 0, free_slot, 1) == seL4_NoError && len() == 0);
    CHECK("14: then 2 TCBs: NotEnoughMemory(4080)",
          retype(ut, seL4_TCBObject, 0, free_slot + 1, 2) == seL4_NotEnoughMemory && mr(0) == 4080);

    /* Which check comes first. */
    CHECK("3 before 8: bad type and bad depth: InvalidArgument(0)",
          retype_at(ut, 99, 0, 0, 65, free_slot + 1, 1) == seL4_InvalidArgument && mr(0) == 0);
    CHECK("4 before 9: bad size and no CNode: RangeError(0, 47)",
          retype_at(ut, seL4_UntypedObject, 50, empty, 64, free_slot + 1, 1) == seL4_RangeError);
    CHECK("9 before 10: no CNode and a bad offset: FailedLookup",
          retype_at(ut, seL4_EndpointObject, 0, empty, 64, slots, 1) == seL4_FailedLookup);
    CHECK("11 before 13: bad count and a full slot: RangeError(1, 256)",
          retype(ut, seL4_EndpointObject, 0, free_slot, 0) == seL4_RangeError && mr(1) == 256);
    CHECK("13 before 14: a full slot and not enough memory: DeleteFirst",
          retype(ut, seL4_TCBObject, 0, free_slot, 3) == seL4_DeleteFirst);
    CHECK("14 before 15: too much from a device untyped: NotEnoughMemory(4096)",
          retype(dev, seL4_TCBObject, 0, free_slot + 1, 3) == seL4_NotEnoughMemory && mr(0) == 4096);
    return 0;
}
