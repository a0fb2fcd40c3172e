/*
 * User address spaces: walking a PML4's tables, making and writing entries, and undoing a
 * mapping when its cap is unmapped or deleted. Pure memory work (plus the TLB hooks of
 * paging.c), so host tests run it over fake physical memory.
 */
#include "arch.h"
#include "vspace.h"
#include "x86_internal.h"
#include "invariants.h"

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

/* ---- the invariant checker's step 6 (invariants.h) ----
 * Every pool in the ASID table is a live pool, every PML4 in a pool a live PML4, and every
 * present entry in the user half of those PML4s leads to a live table of the next level or a
 * live frame of the entry's size: nothing a thread can reach through its address space is
 * memory the kernel may have given to something else. (A dead address space that no ASID
 * names may still hold stale entries: no thread can run in it.) */
static const enum cap_type table_type[4] = { cap_pml4, cap_pdpt, cap_page_directory, cap_page_table };

static void check_table(word_t asid, const uint64_t *table, unsigned level, vaddr_t base)
{
    unsigned n = level == LEVEL_PML4 ? 256 : 512; /* the PML4's upper half is the kernel's */
    for (unsigned i = 0; i < n; i++) {
        uint64_t e = table[i];
        if (!(e & PTE_P))
            continue;
        vaddr_t v = base + ((vaddr_t)i << level_shift(level));
        if (level == LEVEL_PT || (level > LEVEL_PML4 && (e & PTE_PS))) {
            unsigned bits = level_shift(level);
            paddr_t frame = e & PTE_ADDR_MASK & ~MASK(bits);
            if (!invariants_object_live(cap_frame, frame, bits))
                invariants_violation("ASID %lu maps 0x%lx to 0x%lx, which is no live frame of 2^%u bytes", asid, v,
                                     frame, bits);
            continue;
        }
        paddr_t next = e & PTE_ADDR_MASK;
        if (!invariants_object_live(table_type[level + 1], next, seL4_PageTableBits)) {
            invariants_violation("ASID %lu: the entry for 0x%lx at level %u leads to 0x%lx, which is no live %s", asid,
                                 v, level, next, cap_type_name(table_type[level + 1]));
            continue;
        }
        check_table(asid, paddr_to_kptr(next), level + 1, v);
    }
}

void arch_check_invariants(void)
{
    check_thread_invariants();
    for (unsigned p = 0; p < NUM_ASID_POOLS; p++) {
        struct asid_pool *pool = asid_pool_at(p);
        if (!pool)
            continue;
        if (!invariants_object_live(cap_asid_pool, kptr_to_paddr(pool), seL4_ASIDPoolBits)) {
            invariants_violation("ASID pool %u at 0x%lx is no live pool", p, kptr_to_paddr(pool));
            continue;
        }
        for (unsigned i = 0; i < ASIDS_PER_POOL; i++) {
            word_t asid = (word_t)p * ASIDS_PER_POOL + i;
            uint64_t *pml4 = pool->pml4[i];
            if (!pml4)
                continue;
            if (!invariants_object_live(cap_pml4, kptr_to_paddr(pml4), seL4_PML4Bits))
                invariants_violation("ASID %lu names 0x%lx, which is no live PML4", asid, kptr_to_paddr(pml4));
            else
                check_table(asid, pml4, LEVEL_PML4, 0);
        }
    }
}
