/* Every object type of abi §4.1 made by Untyped_Retype and identified by its cap type
 * (abi §13.1); the watermark and alignment; device untyped; a new CNode and a child
 * untyped used by later Retypes. */
#include <stdbool.h>
#include <stdio.h>
#include <sel4/sel4.h>
#include <sel4platsupport/bootinfo.h>
#include "../common/check.h"

static seL4_BootInfo *bi;
static seL4_CPtr next_slot;
static seL4_CPtr probe_slot; /* always empty: the destination of Retypes meant to fail */

/* The smallest untyped of at least 2^bits bytes with the given device flag, or 0. */
static seL4_CPtr find_untyped(unsigned bits, bool device)
{
    seL4_CPtr best = 0;
    unsigned best_bits = 64;
    for (seL4_Word i = 0; i < bi->untyped.end - bi->untyped.start; i++) {
        seL4_UntypedDesc *d = &bi->untypedList[i];
        if (d->isDevice == device && d->sizeBits >= bits && d->sizeBits < best_bits) {
            best = bi->untyped.start + i;
            best_bits = d->sizeBits;
        }
    }
    return best;
}

/* Retype one object into the next free slot of the root CNode; returns the slot or 0. */
static seL4_CPtr make(seL4_CPtr ut, seL4_Word type, seL4_Word bits)
{
    seL4_CPtr slot = next_slot++;
    return seL4_Untyped_Retype(ut, type, bits, seL4_CapInitThreadCNode, 0, 0, slot, 1) == seL4_NoError ? slot : 0;
}

/* Bytes left in an untyped with children, read from the NotEnoughMemory reply. */
static seL4_Word bytes_left(seL4_CPtr ut)
{
    seL4_Error e = seL4_Untyped_Retype(ut, seL4_UntypedObject, 47, seL4_CapInitThreadCNode, 0, 0, probe_slot, 1);
    return e == seL4_NotEnoughMemory ? seL4_GetMR(0) : (seL4_Word)-1;
}

