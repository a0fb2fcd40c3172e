/*
 * 2 MiB and 1 GiB frames (abi §5.9): mapped through a page directory / PDPT entry with the
 * PS bit, each with its alignment check, its missing-level lookups (a 4 KiB map under a large
 * page finds no page table; a table over a large page is DeleteFirst, a large page over a
 * table too), aliases (a copy of the cap mapped elsewhere shows the same memory from the
 * first byte to the last), read-only remaps and unmaps seen by the very next access. QEMU
 * gets 3 GiB of RAM here (qemu_args) so that one 1 GiB RAM untyped exists.
 */
#include <stdio.h>
#include <string.h>
#include <sel4/sel4.h>
#include "../common/check.h"
#include "../common/thread.h"
#include "../common/vspace.h"
#include "../common/vm_probe.h"

#define VS seL4_CapInitThreadVSpace
#define DEF seL4_X86_Default_VMAttributes
#define L 0x60000000000ul /* 6 TiB */
#define H 0x70000000000ul /* 7 TiB */

static bool aliases(seL4_Word a, seL4_Word b, seL4_Word size)
{
    const seL4_Word offs[] = { 0, 8, 4096, size / 2, size - 4096, size - 8 };
    bool ok = true;
    for (unsigned i = 0; i < sizeof(offs) / sizeof(offs[0]); i++) {
        *(volatile seL4_Word *)(a + offs[i]) = 0xa11a5000 + i;
        ok = ok && *(volatile seL4_Word *)(b + offs[i]) == 0xa11a5000 + i;
    }
    return ok;
}

static void test_2m(void)
{
    seL4_CPtr f = test_alloc_obj(seL4_X86_LargePageObject, 0);
    seL4_X86_Page_GetAddress_t a = seL4_X86_Page_GetAddress(f);
    CHECK("a 2 MiB frame's physical address is 2 MiB aligned", a.error == 0 && a.paddr && (a.paddr & 0x1fffff) == 0);
    CHECK("2 MiB Page_Map with no PDPT: FailedLookup(39)",
          seL4_X86_Page_Map(f, VS, L, seL4_ReadWrite, DEF) == seL4_FailedLookup &&
              seL4_MappingFailedLookupLevel() == SEL4_MAPPING_LOOKUP_NO_PDPT);
    test_map_missing_table(VS, L, SEL4_MAPPING_LOOKUP_NO_PDPT);
    CHECK("with no PD: FailedLookup(30)",
          seL4_X86_Page_Map(f, VS, L, seL4_ReadWrite, DEF) == seL4_FailedLookup &&
              seL4_MappingFailedLookupLevel() == SEL4_MAPPING_LOOKUP_NO_PD);
    test_map_missing_table(VS, L, SEL4_MAPPING_LOOKUP_NO_PD);
    CHECK("at a 4 KiB-aligned address: AlignmentError",
          seL4_X86_Page_Map(f, VS, L + 0x1000, seL4_ReadWrite, DEF) == seL4_AlignmentError);
    CHECK("at L: mapped (no page table needed)", seL4_X86_Page_Map(f, VS, L, seL4_ReadWrite, DEF) == 0);
    volatile seL4_Word *p = (volatile seL4_Word *)L;
    CHECK("the whole 2 MiB is there, zeroed", p[0] == 0 && p[(2ul << 20) / 8 - 1] == 0);
    seL4_CPtr copy = test_copy_cap(f, seL4_AllRights);
    CHECK("a copy maps at L + 2 MiB", seL4_X86_Page_Map(copy, VS, L + (2ul << 20), seL4_ReadWrite, DEF) == 0);
    CHECK("both show the same memory, first word to last", aliases(L, L + (2ul << 20), 2ul << 20) &&
                                                               aliases(L + (2ul << 20), L, 2ul << 20));
    seL4_CPtr pt = test_alloc_obj(seL4_X86_PageTableObject, 0), small = test_alloc_obj(seL4_X86_4K, 0);
    CHECK("a page table over the 2 MiB page: DeleteFirst", seL4_X86_PageTable_Map(pt, VS, L, DEF) == seL4_DeleteFirst);
    CHECK("a 4 KiB page inside it: FailedLookup(21)",
          seL4_X86_Page_Map(small, VS, L + 0x5000, seL4_ReadWrite, DEF) == seL4_FailedLookup &&
              seL4_MappingFailedLookupLevel() == SEL4_MAPPING_LOOKUP_NO_PT);
    CHECK("the probe writes at the end of the page", probe_writes(L + (2ul << 20) - 8, 77) && p[(2ul << 20) / 8 - 1] == 77);
    CHECK("remapped read-only: the probe's next write faults (FSR 7)",
          seL4_X86_Page_Map(f, VS, L, seL4_CanRead, DEF) == 0 &&
              probe_faults(PROBE_WRITE, L + (2ul << 20) - 8, FSR_PRESENT | FSR_WRITE | FSR_USER) &&
              probe_reads(L + 0x100000, 0xa11a5003));
    CHECK("unmapped: the probe's next read faults (FSR 4); the copy still works",
          seL4_X86_Page_Unmap(f) == 0 && probe_faults(PROBE_READ, L + 0x100000, FSR_USER) &&
              probe_reads(L + (2ul << 20) + (2ul << 20) - 8, 77));
    CHECK("now a page table maps at L, and a 4 KiB page in it",
          seL4_X86_PageTable_Map(pt, VS, L, DEF) == 0 && seL4_X86_Page_Map(small, VS, L + 0x5000, seL4_ReadWrite, DEF) == 0);
    CHECK("a 2 MiB frame over that page table: DeleteFirst", seL4_X86_Page_Map(f, VS, L, seL4_ReadWrite, DEF) == seL4_DeleteFirst);
    CHECK("deleting the copy's cap unmaps it", seL4_CNode_Delete(seL4_CapInitThreadCNode, copy, 64) == 0 &&
                                                    probe_faults(PROBE_READ, L + (2ul << 20), FSR_USER));
}

