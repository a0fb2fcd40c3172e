/* The tiny root-task allocator: see <cairn/alloc.h>. */
#include <cairn/alloc.h>

void cairn_alloc_init(cairn_alloc_t *a, const seL4_BootInfo *bi)
{
    a->bi = bi;
    a->next_slot = bi->empty.start;
    a->end_slot = bi->empty.end;
    for (seL4_Word i = 0; i < CONFIG_MAX_NUM_BOOTINFO_UNTYPED_CAPS; i++)
        a->used[i] = 0;
}

seL4_Error cairn_alloc_slot(cairn_alloc_t *a, seL4_CPtr *slot)
{
    if (a->next_slot >= a->end_slot)
        return seL4_NotEnoughMemory;
    *slot = a->next_slot++;
    return seL4_NoError;
}

seL4_Word cairn_object_size_bits(seL4_Word type, seL4_Word size_bits)
{
    switch (type) {
    case seL4_UntypedObject: return size_bits;
    case seL4_TCBObject: return seL4_TCBBits;
    case seL4_EndpointObject: return seL4_EndpointBits;
    case seL4_NotificationObject: return seL4_NotificationBits;
    case seL4_CapTableObject: return size_bits + seL4_SlotBits;
    case seL4_SchedContextObject: return size_bits;
    case seL4_ReplyObject: return seL4_ReplyBits;
    case seL4_X86_PDPTObject: return seL4_PDPTBits;
    case seL4_X64_PML4Object: return seL4_PML4Bits;
    case seL4_X64_HugePageObject: return seL4_HugePageBits;
    case seL4_X86_4K: return seL4_PageBits;
    case seL4_X86_LargePageObject: return seL4_LargePageBits;
    case seL4_X86_PageTableObject: return seL4_PageTableBits;
    case seL4_X86_PageDirectoryObject: return seL4_PageDirBits;
    default: return 0;
    }
}

/* Where an object of 2^bits would start in untyped i (the kernel aligns it to its size),
 * or -1 if it does not fit. */
static seL4_Word place(const cairn_alloc_t *a, seL4_Word i, seL4_Word bits)
{
    const seL4_UntypedDesc *d = &a->bi->untypedList[i];
    if (d->isDevice || bits > d->sizeBits)
        return (seL4_Word)-1;
    seL4_Word start = (a->used[i] + (1ul << bits) - 1) & ~((1ul << bits) - 1);
    return start + (1ul << bits) <= (1ul << d->sizeBits) ? start : (seL4_Word)-1;
}

/* The smallest untyped where the object fits, or -1. */
static seL4_Word best_untyped(const cairn_alloc_t *a, seL4_Word bits)
{
    seL4_Word best = (seL4_Word)-1;
    seL4_Word n = a->bi->untyped.end - a->bi->untyped.start;
    for (seL4_Word i = 0; i < n; i++)
        if (place(a, i, bits) != (seL4_Word)-1 &&
            (best == (seL4_Word)-1 || a->bi->untypedList[i].sizeBits < a->bi->untypedList[best].sizeBits))
            best = i;
    return best;
}

seL4_Error cairn_alloc_object(cairn_alloc_t *a, seL4_Word type, seL4_Word size_bits, seL4_CPtr *cap)
{
    seL4_Word bits = cairn_object_size_bits(type, size_bits);
    if (bits == 0 || bits > seL4_MaxUntypedBits)
        return seL4_InvalidArgument;
    seL4_CPtr slot;
    seL4_Error err = cairn_alloc_slot(a, &slot);
    if (err != seL4_NoError)
        return err;
    for (;;) {
        seL4_Word i = best_untyped(a, bits);
        if (i == (seL4_Word)-1) {
            err = seL4_NotEnoughMemory;
            break;
        }
        err = seL4_Untyped_Retype(a->bi->untyped.start + i, type, size_bits, seL4_CapInitThreadCNode, 0, 0, slot, 1);
        if (err == seL4_NoError) {
            a->used[i] = place(a, i, bits) + (1ul << bits);
            *cap = slot;
            return seL4_NoError;
        }
        if (err != seL4_NotEnoughMemory)
            break;
        a->used[i] = 1ul << a->bi->untypedList[i].sizeBits; /* fuller than we thought */
    }
    if (slot + 1 == a->next_slot) /* give the slot back */
        a->next_slot = slot;
    return err;
}
