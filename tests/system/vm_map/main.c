/*
 * x86_64 mapping invocations through the real kernel (abi §5.9, §6, §11, §12.3): PDPT, page
 * directory, page table and frame Map/Unmap and GetAddress with each error in the sheet's
 * order (label, length and detail MRs of the reply), and what the mappings do, checked by a
 * probe thread in the same address space whose faults come to us: rights (read-only,
 * kernel-only), remapping with new rights, silent 4 KiB overwrites, unmapping, zeroing on a
 * table's Unmap, and the TLB (each change is seen by the very next access, with the address
 * space loaded all along).
 */
#include <stdio.h>
#include <string.h>
#include <sel4/sel4.h>
#include "../common/check.h"
#include "../common/thread.h"
#include "../common/vspace.h"
#include "../common/vm_probe.h"

#define V 0x8000000000ul /* 512 GiB: PML4 entry 1, nothing mapped there */
#define VS seL4_CapInitThreadVSpace
#define DEF seL4_X86_Default_VMAttributes

static struct test_reply table_map_raw(seL4_CPtr table, seL4_Word label, seL4_CPtr vspace, seL4_Word vaddr, seL4_Word n)
{
    const seL4_Word mr[2] = { vaddr, DEF };
    return test_invoke(table, label, n, mr, vspace ? 1 : 0, &vspace);
}
static struct test_reply page_map_raw(seL4_CPtr frame, seL4_CPtr vspace, seL4_Word vaddr, seL4_CapRights_t rights,
                                      seL4_Word n)
{
    const seL4_Word mr[3] = { vaddr, rights.words[0], DEF };
    return test_invoke(frame, X86PageMap, n, mr, vspace ? 1 : 0, &vspace);
}

static void test_tables(void)
{
    seL4_CPtr pdpt = test_alloc_obj(seL4_X86_PDPTObject, 0), pd = test_alloc_obj(seL4_X86_PageDirectoryObject, 0);
    seL4_CPtr pt = test_alloc_obj(seL4_X86_PageTableObject, 0), pdpt2 = test_alloc_obj(seL4_X86_PDPTObject, 0);
    seL4_CPtr pt2 = test_alloc_obj(seL4_X86_PageTableObject, 0);
    seL4_CPtr ep = test_alloc_obj(seL4_EndpointObject, 0), pml4 = test_alloc_obj(seL4_X64_PML4Object, 0);

    CHECK("PT_Map with no PDPT: FailedLookup [0, MissingCapability, 39] (seL4_MappingFailedLookupLevel 39)",
          REPLY_IS(table_map_raw(pt, X86PageTableMap, VS, V, 2), seL4_FailedLookup, 0, seL4_MissingCapability, 39));
    CHECK("PD_Map with no PDPT: FailedLookup [0, MissingCapability, 39]",
          seL4_X86_PageDirectory_Map(pd, VS, V, DEF) == seL4_FailedLookup &&
              seL4_MappingFailedLookupLevel() == SEL4_MAPPING_LOOKUP_NO_PDPT);
    CHECK("a PDPT invoked with the PageTable_Map label: IllegalOperation, no MRs",
          REPLY_IS(table_map_raw(pdpt, X86PageTableMap, VS, V, 2), seL4_IllegalOperation));
    CHECK("PDPT_Map with 1 MR: TruncatedMessage", REPLY_IS(table_map_raw(pdpt, X86PDPTMap, VS, V, 1), seL4_TruncatedMessage));
    CHECK("PDPT_Map without the VSpace cap: TruncatedMessage",
          REPLY_IS(table_map_raw(pdpt, X86PDPTMap, 0, V, 2), seL4_TruncatedMessage));
    CHECK("PDPT_Map into an endpoint: InvalidCapability [1]",
          REPLY_IS(table_map_raw(pdpt, X86PDPTMap, ep, V, 2), seL4_InvalidCapability, 1));
    CHECK("PDPT_Map into a PML4 with no ASID: InvalidCapability [1]",
          REPLY_IS(table_map_raw(pdpt, X86PDPTMap, pml4, V, 2), seL4_InvalidCapability, 1));
    CHECK("PDPT_Map at 0x800000000000 (above the user range): InvalidArgument [0]",
          REPLY_IS(table_map_raw(pdpt, X86PDPTMap, VS, 0x800000000000ul, 2), seL4_InvalidArgument, 0));
    CHECK("PDPT_Map at a kernel address: InvalidArgument [0]",
          REPLY_IS(table_map_raw(pdpt, X86PDPTMap, VS, 0xffffffff80000000ul, 2), seL4_InvalidArgument, 0));
    CHECK("PDPT_Map at V + 0x1234 (rounded down to 512 GiB) succeeds", seL4_X86_PDPT_Map(pdpt, VS, V + 0x1234, DEF) == 0);
    CHECK("PDPT_Map of a mapped PDPT, even into an endpoint: InvalidCapability [0]",
          REPLY_IS(table_map_raw(pdpt, X86PDPTMap, ep, V, 2), seL4_InvalidCapability, 0));
    CHECK("another PDPT at V + 1 GiB (the same PML4 entry): DeleteFirst",
          REPLY_IS(table_map_raw(pdpt2, X86PDPTMap, VS, V + (1ul << 30), 2), seL4_DeleteFirst));
    CHECK("PT_Map with no PD: FailedLookup [0, MissingCapability, 30]",
          REPLY_IS(table_map_raw(pt, X86PageTableMap, VS, V, 2), seL4_FailedLookup, 0, seL4_MissingCapability, 30));
    CHECK("PD_Map succeeds", seL4_X86_PageDirectory_Map(pd, VS, V, DEF) == 0);
    CHECK("PT_Map at V + 0x1fffff (rounded down to V) succeeds", seL4_X86_PageTable_Map(pt, VS, V + 0x1fffff, DEF) == 0);
    CHECK("another PT at V: DeleteFirst", REPLY_IS(table_map_raw(pt2, X86PageTableMap, VS, V + 0x5000, 2), seL4_DeleteFirst));
    CHECK("a PML4 cap takes no invocation: IllegalOperation",
          REPLY_IS(test_invoke(VS, X86PageMap, 0, NULL, 0, NULL), seL4_IllegalOperation) &&
              REPLY_IS(test_invoke(VS, X86PDPTMap, 0, NULL, 0, NULL), seL4_IllegalOperation));
}