int main(void)
{
    bi = platsupport_get_bootinfo();
    next_slot = bi->empty.start;
    probe_slot = bi->empty.end - 100;

    /* A 4 MiB child untyped holds one of everything (a 2 MiB frame first, at its start). */
    seL4_CPtr ram = find_untyped(24, false); /* room for all the children below */
    seL4_CPtr ut = make(ram, seL4_UntypedObject, 22);
    CHECK("a 4 MiB child untyped (cap type 2)", ut && seL4_DebugCapIdentify(ut) == 2);
    static const struct { seL4_Word type, bits; unsigned tag; const char *name; } objects[] = {
        { seL4_X86_LargePageObject, 0, 1, "2 MiB frame (cap type 1)" },
        { seL4_TCBObject, 0, 12, "TCB (cap type 12)" },
        { seL4_EndpointObject, 0, 4, "endpoint (cap type 4)" },
        { seL4_NotificationObject, 0, 6, "notification (cap type 6)" },
        { seL4_CapTableObject, 4, 10, "CNode of 16 slots (cap type 10)" },
        { seL4_SchedContextObject, 7, 22, "SchedContext of 2^7 (cap type 22)" },
        { seL4_SchedContextObject, 10, 22, "SchedContext of 2^10 (cap type 22)" },
        { seL4_ReplyObject, 0, 8, "reply (cap type 8)" },
        { seL4_X86_PDPTObject, 0, 7, "PDPT (cap type 7)" },
        { seL4_X64_PML4Object, 0, 9, "PML4 (cap type 9)" },
        { seL4_X86_4K, 0, 1, "4 KiB frame (cap type 1)" },
        { seL4_X86_PageTableObject, 0, 3, "page table (cap type 3)" },
        { seL4_X86_PageDirectoryObject, 0, 5, "page directory (cap type 5)" },
        { seL4_UntypedObject, 4, 2, "untyped of 16 bytes (cap type 2)" },
    };
    for (unsigned i = 0; i < sizeof(objects) / sizeof(objects[0]); i++) {
        seL4_CPtr c = make(ut, objects[i].type, objects[i].bits);
        CHECK(objects[i].name, c && seL4_DebugCapIdentify(c) == objects[i].tag);
    }
    seL4_CPtr dev1g = find_untyped(30, true);
    seL4_CPtr huge = dev1g ? make(dev1g, seL4_X64_HugePageObject, 0) : 0;
    CHECK("1 GiB frame from a device untyped (cap type 1)", huge && seL4_DebugCapIdentify(huge) == 1);

    /* Watermark: an endpoint at 0, then a TCB aligned up to 2048 wastes 2032 bytes. */
    seL4_CPtr small = make(ram, seL4_UntypedObject, 12);
    CHECK("a 4 KiB child untyped", small != 0);
    CHECK("an endpoint from it", make(small, seL4_EndpointObject, 0) != 0);
    CHECK("4080 bytes are left after the endpoint", bytes_left(small) == 4080);
    CHECK("a TCB from it", make(small, seL4_TCBObject, 0) != 0);
    CHECK("0 bytes are left after the TCB (aligned to 2048, not at 16)", bytes_left(small) == 0);
    CHECK("so a notification does not fit: NotEnoughMemory(0)",
          seL4_Untyped_Retype(small, seL4_NotificationObject, 0, seL4_CapInitThreadCNode, 0, 0, next_slot, 1) ==
                  seL4_NotEnoughMemory && seL4_GetMR(0) == 0);

    /* A child untyped is retyped in turn, down to the minimum size. */
    seL4_CPtr child = make(ram, seL4_UntypedObject, 16);
    seL4_CPtr grandchild = make(child, seL4_UntypedObject, 8);
    CHECK("a child untyped of a child untyped", grandchild && seL4_DebugCapIdentify(grandchild) == 2);
    CHECK("a reply object from the grandchild", make(grandchild, seL4_ReplyObject, 0) != 0);
    CHECK("7 more fill it exactly", seL4_Untyped_Retype(grandchild, seL4_ReplyObject, 0, seL4_CapInitThreadCNode, 0, 0,
                                                        next_slot, 7) == seL4_NoError &&
                                        seL4_DebugCapIdentify(next_slot + 6) == 8 && bytes_left(grandchild) == 0);
    next_slot += 7;

    /* Device untyped: frames and untyped only; children stay device. */
    seL4_CPtr dev = find_untyped(16, true);
    CHECK("device untyped into a 4 KiB frame", make(dev, seL4_X86_4K, 0) != 0);
    CHECK("device untyped into an endpoint: InvalidArgument(1)",
          seL4_Untyped_Retype(dev, seL4_EndpointObject, 0, seL4_CapInitThreadCNode, 0, 0, next_slot, 1) ==
                  seL4_InvalidArgument && seL4_GetMR(0) == 1);
    seL4_CPtr dev_child = make(dev, seL4_UntypedObject, 12);
    CHECK("device untyped into a child untyped", dev_child && seL4_DebugCapIdentify(dev_child) == 2);
    CHECK("the child is device memory too: no notification from it",
          seL4_Untyped_Retype(dev_child, seL4_NotificationObject, 0, seL4_CapInitThreadCNode, 0, 0, next_slot, 1) ==
                  seL4_InvalidArgument);
    CHECK("a 2 MiB device frame", make(find_untyped(21, true), seL4_X86_LargePageObject, 0) != 0);

    /* A new CNode as the destination of later Retypes, named by (index, depth 64). */
    seL4_CPtr cnode = make(ram, seL4_CapTableObject, 8);
    CHECK("a CNode of 256 slots", cnode && seL4_DebugCapIdentify(cnode) == 10);
    seL4_CPtr eps = make(ram, seL4_UntypedObject, 12);
    CHECK("256 endpoints (the fan-out limit) into the new CNode",
          seL4_Untyped_Retype(eps, seL4_EndpointObject, 0, seL4_CapInitThreadCNode, cnode, 64, 0, 256) ==
              seL4_NoError);
    CHECK("the untyped for them is full", bytes_left(eps) == 0);
    CHECK("its slots are full now: DeleteFirst",
          seL4_Untyped_Retype(ram, seL4_EndpointObject, 0, seL4_CapInitThreadCNode, cnode, 64, 255, 1) ==
              seL4_DeleteFirst);
    CHECK("its size bounds node_offset: RangeError(0, 255)",
          seL4_Untyped_Retype(ram, seL4_EndpointObject, 0, seL4_CapInitThreadCNode, cnode, 64, 256, 1) ==
                  seL4_RangeError && seL4_GetMR(0) == 0 && seL4_GetMR(1) == 255);
    CHECK("and num_objects: RangeError(1, 1) at offset 255",
          seL4_Untyped_Retype(ram, seL4_EndpointObject, 0, seL4_CapInitThreadCNode, cnode, 64, 255, 2) ==
                  seL4_RangeError && seL4_GetMR(0) == 1 && seL4_GetMR(1) == 1);
    CHECK("the new CNode as root with depth 0 works the same",
          seL4_Untyped_Retype(ram, seL4_EndpointObject, 0, cnode, 0, 0, 0, 1) == seL4_DeleteFirst);
    return 0;
}
