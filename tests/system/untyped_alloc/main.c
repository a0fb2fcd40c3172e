/* The tiny root-task allocator (<cairn/alloc.h>): slots from BootInfo's empty region,
 * objects from the smallest RAM untyped that fits, falling back to the next one, and
 * errors instead of crashes. */
#include <stdbool.h>
#include <stdio.h>
#include <sel4/sel4.h>
#include <sel4platsupport/bootinfo.h>
#include <cairn/alloc.h>
#include "../common/check.h"

static cairn_alloc_t alloc;

/* Whether untyped i has room for an object of 2^bits by the allocator's books. */
static bool room(const seL4_BootInfo *bi, seL4_Word i, unsigned bits)
{
    const seL4_UntypedDesc *d = &bi->untypedList[i];
    seL4_Word start = (alloc.used[i] + (1ul << bits) - 1) & ~((1ul << bits) - 1);
    return !d->isDevice && bits <= d->sizeBits && start + (1ul << bits) <= (1ul << d->sizeBits);
}

/* The untyped the allocator should pick: the smallest with room (the first of equals). */
static seL4_Word expected_choice(const seL4_BootInfo *bi, unsigned bits)
{
    seL4_Word best = (seL4_Word)-1;
    for (seL4_Word i = 0; i < bi->untyped.end - bi->untyped.start; i++)
        if (room(bi, i, bits) &&
            (best == (seL4_Word)-1 || bi->untypedList[i].sizeBits < bi->untypedList[best].sizeBits))
            best = i;
    return best;
}

int main(void)
{
    seL4_BootInfo *bi = platsupport_get_bootinfo();
    cairn_alloc_init(&alloc, bi);
    seL4_CPtr slot, cap;

    CHECK("the first slot is the first empty one", cairn_alloc_slot(&alloc, &slot) == seL4_NoError &&
                                                       slot == bi->empty.start);
    CHECK("the next slot follows", cairn_alloc_slot(&alloc, &slot) == seL4_NoError && slot == bi->empty.start + 1);

    static const struct { seL4_Word type, bits; unsigned tag; const char *name; } objects[] = {
        { seL4_TCBObject, 0, 12, "a TCB" },
        { seL4_EndpointObject, 0, 4, "an endpoint" },
        { seL4_NotificationObject, 0, 6, "a notification" },
        { seL4_CapTableObject, 6, 10, "a CNode" },
        { seL4_SchedContextObject, 8, 22, "a SchedContext" },
        { seL4_ReplyObject, 0, 8, "a reply" },
        { seL4_X86_4K, 0, 1, "a 4 KiB frame" },
        { seL4_X86_LargePageObject, 0, 1, "a 2 MiB frame" },
        { seL4_X86_PageTableObject, 0, 3, "a page table" },
        { seL4_X86_PageDirectoryObject, 0, 5, "a page directory" },
        { seL4_X86_PDPTObject, 0, 7, "a PDPT" },
        { seL4_X64_PML4Object, 0, 9, "a PML4" },
        { seL4_UntypedObject, 16, 2, "an untyped" },
    };
    for (unsigned i = 0; i < sizeof(objects) / sizeof(objects[0]); i++) {
        char name[64];
        snprintf(name, sizeof(name), "allocates %s", objects[i].name);
        CHECK(name, cairn_alloc_object(&alloc, objects[i].type, objects[i].bits, &cap) == seL4_NoError &&
                        seL4_DebugCapIdentify(cap) == objects[i].tag);
    }

    /* Endpoints come from the smallest untyped with room until it is full, then the next. */
    seL4_Word first = expected_choice(bi, seL4_EndpointBits);
    seL4_Word size = 1ul << bi->untypedList[first].sizeBits;
    seL4_Word n = (size - alloc.used[first]) / 16;
    seL4_Error err = seL4_NoError;
    for (seL4_Word i = 0; i < n && err == seL4_NoError; i++)
        err = cairn_alloc_object(&alloc, seL4_EndpointObject, 0, &cap);
    CHECK("endpoints fill the smallest RAM untyped", err == seL4_NoError && alloc.used[first] == size);
    seL4_Word second = expected_choice(bi, seL4_EndpointBits), before = alloc.used[second];
    CHECK("the next endpoint comes from the next smallest",
          second != first && cairn_alloc_object(&alloc, seL4_EndpointObject, 0, &cap) == seL4_NoError &&
              seL4_DebugCapIdentify(cap) == 4 && alloc.used[second] == before + 16);

    /* The untyped it would use next is filled behind its back: it notices and moves on. */
    seL4_Word u = expected_choice(bi, seL4_PageBits);
    seL4_CPtr behind;
    unsigned frames = 0;
    while (cairn_alloc_slot(&alloc, &behind) == seL4_NoError &&
           seL4_Untyped_Retype(bi->untyped.start + u, seL4_X86_4K, 0, seL4_CapInitThreadCNode, 0, 0, behind, 1) ==
               seL4_NoError)
        frames++;
    CHECK("someone else fills the untyped the allocator would use for a frame", frames > 0);
    CHECK("a 4 KiB frame still comes from another untyped",
          cairn_alloc_object(&alloc, seL4_X86_4K, 0, &cap) == seL4_NoError && seL4_DebugCapIdentify(cap) == 1 &&
              alloc.used[u] == (1ul << bi->untypedList[u].sizeBits) && expected_choice(bi, seL4_PageBits) != u);

    /* Errors, not crashes; a failed allocation gives its slot back. */
    seL4_CPtr next = alloc.next_slot;
    CHECK("an unknown type is InvalidArgument", cairn_alloc_object(&alloc, 99, 0, &cap) == seL4_InvalidArgument);
    CHECK("a 1 GiB frame does not fit in any RAM untyped: NotEnoughMemory",
          cairn_alloc_object(&alloc, seL4_X64_HugePageObject, 0, &cap) == seL4_NotEnoughMemory);
    CHECK("an untyped of 2^3 bytes is the kernel's InvalidArgument",
          cairn_alloc_object(&alloc, seL4_UntypedObject, 3, &cap) == seL4_InvalidArgument);
    CHECK("failed allocations used no slot", alloc.next_slot == next);
    seL4_CPtr end = alloc.end_slot;
    alloc.end_slot = alloc.next_slot; /* pretend the CNode is full */
    CHECK("no slot left: NotEnoughMemory", cairn_alloc_slot(&alloc, &slot) == seL4_NotEnoughMemory &&
                                               cairn_alloc_object(&alloc, seL4_EndpointObject, 0, &cap) ==
                                                   seL4_NotEnoughMemory);
    alloc.end_slot = end;
    return 0;
}