static void test_pages(void)
{
    seL4_CPtr f1 = test_alloc_obj(seL4_X86_4K, 0), f2 = test_alloc_obj(seL4_X86_4K, 0);
    seL4_CPtr ep = test_alloc_obj(seL4_EndpointObject, 0), pml4 = test_alloc_obj(seL4_X64_PML4Object, 0);
    CHECK("Page_Map with 2 MRs: TruncatedMessage", REPLY_IS(page_map_raw(f1, VS, V, seL4_ReadWrite, 2), seL4_TruncatedMessage));
    CHECK("Page_Map without the VSpace cap: TruncatedMessage",
          REPLY_IS(page_map_raw(f1, 0, V, seL4_ReadWrite, 3), seL4_TruncatedMessage));
    CHECK("Page_Map into an endpoint: InvalidCapability [1]",
          REPLY_IS(page_map_raw(f1, ep, V, seL4_ReadWrite, 3), seL4_InvalidCapability, 1));
    CHECK("Page_Map into a PML4 with no ASID: InvalidCapability [1]",
          REPLY_IS(page_map_raw(f1, pml4, V, seL4_ReadWrite, 3), seL4_InvalidCapability, 1));
    CHECK("Page_Map at 0x7ffffffff000 (the page ends past the user range): InvalidArgument [0]",
          REPLY_IS(page_map_raw(f1, VS, 0x7ffffffff000ul, seL4_ReadWrite, 3), seL4_InvalidArgument, 0));
    CHECK("Page_Map at 0x7fffffffe000 passes the range check: FailedLookup [0, Missing, 39]",
          REPLY_IS(page_map_raw(f1, VS, 0x7fffffffe000ul, seL4_ReadWrite, 3), seL4_FailedLookup, 0,
                   seL4_MissingCapability, 39));
    CHECK("Page_Map at V + 0x800 (misaligned): AlignmentError, no MRs",
          REPLY_IS(page_map_raw(f1, VS, V + 0x800, seL4_ReadWrite, 3), seL4_AlignmentError));
    CHECK("Page_Map at V + 2 MiB (no page table there): FailedLookup [0, Missing, 21]",
          REPLY_IS(page_map_raw(f1, VS, V + (2ul << 20), seL4_ReadWrite, 3), seL4_FailedLookup, 0,
                   seL4_MissingCapability, 21));

    /* Read-write, then the rights change under the probe's feet. */
    CHECK("Page_Map read-write at V succeeds", seL4_X86_Page_Map(f1, VS, V, seL4_ReadWrite, DEF) == 0);
    volatile seL4_Word *p = (volatile seL4_Word *)V;
    CHECK("a new frame reads zero", p[0] == 0 && p[511] == 0);
    p[1] = 0x1111;
    CHECK("the probe reads what we wrote, and writes", probe_reads(V + 8, 0x1111) && probe_writes(V + 16, 0x2222) &&
                                                          p[2] == 0x2222);
    CHECK("remapping read-only at the same address succeeds", seL4_X86_Page_Map(f1, VS, V, seL4_CanRead, DEF) == 0);
    CHECK("the very next write faults: VMFault at V + 16, FSR 7 (present, write, user)",
          probe_faults(PROBE_WRITE, V + 16, FSR_PRESENT | FSR_WRITE | FSR_USER) && p[2] == 0x2222);
    CHECK("... and reads still work", probe_reads(V + 16, 0x2222));
    CHECK("remapping read-write again lets the write through",
          seL4_X86_Page_Map(f1, VS, V, seL4_ReadWrite, DEF) == 0 && probe_writes(V + 16, 0x3333) && p[2] == 0x3333);
    CHECK("Page_Map of the mapped frame at V + 4 KiB: InvalidArgument [0]",
          REPLY_IS(page_map_raw(f1, VS, V + 4096, seL4_ReadWrite, 3), seL4_InvalidArgument, 0));
    seL4_CPtr other = test_vspace_new();
    CHECK("Page_Map of the mapped frame into another address space: InvalidCapability [1]",
          REPLY_IS(page_map_raw(f1, other, V, seL4_ReadWrite, 3), seL4_InvalidCapability, 1));
    CHECK("Write without Read maps kernel-only: the probe's read faults with FSR 5 (present, user)",
          seL4_X86_Page_Map(f1, VS, V, seL4_CanWrite, DEF) == 0 &&
              probe_faults(PROBE_READ, V + 8, FSR_PRESENT | FSR_USER));
    CHECK("no rights at all map kernel-only too",
          seL4_X86_Page_Map(f1, VS, V, seL4_NoRights, DEF) == 0 && probe_faults(PROBE_READ, V, FSR_PRESENT | FSR_USER));
    CHECK("every cache attribute maps (write-through, cache disabled, uncacheable, write combining)",
          seL4_X86_Page_Map(f1, VS, V, seL4_ReadWrite, seL4_X86_WriteThrough) == 0 && probe_reads(V + 8, 0x1111) &&
              seL4_X86_Page_Map(f1, VS, V, seL4_ReadWrite, seL4_X86_CacheDisabled) == 0 && probe_reads(V + 8, 0x1111) &&
              seL4_X86_Page_Map(f1, VS, V, seL4_ReadWrite, seL4_X86_Uncacheable) == 0 && probe_reads(V + 8, 0x1111) &&
              seL4_X86_Page_Map(f1, VS, V, seL4_ReadWrite, seL4_X86_WriteCombining) == 0 && probe_reads(V + 8, 0x1111) &&
              seL4_X86_Page_Map(f1, VS, V, seL4_ReadWrite, DEF) == 0);

    /* A read-only copy of the cap maps the same frame a second time. */
    seL4_CPtr ro = test_copy_cap(f1, seL4_CanRead);
    CHECK("a read-only copy maps at V + 4 KiB, asking for read-write, and shows the same memory",
          seL4_X86_Page_Map(ro, VS, V + 4096, seL4_ReadWrite, DEF) == 0 && probe_reads(V + 4096 + 16, 0x3333));
    CHECK("... read-only: the write faults with FSR 7", probe_faults(PROBE_WRITE, V + 4096, 7));

    /* Code: all user mappings are executable. */
    p[0] = 0xc3; /* ret */
    CHECK("the probe calls a `ret` in the page and comes back", probe(PROBE_EXEC, V, 0).faulted == false);

    /* A 4 KiB entry is overwritten without DeleteFirst, and the next access sees it. */
    volatile seL4_Word *q = (volatile seL4_Word *)(V + 8192);
    CHECK("f2 maps at V + 8 KiB", seL4_X86_Page_Map(f2, VS, V + 8192, seL4_ReadWrite, DEF) == 0);
    q[3] = 0x4444;
    CHECK("f2 unmaps; it is read-write: then mapped over f1 at V, silently",
          seL4_X86_Page_Unmap(f2) == 0 && seL4_X86_Page_Map(f2, VS, V, seL4_ReadWrite, DEF) == 0);
    CHECK("the probe at V now reads f2's word", probe_reads(V + 24, 0x4444));
    CHECK("f1's Unmap leaves f2's entry alone", seL4_X86_Page_Unmap(f1) == 0 && probe_reads(V + 24, 0x4444));
    CHECK("f2's Unmap clears it: the very next read faults with FSR 4 (user, not present)",
          seL4_X86_Page_Unmap(f2) == 0 && probe_faults(PROBE_READ, V + 24, FSR_USER));
    CHECK("Unmap of an unmapped frame succeeds", seL4_X86_Page_Unmap(f2) == 0);
    CHECK("an unknown label on a frame: IllegalOperation",
          REPLY_IS(test_invoke(f2, X86PageTableUnmap, 0, NULL, 0, NULL), seL4_IllegalOperation));

    /* GetAddress: two frames of one Retype lie side by side. */
    seL4_CPtr ut = test_alloc_obj(seL4_UntypedObject, 13), pair = 0, pair2 = 0;
    cairn_alloc_slot(&test_alloc, &pair);
    cairn_alloc_slot(&test_alloc, &pair2);
    seL4_Error e = seL4_Untyped_Retype(ut, seL4_X86_4K, 0, seL4_CapInitThreadCNode, 0, 0, pair, 2);
    seL4_X86_Page_GetAddress_t a1 = seL4_X86_Page_GetAddress(pair), a2 = seL4_X86_Page_GetAddress(pair + 1);
    struct test_reply r = test_invoke(pair, X86PageGetAddress, 0, NULL, 0, NULL);
    CHECK("GetAddress: the physical addresses of two frames of one Retype are 4 KiB apart",
          e == 0 && a1.error == 0 && a2.error == 0 && a2.paddr == a1.paddr + 4096 && (a1.paddr & 0xfff) == 0);
    CHECK("GetAddress replies label 0, length 1, MR0 = the address", r.label == 0 && r.length == 1 && r.mr[0] == a1.paddr);
    (void)pair2;
}

