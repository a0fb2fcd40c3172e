/*
 * A CPU without 1 GiB pages (QEMU's CPU model minus pdpe1gb, qemu_args): the kernel boots,
 * 1 GiB frames can still be made (they are memory like any other), but mapping one is
 * refused with IllegalOperation and a userError line, before any paging structure is looked
 * at; 2 MiB and 4 KiB frames map as usual.
 */
#include <stdio.h>
#include <sel4/sel4.h>
#include "../common/check.h"
#include "../common/thread.h"
#include "../common/vspace.h"

#define VS seL4_CapInitThreadVSpace
#define DEF seL4_X86_Default_VMAttributes
#define H 0x70000000000ul

/* A 1 GiB frame from a 1 GiB device untyped (no RAM untyped is that big here). */
static seL4_CPtr huge_device_frame(void)
{
    const seL4_BootInfo *bi = cairn_bootinfo();
    for (seL4_Word i = 0; i < bi->untyped.end - bi->untyped.start; i++)
        if (bi->untypedList[i].isDevice && bi->untypedList[i].sizeBits == 30) {
            seL4_CPtr s = 0;
            cairn_alloc_slot(&test_alloc, &s);
            if (seL4_Untyped_Retype(bi->untyped.start + i, seL4_X64_HugePageObject, 0, seL4_CapInitThreadCNode, 0,
                                    0, s, 1) == 0)
                return s;
        }
    return 0;
}

int main(void)
{
    test_init();
    seL4_CPtr f = huge_device_frame();
    CHECK("a 1 GiB frame can be made", f != 0);
    const seL4_Word mr[3] = { H, seL4_ReadWrite.words[0], DEF };
    seL4_CPtr vs = VS;
    CHECK("mapping it is IllegalOperation (no MRs), even with no PDPT there",
          REPLY_IS(test_invoke(f, X86PageMap, 3, mr, 1, &vs), seL4_IllegalOperation));
    test_map_missing_table(VS, H, SEL4_MAPPING_LOOKUP_NO_PDPT);
    CHECK("... and with one", seL4_X86_Page_Map(f, VS, H, seL4_ReadWrite, DEF) == seL4_IllegalOperation);
    CHECK("a misaligned address is still AlignmentError (checked first)",
          seL4_X86_Page_Map(f, VS, H + 0x1000, seL4_ReadWrite, DEF) == seL4_AlignmentError);
    seL4_CPtr l = test_alloc_obj(seL4_X86_LargePageObject, 0);
    CHECK("a 2 MiB frame maps and works", test_map_frame(VS, l, H + (2ul << 20), seL4_ReadWrite, DEF) == 0 &&
                                              (*(volatile seL4_Word *)(H + (2ul << 20)) = 3) == 3);
    CHECK("a 4 KiB frame maps and works", test_new_mapped_frame(VS, seL4_X86_4K, H + (8ul << 20), seL4_ReadWrite) != 0 &&
                                              *(volatile seL4_Word *)(H + (8ul << 20)) == 0);
    return 0;
}
