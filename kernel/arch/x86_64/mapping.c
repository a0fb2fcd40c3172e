/*
 * Invocations of frames and paging structures on x86_64 (abi §5.9, §12.3): PDPT, page
 * directory and page table Map/Unmap; frame Map (with rights and attributes, or a remap at
 * the same address), Unmap and GetAddress. PML4 caps take no invocation; ASID control and
 * pools are asid.c's. Every check comes in seL4's order with seL4's error and detail, and
 * prints its userError line; nothing changes until all checks passed.
 *
 * A table or frame cap records its one mapping as (ASID, vaddr), ASID 0 meaning unmapped
 * (cap.h). Mapping something into a PML4 needs the PML4 cap to be assigned an ASID that still
 * names it (a deleted pool leaves PML4 caps with ASIDs that name nothing).
 */
#include "arch.h"
#include "invocation.h"
#include "kstring.h"
#include "vspace.h"
#include "x86_internal.h"
#include "x86.h"

/* A PML4 cap that has been assigned an ASID (seL4's "valid native root"). */
static bool is_assigned_pml4(cap_t c) { return cap_get_type(c) == cap_pml4 && cap_mapped_asid(c); }

/* The PML4 an assigned PML4 cap's ASID names: it must be this cap's. */
static exception_t find_vspace(struct invocation *inv, const char *who, cap_t vspace, uint64_t **pml4)
{
    word_t asid = cap_mapped_asid(vspace);
    *pml4 = asid_find_vspace(asid);
    if (!*pml4) {
        user_error("%s: ASID %lu of the VSpace cap names no address space (its pool was deleted).", who, asid);
        struct lookup_fault lf = { .type = seL4_InvalidRoot };
        return err_failed_lookup(inv, false, &lf);
    }
    if (*pml4 != cap_ptr(vspace)) {
        user_error("%s: ASID %lu names another address space than the VSpace cap's.", who, asid);
        return err_invalid_capability(inv, 1);
    }
    return EXCEPTION_NONE;
}

/* No table at the level above: FailedLookup with the level in bits_left. Deliberately
 * silent, as in seL4: vspace libraries map first and create the missing table on this
 * error (seL4_MappingFailedLookupLevel), so it is the normal protocol, not a mistake. */
static exception_t missing_table(struct invocation *inv, word_t bits_left)
{
    struct lookup_fault lf = { .type = seL4_MissingCapability, .bits_left = bits_left };
    return err_failed_lookup(inv, false, &lf);
}

/* ---- PDPT, page directory, page table ---- */

struct table_kind {
    unsigned level; /* the level the table is: its entry lives one level up */
    word_t map, unmap;
    const char *map_name, *unmap_name;
};

static const struct table_kind *table_kind(enum cap_type t)
{
    static const struct table_kind pdpt = { LEVEL_PDPT, X86PDPTMap, X86PDPTUnmap, "PDPT_Map", "PDPT_Unmap" };
    static const struct table_kind pd = { LEVEL_PD, X86PageDirectoryMap, X86PageDirectoryUnmap,
                                          "PageDirectory_Map", "PageDirectory_Unmap" };
    static const struct table_kind pt = { LEVEL_PT, X86PageTableMap, X86PageTableUnmap, "PageTable_Map",
                                          "PageTable_Unmap" };
    return t == cap_pdpt ? &pdpt : t == cap_page_directory ? &pd : &pt;
}