static void test_1g(void)
{
    seL4_CPtr f = test_alloc_obj(seL4_X64_HugePageObject, 0);
    seL4_X86_Page_GetAddress_t a = seL4_X86_Page_GetAddress(f);
    CHECK("a 1 GiB frame (from RAM) exists; its physical address is 1 GiB aligned",
          f && a.error == 0 && a.paddr && (a.paddr & 0x3fffffff) == 0);
    CHECK("1 GiB Page_Map with no PDPT: FailedLookup(39)",
          seL4_X86_Page_Map(f, VS, H, seL4_ReadWrite, DEF) == seL4_FailedLookup &&
              seL4_MappingFailedLookupLevel() == SEL4_MAPPING_LOOKUP_NO_PDPT);
    test_map_missing_table(VS, H, SEL4_MAPPING_LOOKUP_NO_PDPT);
    CHECK("at a 2 MiB-aligned address: AlignmentError",
          seL4_X86_Page_Map(f, VS, H + (2ul << 20), seL4_ReadWrite, DEF) == seL4_AlignmentError);
    CHECK("at H: mapped (no page directory needed)", seL4_X86_Page_Map(f, VS, H, seL4_ReadWrite, DEF) == 0);
    volatile seL4_Word *p = (volatile seL4_Word *)H;
    CHECK("the whole 1 GiB is there, zeroed", p[0] == 0 && p[(1ul << 30) / 8 - 1] == 0 && p[(1ul << 29) / 8] == 0);
    seL4_CPtr copy = test_copy_cap(f, seL4_AllRights);
    CHECK("a copy maps at H + 1 GiB", seL4_X86_Page_Map(copy, VS, H + (1ul << 30), seL4_ReadWrite, DEF) == 0);
    CHECK("both show the same memory, first word to last", aliases(H, H + (1ul << 30), 1ul << 30) &&
                                                               aliases(H + (1ul << 30), H, 1ul << 30));
    seL4_CPtr pd = test_alloc_obj(seL4_X86_PageDirectoryObject, 0), small = test_alloc_obj(seL4_X86_4K, 0);
    CHECK("a page directory over the 1 GiB page: DeleteFirst",
          seL4_X86_PageDirectory_Map(pd, VS, H, DEF) == seL4_DeleteFirst);
    CHECK("a 4 KiB page inside it: FailedLookup(30)",
          seL4_X86_Page_Map(small, VS, H + 0x12345000, seL4_ReadWrite, DEF) == seL4_FailedLookup &&
              seL4_MappingFailedLookupLevel() == SEL4_MAPPING_LOOKUP_NO_PD);
    CHECK("the probe reads and writes near the end", probe_writes(H + (1ul << 30) - 16, 5) &&
                                                        probe_reads(H + (1ul << 30) - 16, 5));
    CHECK("remapped read-only: the probe's next write faults (FSR 7)",
          seL4_X86_Page_Map(f, VS, H, seL4_CanRead, DEF) == 0 &&
              probe_faults(PROBE_WRITE, H + (1ul << 30) - 16, FSR_PRESENT | FSR_WRITE | FSR_USER));
    CHECK("unmapped: the next read faults; a page directory maps there now",
          seL4_X86_Page_Unmap(f) == 0 && probe_faults(PROBE_READ, H + 0x40000000 - 16, FSR_USER) &&
              seL4_X86_PageDirectory_Map(pd, VS, H, DEF) == 0);
    CHECK("a 1 GiB frame over that page directory: DeleteFirst",
          seL4_X86_Page_Map(f, VS, H, seL4_ReadWrite, DEF) == seL4_DeleteFirst);
    CHECK("the copy at H + 1 GiB still works", probe_reads(H + (1ul << 30) + 8, 0xa11a5001));
}

int main(void)
{
    test_init();
    probe_start(VS);
    test_2m();
    test_1g();
    return 0;
}
