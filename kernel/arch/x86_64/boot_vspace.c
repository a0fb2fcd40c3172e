/* Boot: the root task's address space (its PML4 in ASID pool 0, its image and boot frames
 * mapped 4 KiB at a time) and the device pages the kernel keeps for itself. */
#include "x86.h"
#include "arch.h"
#include "printk.h"
#include "boot.h"
#include "paging.h"
#include "vspace.h"
#include "x86_internal.h"
#include "abi.h"

void *arch_boot_new_vspace(void)
{
    uint64_t *pml4 = paddr_to_kptr(boot_alloc(seL4_PML4Bits));
    vspace_init_pml4(pml4);
    return pml4;
}

void arch_boot_assign_asid(void *pool, void *pml4, unsigned asid) { asid_boot_assign(pool, pml4, asid); }

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
