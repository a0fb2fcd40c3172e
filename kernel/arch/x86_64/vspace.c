/*
 * User address spaces: walking a PML4's tables, making and writing entries, and undoing a
 * mapping when its cap is unmapped or deleted. Pure memory work (plus the TLB hooks of
 * paging.c), so host tests run it over fake physical memory.
 */
#include "arch.h"
#include "vspace.h"
#include "x86_internal.h"

uint64_t *vspace_lookup_entry(uint64_t *pml4, vaddr_t v, unsigned level, word_t *bits_left)
{
    uint64_t *table = pml4;
    for (unsigned l = LEVEL_PML4; l < level; l++) {
        uint64_t e = table[level_index(v, l)];
        if (!(e & PTE_P) || (l > LEVEL_PML4 && (e & PTE_PS))) {
            *bits_left = level_shift(l); /* the table at level l + 1 is missing */
            return NULL;
        }
        table = paddr_to_kptr(e & PTE_ADDR_MASK);
    }
    return &table[level_index(v, level)];
}

/* seL4_X86_VMAttributes bits: 1 write-through, 2 cache disabled, 4 PAT (frames only). */
static uint64_t cache_bits(word_t attr) { return (attr & 1 ? PTE_PWT : 0) | (attr & 2 ? PTE_PCD : 0); }

uint64_t vspace_table_entry(paddr_t table, word_t attr)
{
    return table | PTE_P | PTE_W | PTE_U | cache_bits(attr);
}

uint64_t vspace_frame_entry(paddr_t frame, unsigned size_bits, unsigned vm_rights, word_t attr)
{
    uint64_t e = frame | PTE_P | cache_bits(attr);
    if (size_bits > seL4_PageBits)
        e |= PTE_PS | (attr & 4 ? PTE_PAT_LARGE : 0);
    else
        e |= attr & 4 ? PTE_PAT_4K : 0;
    if (vm_rights & VM_READ)
        e |= PTE_U | (vm_rights & VM_WRITE ? PTE_W : 0);
    else
        e |= PTE_W; /* kernel-only, as seL4 makes it: present, writable, not user */
    return e;
}

void vspace_write_entry(uint64_t *pml4, uint64_t *entry, uint64_t value, vaddr_t v)
{
    uint64_t old = *entry;
    *entry = value;
    if (old & PTE_P)
        tlb_flush_page(kptr_to_paddr(pml4), v);
}

/* ---- undoing mappings (Unmap invocations, and cap.c when a cap is deleted) ---- */

static unsigned frame_level(unsigned size_bits)
{
    return size_bits == seL4_PageBits ? LEVEL_PT : size_bits == seL4_LargePageBits ? LEVEL_PD : LEVEL_PDPT;
}

void vspace_unmap_frame(word_t asid, vaddr_t vaddr, paddr_t frame, unsigned size_bits)
{
    uint64_t *pml4 = asid_find_vspace(asid);
    unsigned level = frame_level(size_bits);
    word_t bits;
    uint64_t *e = pml4 ? vspace_lookup_entry(pml4, vaddr, level, &bits) : NULL;
    if (!e || !(*e & PTE_P) || (level < LEVEL_PT && !(*e & PTE_PS)))
        return;
    if ((*e & PTE_ADDR_MASK & ~MASK(size_bits)) != frame)
        return; /* the entry now maps something else */
    *e = 0;
    tlb_flush_page(kptr_to_paddr(pml4), vaddr);
}

void vspace_unmap_table(enum cap_type type, word_t asid, vaddr_t vaddr, paddr_t table)
{
    uint64_t *pml4 = asid_find_vspace(asid);
    unsigned level = type == cap_pdpt ? LEVEL_PML4 : type == cap_page_directory ? LEVEL_PDPT : LEVEL_PD;
    word_t bits;
    uint64_t *e = pml4 ? vspace_lookup_entry(pml4, vaddr, level, &bits) : NULL;
    if (!e || !(*e & PTE_P) || (*e & PTE_PS) || (*e & PTE_ADDR_MASK) != table)
        return;
    *e = 0;
    tlb_flush_vspace(kptr_to_paddr(pml4)); /* every translation through the table */
}
