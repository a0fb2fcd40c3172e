/* User address spaces: PML4s, the ASID table, and building the root task's address space. */
#include "x86.h"
#include "arch.h"
#include "printk.h"
#include "boot.h"
#include "paging.h"
#include "x86_internal.h"
#include "abi.h"

/* ASID pools: 8 pools of 512 ASIDs; a pool is a 4 KiB object holding PML4 pointers. */
#define NUM_ASID_POOLS BIT(seL4_NumASIDPoolsBits)
#define ASIDS_PER_POOL BIT(seL4_ASIDPoolIndexBits)
struct asid_pool {
    uint64_t *pml4[ASIDS_PER_POOL];
};
static struct asid_pool *asid_table[NUM_ASID_POOLS];

void *arch_boot_new_vspace(void)
{
    uint64_t *pml4 = paddr_to_kptr(boot_alloc(seL4_PML4Bits));
    vspace_init_pml4(pml4);
    return pml4;
}

void arch_boot_assign_asid(void *pool, void *pml4, unsigned asid)
{
    struct asid_pool *p = pool;
    asid_table[asid / ASIDS_PER_POOL] = p;
    p->pml4[asid % ASIDS_PER_POOL] = pml4;
}

/* Map 4 KiB frames user RW (executable: seL4 never sets XD), creating the paging structures
 * that are missing. New tables are reported in BootInfo order: PDPTs, PDs, then PTs. */
unsigned arch_boot_map_frames(void *pml4, vaddr_t v, paddr_t p, unsigned n_pages,
                              struct boot_table *tables, unsigned max_tables)
{
    struct boot_table made[3][16];
    unsigned n_made[3] = { 0, 0, 0 };
    static const enum cap_type level_type[3] = { cap_pdpt, cap_page_directory, cap_page_table };
    for (unsigned i = 0; i < n_pages; i++, v += BIT(12), p += BIT(12)) {
        uint64_t *table = pml4;
        for (unsigned level = 0; level < 3; level++) {
            unsigned shift = 39 - 9 * level;
            uint64_t *e = &table[(v >> shift) & 511];
            if (!(*e & PTE_P)) {
                if (n_made[level] == ARRAY_SIZE(made[level]))
                    panic("boot: root task image needs too many paging structures");
                paddr_t t = boot_alloc(12);
                *e = t | PTE_P | PTE_W | PTE_U;
                made[level][n_made[level]++] = (struct boot_table){
                    level_type[level], paddr_to_kptr(t), ROUND_DOWN(v, shift)
                };
            }
            table = paddr_to_kptr(*e & PTE_ADDR_MASK);
        }
        table[(v >> 12) & 511] = p | PTE_P | PTE_W | PTE_U;
    }
    unsigned n = 0;
    for (unsigned level = 0; level < 3; level++)
        for (unsigned i = 0; i < n_made[level]; i++) {
            if (n == max_tables)
                panic("boot: too many paging structures for the root task");
            tables[n++] = made[level][i];
        }
    return n;
}

unsigned arch_boot_reserved_device_regions(struct p_region *out, unsigned max)
{
    unsigned n = 0;
    if (n < max)
        out[n++] = (struct p_region){ acpi.lapic_paddr, acpi.lapic_paddr + BIT(12) };
    for (unsigned i = 0; i < acpi.num_ioapics && n < max; i++)
        out[n++] = (struct p_region){ acpi.ioapics[i].paddr, acpi.ioapics[i].paddr + BIT(12) };
    if (n < max) /* seL4 keeps these 8 bytes out of the device untypeds too */
        out[n++] = (struct p_region){ 0xfffffff8ull, 0x100000000ull };
    return n;
}

/* ---- undoing mappings when their caps are deleted (cap.c) ---- */

static uint64_t *asid_to_pml4(word_t asid)
{
    struct asid_pool *pool = asid_table[asid / ASIDS_PER_POOL % NUM_ASID_POOLS];
    return pool ? pool->pml4[asid % ASIDS_PER_POOL] : NULL;
}

/* The entry of the table at `level` (0 = PML4 ... 3 = PT) on the way to v, or NULL if a
 * table on the way is missing (or a large page is met). */
static uint64_t *table_entry(uint64_t *pml4, vaddr_t v, unsigned level)
{
    uint64_t *table = pml4;
    for (unsigned l = 0; l < level; l++) {
        uint64_t e = table[(v >> (39 - 9 * l)) & 511];
        if (!(e & PTE_P) || (l > 0 && (e & PTE_PS)))
            return NULL;
        table = paddr_to_kptr(e & PTE_ADDR_MASK);
    }
    return &table[(v >> (39 - 9 * level)) & 511];
}

/* Forget stale translations of the address space (no PCIDs: other spaces hold none). */
static void flush_if_current(uint64_t *pml4)
{
    if ((read_cr3() & PTE_ADDR_MASK) == kptr_to_paddr(pml4))
        write_cr3(read_cr3());
}

void vspace_unmap_frame(word_t asid, vaddr_t vaddr, paddr_t frame, unsigned size_bits)
{
    uint64_t *pml4 = asid_to_pml4(asid);
    unsigned level = size_bits == 12 ? 3 : size_bits == 21 ? 2 : 1;
    uint64_t *e = pml4 ? table_entry(pml4, vaddr, level) : NULL;
    if (!e || !(*e & PTE_P) || (level < 3 && !(*e & PTE_PS)))
        return;
    if ((*e & PTE_ADDR_MASK & ~MASK(size_bits)) != frame)
        return; /* the slot now maps something else */
    *e = 0;
    flush_if_current(pml4);
}

void vspace_unmap_table(enum cap_type type, word_t asid, vaddr_t vaddr, paddr_t table)
{
    uint64_t *pml4 = asid_to_pml4(asid);
    unsigned level = type == cap_pdpt ? 0 : type == cap_page_directory ? 1 : 2;
    uint64_t *e = pml4 ? table_entry(pml4, vaddr, level) : NULL;
    if (!e || !(*e & PTE_P) || (*e & PTE_PS) || (*e & PTE_ADDR_MASK) != table)
        return;
    *e = 0;
    flush_if_current(pml4);
}

void vspace_release_asid(word_t asid, void *pml4)
{
    struct asid_pool *pool = asid_table[asid / ASIDS_PER_POOL % NUM_ASID_POOLS];
    if (pool && pool->pml4[asid % ASIDS_PER_POOL] == pml4)
        pool->pml4[asid % ASIDS_PER_POOL] = NULL;
    if ((read_cr3() & PTE_ADDR_MASK) == kptr_to_paddr(pml4))
        load_address_space(kernel_pml4_paddr); /* never run on a dead address space */
}

void vspace_release_asid_pool(void *pool)
{
    for (unsigned i = 0; i < NUM_ASID_POOLS; i++)
        if (asid_table[i] == pool)
            asid_table[i] = NULL;
}