static void test_faults(void)
{
    CHECK("reading a never-mapped address faults: FSR 4", probe_faults(PROBE_READ, 0x3000000000ul + 0x18, FSR_USER));
    CHECK("writing one faults: FSR 6", probe_faults(PROBE_WRITE, 0x3000000000ul, FSR_USER | FSR_WRITE));
    CHECK("calling one faults with IP = Addr, FSR 4 (no I/D bit without NXE)",
          probe_faults(PROBE_EXEC, 0x3000000000ul, FSR_USER));
    CHECK("reading below the image (page 0) faults", probe_faults(PROBE_READ, 0x10, FSR_USER));
}

static void test_table_unmap(void)
{
    /* The page table at V holds f's mapping. */
    seL4_CPtr f = test_alloc_obj(seL4_X86_4K, 0);
    CHECK("a frame maps at V + 12 KiB", seL4_X86_Page_Map(f, VS, V + 12288, seL4_ReadWrite, DEF) == 0 &&
                                            probe_writes(V + 12288, 0x5555));
    seL4_CPtr pt_copy = 0, pt = 0;
    /* Find our page table: it is the only one we mapped at V; a fresh one shows the same. */
    pt = test_alloc_obj(seL4_X86_PageTableObject, 0);
    CHECK("a second page table at V: DeleteFirst", seL4_X86_PageTable_Map(pt, VS, V, DEF) == seL4_DeleteFirst);
    seL4_CPtr pd2 = test_alloc_obj(seL4_X86_PageDirectoryObject, 0);
    seL4_CPtr pdpt2 = test_alloc_obj(seL4_X86_PDPTObject, 0);
    const seL4_Word W = 0x9000000000ul; /* PML4 entry 1 too: V + 4 GiB region, its own PD */
    CHECK("a PD and PT map at W", seL4_X86_PageDirectory_Map(pd2, VS, W, DEF) == 0 &&
                                      seL4_X86_PageTable_Map(pt, VS, W, DEF) == 0);
    (void)pdpt2;
    CHECK("f's copy maps at W", seL4_X86_Page_Map(test_copy_cap(f, seL4_AllRights), VS, W, seL4_ReadWrite, DEF) == 0 &&
                                    probe_reads(W, 0x5555));
    pt_copy = test_copy_cap(pt, seL4_AllRights);
    CHECK("PT_Unmap with a copy of the PT cap: RevokeFirst", seL4_X86_PageTable_Unmap(pt) == seL4_RevokeFirst &&
                                                                probe_reads(W, 0x5555));
    CHECK("deleting the copy keeps the mapping",
          seL4_CNode_Delete(seL4_CapInitThreadCNode, pt_copy, 64) == 0 && probe_reads(W, 0x5555));
    CHECK("PT_Unmap of the final cap: the very next read at W faults (FSR 4)",
          seL4_X86_PageTable_Unmap(pt) == 0 && probe_faults(PROBE_READ, W, FSR_USER));
    CHECK("the PT maps again at W, empty (zeroed by Unmap): the read still faults",
          seL4_X86_PageTable_Map(pt, VS, W, DEF) == 0 && probe_faults(PROBE_READ, W, FSR_USER));
    CHECK("the mapping at V + 12 KiB was never touched", probe_reads(V + 12288, 0x5555));

    /* Deleting caps unmaps. */
    CHECK("deleting f's cap unmaps it from V + 12 KiB",
          seL4_CNode_Delete(seL4_CapInitThreadCNode, f, 64) == 0 && probe_faults(PROBE_READ, V + 12288, FSR_USER));
    seL4_CPtr g = test_new_mapped_frame(VS, seL4_X86_4K, W + 4096, seL4_ReadWrite);
    CHECK("a frame in the PT at W works", g && probe_writes(W + 4096, 1));
    CHECK("deleting the PT cap unmaps everything under it",
          seL4_CNode_Delete(seL4_CapInitThreadCNode, pt, 64) == 0 && probe_faults(PROBE_READ, W + 4096, FSR_USER));
    CHECK("deleting the PD cap at W succeeds; a new PT there is FailedLookup(30)",
          seL4_CNode_Delete(seL4_CapInitThreadCNode, pd2, 64) == 0 &&
              seL4_X86_PageTable_Map(test_alloc_obj(seL4_X86_PageTableObject, 0), VS, W, DEF) == seL4_FailedLookup &&
              seL4_MappingFailedLookupLevel() == SEL4_MAPPING_LOOKUP_NO_PD);
}