static exception_t decode_table(struct invocation *inv)
{
    cap_t c = inv->cap;
    const struct table_kind *k = table_kind(cap_get_type(c));
    paddr_t table = kptr_to_paddr(cap_ptr(c));

    if (inv->label == k->unmap) {
        if (!is_final_cap(inv->slot)) {
            user_error("%s: other caps to this table exist; revoke them first.", k->unmap_name);
            return seL4_RevokeFirst;
        }
        if (cap_mapped_asid(c)) { /* an explicit Unmap empties the table (a delete does not) */
            vspace_unmap_table(cap_get_type(c), cap_mapped_asid(c), cap_mapped_vaddr(c), table);
            memset(cap_ptr(c), 0, BIT(seL4_PageTableBits));
        }
        inv->slot->cap = cap_set_mapping(c, 0, 0);
        return EXCEPTION_NONE;
    }
    if (inv->label != k->map) {
        user_error("%s: illegal operation (label %lu).", k->map_name, inv->label);
        return seL4_IllegalOperation;
    }
    cte_t *vslot = inv_extra_cap(inv, 0);
    if (inv->length < 2 || !vslot) {
        user_error("%s: truncated message (needs 2 words and the VSpace cap).", k->map_name);
        return seL4_TruncatedMessage;
    }
    if (cap_mapped_asid(c)) {
        user_error("%s: the table is already mapped (at 0x%lx).", k->map_name, cap_mapped_vaddr(c));
        return err_invalid_capability(inv, 0);
    }
    unsigned parent = k->level - 1;
    vaddr_t vaddr = ROUND_DOWN(inv_mr(inv, 0), level_shift(parent));
    word_t attr = inv_mr(inv, 1);
    cap_t vspace = vslot->cap;
    if (!is_assigned_pml4(vspace)) {
        user_error("%s: the VSpace cap must be a PML4 assigned to an ASID (it is %s).", k->map_name,
                   cap_type_name(cap_get_type(vspace)));
        return err_invalid_capability(inv, 1);
    }
    if (vaddr > USER_TOP) {
        user_error("%s: address 0x%lx is above the user range (top 0x%llx).", k->map_name, vaddr, USER_TOP);
        return err_invalid_argument(inv, 0);
    }
    uint64_t *pml4;
    exception_t e = find_vspace(inv, k->map_name, vspace, &pml4);
    if (e != EXCEPTION_NONE)
        return e;
    word_t bits_left;
    uint64_t *entry = vspace_lookup_entry(pml4, vaddr, parent, &bits_left);
    if (!entry)
        return missing_table(inv, bits_left);
    if (*entry & PTE_P) {
        user_error("%s: something is already mapped at 0x%lx (%s); unmap it first.", k->map_name, vaddr,
                   *entry & PTE_PS ? "a large page" : "a table");
        return seL4_DeleteFirst;
    }

    vspace_write_entry(pml4, entry, vspace_table_entry(table, attr), vaddr);
    inv->slot->cap = cap_set_mapping(c, cap_mapped_asid(vspace), vaddr);
    return EXCEPTION_NONE;
}

/* ---- frames ---- */

