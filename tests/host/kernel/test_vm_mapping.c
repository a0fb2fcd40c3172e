/*
 * The x86_64 virtual-memory invocations (abi §5.9, §6, §12.3) through handle_invocation,
 * with the real vspace.c, asid.c and mapping.c over fake physical memory: every check of the
 * sheet in its order with its error and detail MRs, the entries written (present, user,
 * write, PS, cache and PAT bits, never XD), the caps' recorded mappings, zeroing on Unmap
 * only, the TLB flushes asked for, and what deletion undoes.
 */
#include "kenv.h"
#include "cap.h"
#include "vspace.h"
#include "x86.h"
#include "x86_internal.h"

int host_failures;

/* This program dispatches the MMU caps the way arch/x86_64/invocation.c does. */
bool arch_cap_type_invocable(enum cap_type t) { return mmu_cap_type_invocable(t); }
exception_t decode_arch_invocation(struct invocation *inv) { return decode_mmu_invocation(inv); }

static bool reply_is(word_t got, word_t e, unsigned n, const word_t *mrs)
{
    if (got != e || kreply_length() != n)
        return false;
    for (unsigned i = 0; i < n; i++)
        if (kmr(i) != mrs[i])
            return false;
    return true;
}
#define REPLY(got, e, ...) \
    ({ \
        const word_t _m[] = { 0, ##__VA_ARGS__ }; \
        reply_is(got, e, sizeof(_m) / sizeof(_m[0]) - 1, _m + 1); \
    })

enum {
    S_ASIDCTL = 20, S_POOLUT, S_POOL, S_PML4, S_PML4B, S_PDPT, S_PD, S_PT, S_FRAME, S_FRAME2, S_DEVUT,
    S_LARGE, S_LARGE2, S_HUGE, S_EP, S_PDPT2, S_PD2, S_PT2, S_COPY, S_SCRATCH = 60
};
#define RW (seL4_ReadWrite.words[0])
#define RO (seL4_CanRead.words[0])
#define WO (seL4_CanWrite.words[0])

static cap_t make_table(paddr_t p, void *arg) { return cap_paging_new(*(enum cap_type *)arg, paddr_to_kptr(p), 0); }
static cte_t *new_table(word_t slot, enum cap_type t) { return kenv_retype(slot, 12, make_table, &t); }
static void forge(word_t slot, cap_t c, cte_t *parent) { cte_insert(parent, kslot(slot), c, true, false); }

static word_t page_map(word_t frame, word_t vspace, word_t vaddr, word_t rights, word_t attr)
{
    const word_t mr[3] = { vaddr, rights, attr }, caps[1] = { vspace };
    return kcall(frame, X86PageMap, 3, 1, caps, mr);
}
static word_t table_map(word_t slot, word_t label, word_t vspace, word_t vaddr, word_t attr)
{
    const word_t mr[2] = { vaddr, attr }, caps[1] = { vspace };
    return kcall(slot, label, 2, 1, caps, mr);
}
static word_t op(word_t slot, word_t label) { return kcall(slot, label, 0, 0, NULL, NULL); }
static word_t make_pool(word_t ut, word_t dest)
{
    const word_t mr[2] = { dest, 64 }, caps[2] = { ut, KS_CNODE };
    return kcall(S_ASIDCTL, X86ASIDControlMakePool, 2, 2, caps, mr);
}
static word_t assign(word_t pool, word_t pml4)
{
    const word_t caps[1] = { pml4 };
    return kcall(pool, X86ASIDPoolAssign, 0, 1, caps, NULL);
}

/* The entry at `level` for v in the PML4 of a slot's cap, or 0 when a table is missing. */
static uint64_t entry_at(word_t pml4_slot, vaddr_t v, unsigned level)
{
    uint64_t *t = cap_ptr(kcap(pml4_slot));
    for (unsigned l = 0; l < level; l++) {
        uint64_t e = t[(v >> (39 - 9 * l)) & 511];
        if (!(e & PTE_P) || (e & PTE_PS))
            return 0;
        t = paddr_to_kptr(e & PTE_ADDR_MASK);
    }
    return t[(v >> (39 - 9 * level)) & 511];
}
static paddr_t table_paddr(word_t slot) { return kptr_to_paddr(cap_ptr(kcap(slot))); }

/* A world with ASID control, pool 0 made from a 4 KiB untyped, and an assigned PML4. */
static void vm_world(void)
{
    kenv_init();
    asid_forget_all();
    memset(&fake_tlb, 0, sizeof(fake_tlb));
    cpu_features.huge_pages = true;
    forge(S_ASIDCTL, cap_make(cap_asid_control, 0, 0), NULL);
    new_untyped(S_POOLUT, 12);
    if (make_pool(S_POOLUT, S_POOL) != seL4_NoError)
        fprintf(stderr, "vm_world: MakePool failed\n");
    new_table(S_PML4, cap_pml4);
    if (assign(S_POOL, S_PML4) != seL4_NoError)
        fprintf(stderr, "vm_world: Assign failed\n");
}

/* Large and huge frames: a device untyped at 1 GiB (outside fake memory; mapping never
 * touches a frame) with 2 MiB frames from 1 GiB + 2 MiB and a 1 GiB frame at 2 GiB. */
static void forge_big_frames(void)
{
    forge(S_DEVUT, cap_untyped_new(1ul << 30, 31, true, 1ul << 31), NULL);
    cte_insert(kslot(S_DEVUT), kslot(S_LARGE), cap_frame_new((1ul << 30) + (2ul << 20), frame_2m, VM_READ | VM_WRITE, true),
               true, false);
    cte_insert(kslot(S_DEVUT), kslot(S_LARGE2), cap_frame_new((1ul << 30) + (4ul << 20), frame_2m, VM_READ | VM_WRITE, true),
               true, false);
    cte_insert(kslot(S_DEVUT), kslot(S_HUGE), cap_frame_new(2ul << 30, frame_1g, VM_READ | VM_WRITE, true), true,
               false);
}

/* PDPT, PD and PT mapped for the first 2 MiB at `v`. */
static bool map_tables(vaddr_t v)
{
    new_table(S_PDPT, cap_pdpt);
    new_table(S_PD, cap_page_directory);
    new_table(S_PT, cap_page_table);
    return table_map(S_PDPT, X86PDPTMap, S_PML4, v, 0) == seL4_NoError &&
           table_map(S_PD, X86PageDirectoryMap, S_PML4, v, 0) == seL4_NoError &&
           table_map(S_PT, X86PageTableMap, S_PML4, v, 0) == seL4_NoError;
}

static void test_table_map_checks(void)
{
    vm_world();
    new_table(S_PDPT, cap_pdpt);
    new_table(S_PD, cap_page_directory);
    new_table(S_PT, cap_page_table);
    new_table(S_PML4B, cap_pml4); /* not assigned */
    new_endpoint(S_EP);
    const word_t v = 0x12345678000ul;

    HCHECK("PDPT with the PageTable_Map label is IllegalOperation",
           REPLY(table_map(S_PDPT, X86PageTableMap, S_PML4, v, 0), seL4_IllegalOperation));
    HCHECK("PT with the Page_Map label is IllegalOperation",
           REPLY(table_map(S_PT, X86PageMap, S_PML4, v, 0), seL4_IllegalOperation));
    const word_t mr[2] = { v, 0 }, caps[1] = { S_PML4 };
    HCHECK("PD_Map with 1 MR is TruncatedMessage",
           REPLY(kcall(S_PD, X86PageDirectoryMap, 1, 1, caps, mr), seL4_TruncatedMessage));
    HCHECK("PD_Map without the VSpace cap is TruncatedMessage",
           REPLY(kcall(S_PD, X86PageDirectoryMap, 2, 0, NULL, mr), seL4_TruncatedMessage));
    HCHECK("an endpoint as VSpace is InvalidCapability(1)",
           REPLY(table_map(S_PDPT, X86PDPTMap, S_EP, v, 0), seL4_InvalidCapability, 1));
    HCHECK("an unassigned PML4 as VSpace is InvalidCapability(1)",
           REPLY(table_map(S_PDPT, X86PDPTMap, S_PML4B, v, 0), seL4_InvalidCapability, 1));
    HCHECK("PT_Map above the user top is InvalidArgument(0)",
           REPLY(table_map(S_PT, X86PageTableMap, S_PML4, 0x800000000000ul, 0), seL4_InvalidArgument, 0));
    HCHECK("PDPT_Map at a kernel address is InvalidArgument(0)",
           REPLY(table_map(S_PDPT, X86PDPTMap, S_PML4, 0xffffff8000000000ul, 0), seL4_InvalidArgument, 0));
    HCHECK("PD_Map without a PDPT is FailedLookup(dest, Missing, 39)",
           REPLY(table_map(S_PD, X86PageDirectoryMap, S_PML4, v, 0), seL4_FailedLookup, 0, seL4_MissingCapability,
                 39));
    HCHECK("PT_Map without a PDPT is FailedLookup(dest, Missing, 39)",
           REPLY(table_map(S_PT, X86PageTableMap, S_PML4, v, 0), seL4_FailedLookup, 0, seL4_MissingCapability, 39));
    HCHECK("PDPT_Map succeeds", REPLY(table_map(S_PDPT, X86PDPTMap, S_PML4, v, 3), seL4_NoError));
    HCHECK("the PDPT is in the PML4 entry: present, writable, user, PWT+PCD of attr 3",
           entry_at(S_PML4, v, 0) == (table_paddr(S_PDPT) | PTE_P | PTE_W | PTE_U | PTE_PWT | PTE_PCD));
    HCHECK("the PDPT cap records ASID 1 and the address rounded down to 512 GiB",
           cap_mapped_asid(kcap(S_PDPT)) == 1 && cap_mapped_vaddr(kcap(S_PDPT)) == ROUND_DOWN(v, 39));
    HCHECK("mapping no table over an absent entry asks for no TLB flush", fake_tlb.page_flushes == 0);
    HCHECK("PT_Map without a PD is FailedLookup(dest, Missing, 30)",
           REPLY(table_map(S_PT, X86PageTableMap, S_PML4, v, 0), seL4_FailedLookup, 0, seL4_MissingCapability, 30));
    HCHECK("a mapped PDPT is InvalidCapability(0), even with a bad VSpace cap",
           REPLY(table_map(S_PDPT, X86PDPTMap, S_EP, v, 0), seL4_InvalidCapability, 0));
    new_table(S_PDPT2, cap_pdpt);
    HCHECK("a second PDPT over the same entry is DeleteFirst",
           REPLY(table_map(S_PDPT2, X86PDPTMap, S_PML4, v + (1ul << 30), 0), seL4_DeleteFirst));
    HCHECK("PD_Map succeeds; PAT (attr 4) is not used for tables",
           REPLY(table_map(S_PD, X86PageDirectoryMap, S_PML4, v, 4), seL4_NoError) &&
               entry_at(S_PML4, v, 1) == (table_paddr(S_PD) | PTE_P | PTE_W | PTE_U));
    HCHECK("the PD cap records the address rounded down to 1 GiB",
           cap_mapped_vaddr(kcap(S_PD)) == ROUND_DOWN(v, 30));
    HCHECK("PT_Map succeeds, rounded down to 2 MiB",
           REPLY(table_map(S_PT, X86PageTableMap, S_PML4, v, 1), seL4_NoError) &&
               entry_at(S_PML4, v, 2) == (table_paddr(S_PT) | PTE_P | PTE_W | PTE_U | PTE_PWT) &&
               cap_mapped_vaddr(kcap(S_PT)) == ROUND_DOWN(v, 21));
    new_table(S_PT2, cap_page_table);
    HCHECK("a second PT over the same PDE is DeleteFirst",
           REPLY(table_map(S_PT2, X86PageTableMap, S_PML4, v + 0x1000, 0), seL4_DeleteFirst));
    HCHECK("a PT elsewhere in the same PD maps",
           REPLY(table_map(S_PT2, X86PageTableMap, S_PML4, v + (2ul << 20), 0), seL4_NoError));
    HCHECK("the highest PT (0x7fffffe00000) maps after its PDPT and PD",
           REPLY(table_map(S_PDPT2, X86PDPTMap, S_PML4, 0x7ffffffff000ul, 0), seL4_NoError) &&
               cap_mapped_vaddr(kcap(S_PDPT2)) == 0x7f8000000000ul);
    HCHECK("invariants hold", kinvariants() == 0);
}

static void test_table_unmap(void)
{
    vm_world();
    const word_t v = 0x40000000ul;
    HCHECK("tables for 0x40000000 map", map_tables(v));
    new_frame(S_FRAME);
    HCHECK("a frame maps in the PT", REPLY(page_map(S_FRAME, S_PML4, v, RW, 0), seL4_NoError));
    HCHECK("Unmap of a mapped PT with a copy of its cap is RevokeFirst",
           REPLY(cn_copy(S_COPY, S_PT, 0xf), seL4_NoError) && REPLY(op(S_PT, X86PageTableUnmap), seL4_RevokeFirst));
    HCHECK("the copy of a mapped PT cap keeps its mapping",
           cap_mapped_asid(kcap(S_COPY)) == 1 && cap_mapped_vaddr(kcap(S_COPY)) == v);
    HCHECK("deleting the copy is not final: the PT stays mapped",
           REPLY(cn_delete(S_COPY), seL4_NoError) && entry_at(S_PML4, v, 2) != 0);
    fake_tlb.vspace_flushes = 0;
    uint64_t *pt = cap_ptr(kcap(S_PT));
    HCHECK("PT_Unmap of the final cap succeeds", REPLY(op(S_PT, X86PageTableUnmap), seL4_NoError));
    HCHECK("the PDE is cleared", entry_at(S_PML4, v, 2) == 0);
    bool zero = true;
    for (unsigned i = 0; i < 512; i++)
        zero = zero && pt[i] == 0;
    HCHECK("the page table's contents are zeroed", zero);
    HCHECK("the cap is unmapped", cap_mapped_asid(kcap(S_PT)) == 0);
    HCHECK("the address space's TLB is flushed", fake_tlb.vspace_flushes == 1 &&
                                                     fake_tlb.last_pml4 == table_paddr(S_PML4));
    pt[7] = 0x1234;
    HCHECK("Unmap of an unmapped PT succeeds and zeroes nothing",
           REPLY(op(S_PT, X86PageTableUnmap), seL4_NoError) && pt[7] == 0x1234);
    pt[7] = 0;
    HCHECK("the PT maps again at another address",
           REPLY(table_map(S_PT, X86PageTableMap, S_PML4, v + (4ul << 20), 0), seL4_NoError));
    HCHECK("the frame cap still says mapped; its Unmap finds another entry and succeeds",
           cap_mapped_asid(kcap(S_FRAME)) == 1 && REPLY(op(S_FRAME, X86PageUnmap), seL4_NoError) &&
               cap_mapped_asid(kcap(S_FRAME)) == 0);

    /* Unmapping a PD or PDPT zeroes it: what it held is gone. */
    uint64_t *pd = cap_ptr(kcap(S_PD));
    HCHECK("PD_Unmap succeeds and zeroes the PD (its PT entry is gone)",
           REPLY(op(S_PD, X86PageDirectoryUnmap), seL4_NoError) && pd[((v + (4ul << 20)) >> 21) & 511] == 0 &&
               entry_at(S_PML4, v, 1) == 0);
    HCHECK("PDPT_Unmap succeeds and clears the PML4 entry",
           REPLY(op(S_PDPT, X86PDPTUnmap), seL4_NoError) && entry_at(S_PML4, v, 0) == 0);
    HCHECK("an unknown label on a PT is IllegalOperation", REPLY(op(S_PT, X86PageDirectoryUnmap), seL4_IllegalOperation));
    HCHECK("any invocation of a PML4 is IllegalOperation", REPLY(op(S_PML4, X86PageMap), seL4_IllegalOperation) &&
                                                               REPLY(op(S_PML4, 0), seL4_IllegalOperation));
    HCHECK("invariants hold", kinvariants() == 0);
}

static void test_page_map_checks(void)
{
    vm_world();
    new_frame(S_FRAME);
    new_table(S_PML4B, cap_pml4);
    new_endpoint(S_EP);
    const word_t v = 0x10000000ul;
    const word_t mr[3] = { v, RW, 0 }, caps[1] = { S_PML4 };
    HCHECK("Page_Map with 2 MRs is TruncatedMessage", REPLY(kcall(S_FRAME, X86PageMap, 2, 1, caps, mr), seL4_TruncatedMessage));
    HCHECK("Page_Map without a cap is TruncatedMessage", REPLY(kcall(S_FRAME, X86PageMap, 3, 0, NULL, mr), seL4_TruncatedMessage));
    HCHECK("an endpoint as VSpace is InvalidCapability(1)", REPLY(page_map(S_FRAME, S_EP, v, RW, 0), seL4_InvalidCapability, 1));
    HCHECK("an unassigned PML4 is InvalidCapability(1)", REPLY(page_map(S_FRAME, S_PML4B, v, RW, 0), seL4_InvalidCapability, 1));
    HCHECK("vaddr above the user top is InvalidArgument(0)",
           REPLY(page_map(S_FRAME, S_PML4, 0x800000000000ul, RW, 0), seL4_InvalidArgument, 0));
    HCHECK("a 4 KiB page ending past the user top (0x7ffffffff000) is InvalidArgument(0)",
           REPLY(page_map(S_FRAME, S_PML4, 0x7ffffffff000ul, RW, 0), seL4_InvalidArgument, 0));
    HCHECK("0x7fffffffe000 passes the range check (then no PDPT: FailedLookup 39)",
           REPLY(page_map(S_FRAME, S_PML4, 0x7fffffffe000ul, RW, 0), seL4_FailedLookup, 0, seL4_MissingCapability, 39));
    HCHECK("a misaligned address with no tables is AlignmentError (alignment before the walk)",
           REPLY(page_map(S_FRAME, S_PML4, v + 0x10, RW, 0), seL4_AlignmentError));
    HCHECK("no PDPT is FailedLookup(dest, Missing, 39)",
           REPLY(page_map(S_FRAME, S_PML4, v, RW, 0), seL4_FailedLookup, 0, seL4_MissingCapability, 39));
    new_table(S_PDPT, cap_pdpt);
    table_map(S_PDPT, X86PDPTMap, S_PML4, v, 0);
    HCHECK("no PD is FailedLookup(dest, Missing, 30)",
           REPLY(page_map(S_FRAME, S_PML4, v, RW, 0), seL4_FailedLookup, 0, seL4_MissingCapability, 30));
    new_table(S_PD, cap_page_directory);
    table_map(S_PD, X86PageDirectoryMap, S_PML4, v, 0);
    HCHECK("no PT is FailedLookup(dest, Missing, 21)",
           REPLY(page_map(S_FRAME, S_PML4, v, RW, 0), seL4_FailedLookup, 0, seL4_MissingCapability, 21));
    new_table(S_PT, cap_page_table);
    table_map(S_PT, X86PageTableMap, S_PML4, v, 0);
    paddr_t f = cap_frame_paddr(kcap(S_FRAME));
    HCHECK("Page_Map RW succeeds: present, user, writable, no XD",
           REPLY(page_map(S_FRAME, S_PML4, v, RW, 0), seL4_NoError) &&
               entry_at(S_PML4, v, 3) == (f | PTE_P | PTE_U | PTE_W));
    HCHECK("the frame cap records (ASID 1, vaddr)", cap_mapped_asid(kcap(S_FRAME)) == 1 &&
                                                         cap_mapped_vaddr(kcap(S_FRAME)) == v);
    HCHECK("a first mapping asks for no TLB flush", fake_tlb.page_flushes == 0);

    /* Remapping: the same address space and address only. */
    HCHECK("a mapped frame at another address is InvalidArgument(0)",
           REPLY(page_map(S_FRAME, S_PML4, v + 0x1000, RW, 0), seL4_InvalidArgument, 0));
    HCHECK("a mapped frame with a kernel address is InvalidArgument(0) (no range check on a remap)",
           REPLY(page_map(S_FRAME, S_PML4, 0xffffff8000000000ul, RW, 0), seL4_InvalidArgument, 0));
    assign(S_POOL, S_PML4B);
    HCHECK("a mapped frame into another address space is InvalidCapability(1)",
           REPLY(page_map(S_FRAME, S_PML4B, v, RW, 0), seL4_InvalidCapability, 1));
    HCHECK("a remap at the same address with Read only succeeds: the entry loses W",
           REPLY(page_map(S_FRAME, S_PML4, v, RO, 0), seL4_NoError) && entry_at(S_PML4, v, 3) == (f | PTE_P | PTE_U));
    HCHECK("the remap flushes that page of that address space",
           fake_tlb.page_flushes == 1 && fake_tlb.last_vaddr == v && fake_tlb.last_pml4 == table_paddr(S_PML4));
    HCHECK("a remap changes the attributes too (3: PWT + PCD)",
           REPLY(page_map(S_FRAME, S_PML4, v, RW, 3), seL4_NoError) &&
               entry_at(S_PML4, v, 3) == (f | PTE_P | PTE_U | PTE_W | PTE_PWT | PTE_PCD));
    HCHECK("attribute 4 (write combining) sets the 4 KiB PAT bit",
           REPLY(page_map(S_FRAME, S_PML4, v, RW, 4), seL4_NoError) &&
               entry_at(S_PML4, v, 3) == (f | PTE_P | PTE_U | PTE_W | PTE_PAT_4K));
    HCHECK("Write without Read makes a kernel-only entry (present, writable, not user)",
           REPLY(page_map(S_FRAME, S_PML4, v, WO, 0), seL4_NoError) && entry_at(S_PML4, v, 3) == (f | PTE_P | PTE_W));
    HCHECK("no rights make a kernel-only entry too",
           REPLY(page_map(S_FRAME, S_PML4, v, 0, 0), seL4_NoError) && entry_at(S_PML4, v, 3) == (f | PTE_P | PTE_W));

    /* A read-only copy of the cap: RW requested gives RO. */
    HCHECK("a read-only copy (unmapped) maps read-only whatever is asked",
           REPLY(cn_copy(S_COPY, S_FRAME, RO), seL4_NoError) && cap_mapped_asid(kcap(S_COPY)) == 0 &&
               REPLY(page_map(S_COPY, S_PML4, v + 0x1000, RW, 0), seL4_NoError) &&
               entry_at(S_PML4, v + 0x1000, 3) == (f | PTE_P | PTE_U));

    /* A 4 KiB entry is overwritten silently; the old cap's Unmap then leaves it alone. */
    new_frame(S_FRAME2);
    paddr_t f2 = cap_frame_paddr(kcap(S_FRAME2));
    fake_tlb.page_flushes = 0;
    HCHECK("another frame over a present 4 KiB entry succeeds (no DeleteFirst)",
           REPLY(page_map(S_FRAME2, S_PML4, v, RW, 0), seL4_NoError) &&
               entry_at(S_PML4, v, 3) == (f2 | PTE_P | PTE_U | PTE_W));
    HCHECK("overwriting a present entry flushes that page", fake_tlb.page_flushes == 1 && fake_tlb.last_vaddr == v);
    HCHECK("Unmap of the overwritten frame leaves the new entry",
           REPLY(op(S_FRAME, X86PageUnmap), seL4_NoError) && entry_at(S_PML4, v, 3) == (f2 | PTE_P | PTE_U | PTE_W) &&
               cap_mapped_asid(kcap(S_FRAME)) == 0);
    fake_tlb.page_flushes = 0;
    HCHECK("Unmap of the frame in the entry clears it and flushes the page",
           REPLY(op(S_FRAME2, X86PageUnmap), seL4_NoError) && entry_at(S_PML4, v, 3) == 0 &&
               fake_tlb.page_flushes == 1 && fake_tlb.last_vaddr == v);
    HCHECK("Unmap of an unmapped frame succeeds", REPLY(op(S_FRAME2, X86PageUnmap), seL4_NoError));
    HCHECK("GetAddress returns the physical address in 1 MR",
           REPLY(op(S_FRAME2, X86PageGetAddress), seL4_NoError, f2));
    HCHECK("an unknown label on a frame is IllegalOperation", REPLY(op(S_FRAME2, X86PageTableMap), seL4_IllegalOperation));
    HCHECK("invariants hold", kinvariants() == 0);
}

static void test_large_and_huge(void)
{
    vm_world();
    forge_big_frames();
    const word_t v = 0x200000000ul; /* 8 GiB */
    paddr_t l = cap_frame_paddr(kcap(S_LARGE)), h = cap_frame_paddr(kcap(S_HUGE));
    HCHECK("a 2 MiB frame at a 4 KiB-aligned address is AlignmentError",
           REPLY(page_map(S_LARGE, S_PML4, v + 0x1000, RW, 0), seL4_AlignmentError));
    HCHECK("a 2 MiB frame ending past the user top is InvalidArgument(0)",
           REPLY(page_map(S_LARGE, S_PML4, 0x7fffffe00000ul, RW, 0), seL4_InvalidArgument, 0));
    HCHECK("a 2 MiB frame without a PDPT is FailedLookup(39)",
           REPLY(page_map(S_LARGE, S_PML4, v, RW, 0), seL4_FailedLookup, 0, seL4_MissingCapability, 39));
    new_table(S_PDPT, cap_pdpt);
    table_map(S_PDPT, X86PDPTMap, S_PML4, v, 0);
    HCHECK("a 2 MiB frame without a PD is FailedLookup(30)",
           REPLY(page_map(S_LARGE, S_PML4, v, RW, 0), seL4_FailedLookup, 0, seL4_MissingCapability, 30));
    new_table(S_PD, cap_page_directory);
    table_map(S_PD, X86PageDirectoryMap, S_PML4, v, 0);
    HCHECK("a 2 MiB frame maps: PS, user, writable; attr 4 sets the large PAT bit (12)",
           REPLY(page_map(S_LARGE, S_PML4, v, RW, 4), seL4_NoError) &&
               entry_at(S_PML4, v, 2) == (l | PTE_P | PTE_U | PTE_W | PTE_PS | PTE_PAT_LARGE));
    HCHECK("a 4 KiB frame under a 2 MiB page is FailedLookup(21)",
           (new_frame(S_FRAME), REPLY(page_map(S_FRAME, S_PML4, v + 0x3000, RW, 0), seL4_FailedLookup, 0,
                                      seL4_MissingCapability, 21)));
    new_table(S_PT, cap_page_table);
    HCHECK("a page table over a 2 MiB page is DeleteFirst",
           REPLY(table_map(S_PT, X86PageTableMap, S_PML4, v, 0), seL4_DeleteFirst));
    fake_tlb.page_flushes = 0;
    HCHECK("another 2 MiB frame over a 2 MiB page overwrites it (and flushes)",
           REPLY(page_map(S_LARGE2, S_PML4, v, RO, 0), seL4_NoError) &&
               entry_at(S_PML4, v, 2) == (cap_frame_paddr(kcap(S_LARGE2)) | PTE_P | PTE_U | PTE_PS) &&
               fake_tlb.page_flushes == 1);
    HCHECK("Unmap of the first leaves the second", REPLY(op(S_LARGE, X86PageUnmap), seL4_NoError) &&
                                                       entry_at(S_PML4, v, 2) != 0);
    HCHECK("Unmap of the second clears the PDE", REPLY(op(S_LARGE2, X86PageUnmap), seL4_NoError) &&
                                                      entry_at(S_PML4, v, 2) == 0);
    HCHECK("a page table maps there now", REPLY(table_map(S_PT, X86PageTableMap, S_PML4, v, 0), seL4_NoError));
    HCHECK("a 2 MiB frame over a page table is DeleteFirst", REPLY(page_map(S_LARGE, S_PML4, v, RW, 0), seL4_DeleteFirst));

    /* 1 GiB. */
    HCHECK("a 1 GiB frame at a 2 MiB-aligned address is AlignmentError",
           REPLY(page_map(S_HUGE, S_PML4, v + (2ul << 20), RW, 0), seL4_AlignmentError));
    HCHECK("a 1 GiB frame over a page directory is DeleteFirst", REPLY(page_map(S_HUGE, S_PML4, v, RW, 0), seL4_DeleteFirst));
    HCHECK("a 1 GiB frame without a PDPT is FailedLookup(39)",
           REPLY(page_map(S_HUGE, S_PML4, 0x100000000000ul, RW, 0), seL4_FailedLookup, 0, seL4_MissingCapability, 39));
    HCHECK("a 1 GiB frame maps in a free PDPT entry: PS, user, writable",
           REPLY(page_map(S_HUGE, S_PML4, v + (1ul << 30), RW, 2), seL4_NoError) &&
               entry_at(S_PML4, v + (1ul << 30), 1) == (h | PTE_P | PTE_U | PTE_W | PTE_PS | PTE_PCD));
    new_table(S_PD2, cap_page_directory);
    HCHECK("a PD over a 1 GiB page is DeleteFirst",
           REPLY(table_map(S_PD2, X86PageDirectoryMap, S_PML4, v + (1ul << 30), 0), seL4_DeleteFirst));
    HCHECK("a 4 KiB frame under a 1 GiB page is FailedLookup(30)",
           REPLY(page_map(S_FRAME, S_PML4, v + (1ul << 30), RW, 0), seL4_FailedLookup, 0, seL4_MissingCapability, 30));
    HCHECK("deleting the 1 GiB frame cap unmaps it",
           REPLY(cn_delete(S_HUGE), seL4_NoError) && entry_at(S_PML4, v + (1ul << 30), 1) == 0);
    cte_insert(kslot(S_DEVUT), kslot(S_HUGE), cap_frame_new(2ul << 30, frame_1g, VM_READ | VM_WRITE, true), true, false);
    cpu_features.huge_pages = false;
    HCHECK("without CPU support a 1 GiB map is IllegalOperation",
           REPLY(page_map(S_HUGE, S_PML4, v + (1ul << 30), RW, 0), seL4_IllegalOperation) &&
               entry_at(S_PML4, v + (1ul << 30), 1) == 0);
    HCHECK("... which comes after the alignment check",
           REPLY(page_map(S_HUGE, S_PML4, v + 0x1000, RW, 0), seL4_AlignmentError));
    HCHECK("2 MiB maps still work without 1 GiB support",
           REPLY(page_map(S_LARGE, S_PML4, v + (2ul << 20), RW, 0), seL4_NoError));
    cpu_features.huge_pages = true;
    HCHECK("invariants hold", kinvariants() == 0);
}

static void test_vspace_lookup(void)
{
    vm_world();
    new_frame(S_FRAME);
    new_table(S_PML4B, cap_pml4);
    assign(S_POOL, S_PML4B); /* ASID 2 */
    /* A forged PML4 cap claiming ASID 1, which names S_PML4, not this one. */
    cap_t forged = cap_set_mapping(kcap(S_PML4B), 1, 0);
    forge(S_SCRATCH, forged, NULL);
    HCHECK("a PML4 cap whose ASID names another PML4 is InvalidCapability(1) for Page_Map",
           REPLY(page_map(S_FRAME, S_SCRATCH, 0x1000, RW, 0), seL4_InvalidCapability, 1));
    new_table(S_PT, cap_page_table);
    HCHECK("... and for PageTable_Map", REPLY(table_map(S_PT, X86PageTableMap, S_SCRATCH, 0x1000, 0), seL4_InvalidCapability, 1));
    cte_remove(kslot(S_SCRATCH));
    HCHECK("the second PML4 got ASID 2", cap_mapped_asid(kcap(S_PML4B)) == 2);

    /* Deleting the pool: every ASID in it names nothing. */
    fake_tlb.leaves = 0;
    HCHECK("deleting the pool cap succeeds", REPLY(cn_delete(S_POOL), seL4_NoError));
    HCHECK("each address space of the pool is left if loaded", fake_tlb.leaves == 2);
    HCHECK("ASIDs 1 and 2 name nothing", asid_find_vspace(1) == NULL && asid_find_vspace(2) == NULL);
    HCHECK("Page_Map into a PML4 of the deleted pool is FailedLookup(dest, InvalidRoot)",
           REPLY(page_map(S_FRAME, S_PML4, 0x1000, RW, 0), seL4_FailedLookup, 0, seL4_InvalidRoot));
    HCHECK("... checked after the address range (a high address is InvalidArgument(0))",
           REPLY(page_map(S_FRAME, S_PML4, 0x800000000000ul, RW, 0), seL4_InvalidArgument, 0));
    HCHECK("... and before the alignment",
           REPLY(page_map(S_FRAME, S_PML4, 0x1001, RW, 0), seL4_FailedLookup, 0, seL4_InvalidRoot));
    HCHECK("PageTable_Map into it is FailedLookup(dest, InvalidRoot)",
           REPLY(table_map(S_PT, X86PageTableMap, S_PML4, 0x1000, 0), seL4_FailedLookup, 0, seL4_InvalidRoot));
    HCHECK("a new pool gets index 0 again; the old PML4 caps still name nothing",
           (new_untyped(S_POOLUT + 40, 12), REPLY(make_pool(S_POOLUT + 40, S_POOL), seL4_NoError)) &&
               cap_asid_pool_index(kcap(S_POOL)) == 0 &&
               REPLY(page_map(S_FRAME, S_PML4, 0x1000, RW, 0), seL4_FailedLookup, 0, seL4_InvalidRoot));
    HCHECK("invariants hold", kinvariants() == 0);
}

static void test_delete_unmaps(void)
{
    vm_world();
    const word_t v = 0x7000000000ul;
    HCHECK("tables map", map_tables(v));
    new_frame(S_FRAME);
    page_map(S_FRAME, S_PML4, v, RW, 0);
    HCHECK("a derived copy of a mapped frame cap is unmapped",
           REPLY(cn_copy(S_COPY, S_FRAME, RW), seL4_NoError) && cap_mapped_asid(kcap(S_COPY)) == 0);
    HCHECK("the copy maps at a second address", REPLY(page_map(S_COPY, S_PML4, v + 0x1000, RW, 0), seL4_NoError));
    fake_tlb.page_flushes = 0;
    HCHECK("deleting the copy (not final) removes only its own mapping",
           REPLY(cn_delete(S_COPY), seL4_NoError) && entry_at(S_PML4, v + 0x1000, 3) == 0 &&
               entry_at(S_PML4, v, 3) != 0 && fake_tlb.page_flushes == 1 && fake_tlb.last_vaddr == v + 0x1000);
    HCHECK("deleting the frame cap clears its entry", REPLY(cn_delete(S_FRAME), seL4_NoError) && entry_at(S_PML4, v, 3) == 0);
    new_frame(S_FRAME);
    page_map(S_FRAME, S_PML4, v, RW, 0);
    uint64_t *pt = cap_ptr(kcap(S_PT));
    fake_tlb.vspace_flushes = 0;
    HCHECK("deleting the PT cap clears the PDE and flushes the address space",
           REPLY(cn_delete(S_PT), seL4_NoError) && entry_at(S_PML4, v, 2) == 0 && fake_tlb.vspace_flushes == 1);
    HCHECK("... but does not zero the table", pt[(v >> 12) & 511] != 0);
    HCHECK("deleting the frame cap afterwards finds no entry and succeeds", REPLY(cn_delete(S_FRAME), seL4_NoError));
    fake_tlb.leaves = 0;
    HCHECK("deleting the PML4 frees ASID 1 and leaves the address space",
           REPLY(cn_delete(S_PML4), seL4_NoError) && asid_find_vspace(1) == NULL && fake_tlb.leaves == 1);
    HCHECK("deleting the PD and PDPT caps of the dead address space succeeds",
           REPLY(cn_delete(S_PD), seL4_NoError) && REPLY(cn_delete(S_PDPT), seL4_NoError));
    new_table(S_PML4B, cap_pml4);
    HCHECK("the next Assign hands out ASID 1 again",
           REPLY(assign(S_POOL, S_PML4B), seL4_NoError) && cap_mapped_asid(kcap(S_PML4B)) == 1);
    HCHECK("invariants hold", kinvariants() == 0);
}

static void test_asid_control(void)
{
    kenv_init();
    asid_forget_all();
    forge(S_ASIDCTL, cap_make(cap_asid_control, 0, 0), NULL);
    new_untyped(S_POOLUT, 12);
    new_endpoint(S_EP);
    const word_t mr[2] = { S_POOL, 64 }, caps[2] = { S_POOLUT, KS_CNODE };
    HCHECK("a wrong label is IllegalOperation",
           REPLY(kcall(S_ASIDCTL, X86ASIDPoolAssign, 2, 2, caps, mr), seL4_IllegalOperation));
    HCHECK("1 MR is TruncatedMessage", REPLY(kcall(S_ASIDCTL, X86ASIDControlMakePool, 1, 2, caps, mr), seL4_TruncatedMessage));
    HCHECK("1 cap is TruncatedMessage", REPLY(kcall(S_ASIDCTL, X86ASIDControlMakePool, 2, 1, caps, mr), seL4_TruncatedMessage));
    HCHECK("an endpoint instead of the untyped is InvalidCapability(1)",
           REPLY(make_pool(S_EP, S_POOL), seL4_InvalidCapability, 1));
    new_untyped(S_SCRATCH, 13);
    HCHECK("an untyped of 13 bits is InvalidCapability(1)", REPLY(make_pool(S_SCRATCH, S_POOL), seL4_InvalidCapability, 1));
    forge(S_SCRATCH + 1, cap_untyped_new(1ul << 32, 12, true, 0), NULL);
    HCHECK("a device untyped of 12 bits is InvalidCapability(1)",
           REPLY(make_pool(S_SCRATCH + 1, S_POOL), seL4_InvalidCapability, 1));
    new_untyped(S_SCRATCH + 2, 12);
    cte_insert(kslot(S_SCRATCH + 2), kslot(S_SCRATCH + 3),
               cap_endpoint_new(paddr_to_kptr(cap_untyped_paddr(kcap(S_SCRATCH + 2))), 0, 0xf), true, false);
    kslot(S_SCRATCH + 2)->cap = cap_untyped_new(cap_untyped_paddr(kcap(S_SCRATCH + 2)), 12, false, 16);
    HCHECK("an untyped with children is RevokeFirst", REPLY(make_pool(S_SCRATCH + 2, S_POOL), seL4_RevokeFirst));
    const word_t bad_root[2] = { S_POOLUT, S_EP };
    HCHECK("a destination root that is no CNode is FailedLookup(dest, InvalidRoot)",
           REPLY(kcall(S_ASIDCTL, X86ASIDControlMakePool, 2, 2, bad_root, mr), seL4_FailedLookup, 0, seL4_InvalidRoot));
    const word_t depth0[2] = { S_POOL, 0 };
    HCHECK("destination depth 0 is RangeError(1, 64)",
           REPLY(kcall(S_ASIDCTL, X86ASIDControlMakePool, 2, 2, caps, depth0), seL4_RangeError, 1, 64));
    HCHECK("an occupied destination is DeleteFirst", REPLY(make_pool(S_POOLUT, S_EP), seL4_DeleteFirst));

    memset(paddr_to_kptr(cap_untyped_paddr(kcap(S_POOLUT))), 0x5a, 4096);
    HCHECK("MakePool succeeds", REPLY(make_pool(S_POOLUT, S_POOL), seL4_NoError));
    struct asid_pool *pool = cap_ptr(kcap(S_POOL));
    bool zero = true;
    for (unsigned i = 0; i < ASIDS_PER_POOL; i++)
        zero = zero && pool->pml4[i] == NULL;
    HCHECK("the pool is the untyped's page, zeroed",
           kptr_to_paddr(pool) == cap_untyped_paddr(kcap(S_POOLUT)) && zero);
    HCHECK("the untyped is marked full", cap_untyped_free_offset(kcap(S_POOLUT)) == 4096);
    HCHECK("the pool cap is the untyped's MDB child, not revocable",
           mdb_next(kslot(S_POOLUT)) == kslot(S_POOL) && is_mdb_parent_of(kslot(S_POOLUT), kslot(S_POOL)) &&
               !mdb_revocable(kslot(S_POOL)));
    HCHECK("the first pool is index 0", cap_asid_pool_index(kcap(S_POOL)) == 0);
    HCHECK("MakePool again from the same untyped is RevokeFirst", REPLY(make_pool(S_POOLUT, S_SCRATCH + 10), seL4_RevokeFirst));
    for (unsigned i = 1; i < NUM_ASID_POOLS; i++) {
        new_untyped(S_SCRATCH + 10 + 2 * i, 12);
        if (make_pool(S_SCRATCH + 10 + 2 * i, S_SCRATCH + 11 + 2 * i) != seL4_NoError ||
            cap_asid_pool_index(kcap(S_SCRATCH + 11 + 2 * i)) != i)
            HCHECK("pools 1..7 are made in index order", false);
    }
    new_untyped(S_SCRATCH + 40, 12);
    HCHECK("a 9th pool is DeleteFirst, before the untyped is looked at",
           REPLY(make_pool(S_SCRATCH + 40, S_SCRATCH + 41), seL4_DeleteFirst) &&
               REPLY(make_pool(S_EP, S_SCRATCH + 41), seL4_DeleteFirst));
    HCHECK("revoking pool 3's untyped deletes the pool", REPLY(cn_revoke(S_SCRATCH + 16), seL4_NoError) &&
                                                             cap_is_null(kcap(S_SCRATCH + 17)));
    HCHECK("the next pool takes the free index 3",
           REPLY(make_pool(S_SCRATCH + 40, S_SCRATCH + 41), seL4_NoError) &&
               cap_asid_pool_index(kcap(S_SCRATCH + 41)) == 3);
    HCHECK("invariants hold", kinvariants() == 0);
}

static void test_asid_pool(void)
{
    vm_world(); /* pool 0 in S_POOL, S_PML4 has ASID 1 */
    new_endpoint(S_EP);
    new_table(S_PML4B, cap_pml4);
    const word_t caps[1] = { S_PML4B };
    HCHECK("ASID 0 is never handed out: the first PML4 of pool 0 got ASID 1", cap_mapped_asid(kcap(S_PML4)) == 1);
    HCHECK("a wrong label is IllegalOperation", REPLY(kcall(S_POOL, X86ASIDControlMakePool, 0, 1, caps, NULL),
                                                      seL4_IllegalOperation));
    HCHECK("no cap is TruncatedMessage", REPLY(kcall(S_POOL, X86ASIDPoolAssign, 0, 0, NULL, NULL), seL4_TruncatedMessage));
    HCHECK("an endpoint is InvalidCapability(1)", REPLY(assign(S_POOL, S_EP), seL4_InvalidCapability, 1));
    HCHECK("an assigned PML4 is InvalidCapability(1)", REPLY(assign(S_POOL, S_PML4), seL4_InvalidCapability, 1));
    /* A pool cap for an index with no pool, and one whose index holds another pool. */
    new_frame(S_SCRATCH);
    forge(S_SCRATCH + 1, cap_asid_pool_new(paddr_to_kptr(cap_frame_paddr(kcap(S_SCRATCH))), 5), NULL);
    HCHECK("a pool cap for an unregistered index is FailedLookup(dest, InvalidRoot)",
           REPLY(assign(S_SCRATCH + 1, S_PML4B), seL4_FailedLookup, 0, seL4_InvalidRoot));
    forge(S_SCRATCH + 2, cap_asid_pool_new(paddr_to_kptr(cap_frame_paddr(kcap(S_SCRATCH))), 0), NULL);
    HCHECK("a pool cap whose index holds another pool is InvalidCapability(0)",
           REPLY(assign(S_SCRATCH + 2, S_PML4B), seL4_InvalidCapability, 0));
    HCHECK("... and an assigned PML4 is refused before the pool is looked at",
           REPLY(assign(S_SCRATCH + 1, S_PML4), seL4_InvalidCapability, 1));
    cte_remove(kslot(S_SCRATCH + 1));
    cte_remove(kslot(S_SCRATCH + 2));

    HCHECK("Assign succeeds and updates the cap in its slot",
           REPLY(assign(S_POOL, S_PML4B), seL4_NoError) && cap_mapped_asid(kcap(S_PML4B)) == 2 &&
               asid_find_vspace(2) == cap_ptr(kcap(S_PML4B)));
    /* Fill pool 0: ASIDs 3..511, 509 more PML4s kept in a CNode of their own. */
    bool ok = true;
    unsigned radix = 9;
    new_cnode(S_SCRATCH + 3, radix);
    cte_t *cn = cap_cnode_slots(kcap(S_SCRATCH + 3));
    for (unsigned i = 0; i < 509 && ok; i++) {
        new_table(S_SCRATCH + 4, cap_pml4);
        ok = REPLY(assign(S_POOL, S_SCRATCH + 4), seL4_NoError) && cap_mapped_asid(kcap(S_SCRATCH + 4)) == 3 + i;
        cte_move(kslot(S_SCRATCH + 4), &cn[i], kcap(S_SCRATCH + 4));
    }
    HCHECK("ASIDs 3..511 are handed out in order", ok);
    new_table(S_SCRATCH + 4, cap_pml4);
    HCHECK("a full pool is DeleteFirst", REPLY(assign(S_POOL, S_SCRATCH + 4), seL4_DeleteFirst));
    HCHECK("deleting the PML4 with ASID 100 frees it for the next Assign",
           (cte_move(&cn[97], kslot(S_SCRATCH + 5), cn[97].cap), REPLY(cn_delete(S_SCRATCH + 5), seL4_NoError)) &&
               REPLY(assign(S_POOL, S_SCRATCH + 4), seL4_NoError) && cap_mapped_asid(kcap(S_SCRATCH + 4)) == 100);
    HCHECK("invariants hold", kinvariants() == 0);
}

/* Step 6 of the invariant checker: what address spaces map must be live. */
static void test_invariants_walk(void)
{
    vm_world();
    const word_t v = 0x40000000ul;
    HCHECK("tables map", map_tables(v));
    new_frame(S_FRAME);
    page_map(S_FRAME, S_PML4, v, RW, 0);
    HCHECK("a mapped frame and its tables are live: no violation", kinvariants() == 0);
    uint64_t *pt = cap_ptr(kcap(S_PT));
    pt[5] = (cap_frame_paddr(kcap(S_FRAME)) + 0x1000) | PTE_P | PTE_U; /* no frame object there */
    HCHECK("an entry to memory that is no frame is one violation", kinvariants() == 1);
    pt[5] = 0;
    uint64_t *pd = cap_ptr(kcap(S_PD));
    pd[7] = table_paddr(S_PML4) | PTE_P | PTE_U; /* a PML4 is no page table */
    HCHECK("a PD entry to an object that is no page table is one violation", kinvariants() == 1);
    pd[7] = 0;
    /* A frame whose last cap goes without unmapping (as a bug would): a dangling entry. */
    cte_remove(kslot(S_FRAME));
    HCHECK("an entry to a frame with no cap left is one violation", kinvariants() == 1);
    pt[(v >> 12) & 511] = 0;
    HCHECK("none once it is gone", kinvariants() == 0);
}

int main(void)
{
    fake_quiet = false;
    test_table_map_checks();
    test_table_unmap();
    test_page_map_checks();
    test_large_and_huge();
    test_vspace_lookup();
    test_delete_unmaps();
    test_asid_control();
    test_asid_pool();
    test_invariants_walk();
    return host_failures != 0;
}