static void test_revoke_unmaps(void)
{
    /* Everything made from one untyped: revoking it unmaps all of it. */
    const seL4_Word X = 0x10000000000ul; /* 1 TiB: PML4 entry 2 */
    seL4_CPtr ut = test_alloc_obj(seL4_UntypedObject, 16), slot = 0;
    cairn_alloc_slot(&test_alloc, &slot);
    for (seL4_Word i = 1; i < 8; i++) {
        seL4_CPtr s;
        cairn_alloc_slot(&test_alloc, &s);
    }
    seL4_Error e = seL4_Untyped_Retype(ut, seL4_X86_PDPTObject, 0, seL4_CapInitThreadCNode, 0, 0, slot, 1);
    e = e ? e : seL4_Untyped_Retype(ut, seL4_X86_PageDirectoryObject, 0, seL4_CapInitThreadCNode, 0, 0, slot + 1, 1);
    e = e ? e : seL4_Untyped_Retype(ut, seL4_X86_PageTableObject, 0, seL4_CapInitThreadCNode, 0, 0, slot + 2, 1);
    e = e ? e : seL4_Untyped_Retype(ut, seL4_X86_4K, 0, seL4_CapInitThreadCNode, 0, 0, slot + 3, 4);
    e = e ? e : seL4_X86_PDPT_Map(slot, VS, X, DEF);
    e = e ? e : seL4_X86_PageDirectory_Map(slot + 1, VS, X, DEF);
    e = e ? e : seL4_X86_PageTable_Map(slot + 2, VS, X, DEF);
    for (seL4_Word i = 0; i < 4 && !e; i++)
        e = seL4_X86_Page_Map(slot + 3 + i, VS, X + i * 4096, seL4_ReadWrite, DEF);
    CHECK("a PDPT, PD, PT and 4 frames from one untyped map at X", e == 0 && probe_writes(X + 3 * 4096, 7));
    CHECK("revoking the untyped unmaps them all: the next access faults",
          seL4_CNode_Revoke(seL4_CapInitThreadCNode, ut, 64) == 0 && probe_faults(PROBE_READ, X + 3 * 4096, FSR_USER) &&
              probe_faults(PROBE_READ, X, FSR_USER));
    CHECK("a new PT at X finds no PDPT: FailedLookup(39)",
          seL4_X86_PageTable_Map(test_alloc_obj(seL4_X86_PageTableObject, 0), VS, X, DEF) == seL4_FailedLookup &&
              seL4_MappingFailedLookupLevel() == SEL4_MAPPING_LOOKUP_NO_PDPT);
}

int main(void)
{
    test_init();
    probe_start(VS);
    test_tables();
    test_pages();
    test_faults();
    test_table_unmap();
    test_revoke_unmaps();
    return 0;
}