static exception_t frame_map(struct invocation *inv)
{
    cap_t frame = inv->cap;
    cte_t *vslot = inv_extra_cap(inv, 0);
    if (inv->length < 3 || !vslot) {
        user_error("Page_Map: truncated message (needs 3 words and the VSpace cap).");
        return seL4_TruncatedMessage;
    }
    unsigned bits = cap_frame_size_bits(frame);
    vaddr_t vaddr = inv_mr(inv, 0);
    word_t rights = inv_mr(inv, 1), attr = inv_mr(inv, 2);
    cap_t vspace = vslot->cap;
    if (!is_assigned_pml4(vspace)) {
        user_error("Page_Map: the VSpace cap must be a PML4 assigned to an ASID (it is %s).",
                   cap_type_name(cap_get_type(vspace)));
        return err_invalid_capability(inv, 1);
    }
    word_t asid = cap_mapped_asid(vspace);
    if (cap_mapped_asid(frame)) { /* a remap: same address space, same address */
        if (cap_mapped_asid(frame) != asid) {
            user_error("Page_Map: the frame cap is mapped in another address space; use a copy of the cap.");
            return err_invalid_capability(inv, 1);
        }
        if (cap_mapped_vaddr(frame) != vaddr) {
            user_error("Page_Map: the frame cap is mapped at 0x%lx, not 0x%lx; use a copy of the cap.",
                       cap_mapped_vaddr(frame), vaddr);
            return err_invalid_argument(inv, 0);
        }
    } else if (vaddr > USER_TOP || vaddr + BIT(bits) > USER_TOP) {
        user_error("Page_Map: 0x%lx..0x%lx is not all below the user top 0x%llx.", vaddr, (word_t)(vaddr + BIT(bits) - 1),
                   USER_TOP);
        return err_invalid_argument(inv, 0);
    }
    uint64_t *pml4;
    exception_t e = find_vspace(inv, "Page_Map", vspace, &pml4);
    if (e != EXCEPTION_NONE)
        return e;
    unsigned vm = mask_vm_rights(cap_frame_vm_rights(frame), rights);
    if (!IS_ALIGNED(vaddr, bits)) {
        user_error("Page_Map: address 0x%lx is not aligned to the frame size (2^%u).", vaddr, bits);
        return seL4_AlignmentError;
    }
    unsigned level = bits == seL4_PageBits ? LEVEL_PT : bits == seL4_LargePageBits ? LEVEL_PD : LEVEL_PDPT;
    if (level == LEVEL_PDPT && !cpu_features.huge_pages) {
        user_error("Page_Map: this CPU has no 1 GiB pages (CPUID pdpe1gb), so 1 GiB frames cannot be mapped.");
        return seL4_IllegalOperation;
    }
    word_t bits_left;
    uint64_t *entry = vspace_lookup_entry(pml4, vaddr, level, &bits_left);
    if (!entry)
        return missing_table(inv, bits_left);
    /* A 4 KiB entry is overwritten whatever it held; a large one only if it is a page. */
    if (level != LEVEL_PT && (*entry & PTE_P) && !(*entry & PTE_PS)) {
        user_error("Page_Map: a %s is mapped at 0x%lx; unmap it first.",
                   level == LEVEL_PD ? "page table" : "page directory", vaddr);
        return seL4_DeleteFirst;
    }

    vspace_write_entry(pml4, entry, vspace_frame_entry(cap_frame_paddr(frame), bits, vm, attr), vaddr);
    inv->slot->cap = cap_set_mapping(frame, asid, vaddr);
    return EXCEPTION_NONE;
}

static exception_t decode_frame(struct invocation *inv)
{
    cap_t frame = inv->cap;
    switch (inv->label) {
    case X86PageMap:
        return frame_map(inv);
    case X86PageUnmap: /* always succeeds; the entry goes only if it still maps this frame */
        if (cap_mapped_asid(frame))
            vspace_unmap_frame(cap_mapped_asid(frame), cap_mapped_vaddr(frame), cap_frame_paddr(frame),
                               cap_frame_size_bits(frame));
        inv->slot->cap = cap_set_mapping(frame, 0, 0);
        return EXCEPTION_NONE;
    case X86PageGetAddress:
        inv_reply_mr(inv, 0, cap_frame_paddr(frame));
        inv->reply_length = 1;
        return EXCEPTION_NONE;
    default:
        user_error("Page: illegal operation (label %lu).", inv->label);
        return seL4_IllegalOperation;
    }
}

/* ---- dispatch (invocation.c) ---- */

bool mmu_cap_type_invocable(enum cap_type t)
{
    switch (t) {
    case cap_frame:
    case cap_page_table:
    case cap_page_directory:
    case cap_pdpt:
    case cap_pml4:
    case cap_asid_control:
    case cap_asid_pool:
        return true;
    default:
        return false;
    }
}

exception_t decode_mmu_invocation(struct invocation *inv)
{
    switch (cap_get_type(inv->cap)) {
    case cap_frame:
        return decode_frame(inv);
    case cap_page_table:
    case cap_page_directory:
    case cap_pdpt:
        return decode_table(inv);
    case cap_asid_control:
    case cap_asid_pool:
        return decode_asid_invocation(inv);
    default: /* PML4 */
        user_error("PML4: illegal operation (label %lu): a PML4 cap has no invocations.", inv->label);
        return seL4_IllegalOperation;
    }
}
