/* Boot: physical memory bookkeeping and creation of the root task. The arch boot code
 * describes the machine, then calls boot_root_task(). */
#pragma once
#include "types.h"
#include "cap.h"

struct p_region {
    paddr_t start, end; /* [start, end) */
};

#define MAX_BOOT_REGIONS 64

/* RAM the kernel may use (must lie inside the kernel window). */
void boot_mem_add_ram(paddr_t start, paddr_t end);
/* Take a range out of the free RAM and remember it as used by the kernel (not device). */
void boot_mem_reserve(paddr_t start, paddr_t end);
/* Whether [start, end) is RAM the kernel kept at boot (its image, the root task's image and
 * objects), not handed out as untyped. */
bool boot_mem_is_reserved(paddr_t start, paddr_t end);
/* Carve a naturally aligned, zeroed block from the top of free RAM; panics if impossible. */
paddr_t boot_alloc(unsigned size_bits);

/* The root task's ELF image, already copied to physical memory at paddr: [v_start, v_end)
 * maps linearly onto [paddr, paddr + v_end - v_start). */
struct root_image {
    vaddr_t v_start, v_end, entry;
    paddr_t paddr;
};

NORETURN void boot_root_task(const struct root_image *img);

/* Arch hooks used while building the root task. */
/* A paging structure created for the root task, in the order BootInfo lists them. */
struct boot_table {
    enum cap_type type;
    void *kptr;
    vaddr_t vaddr; /* base of the range it maps */
};
/* Map frames [v, v + n pages) -> [p, ...) user RW into a new vspace; report the tables made. */
void *arch_boot_new_vspace(void);
unsigned arch_boot_map_frames(void *pml4, vaddr_t v, paddr_t p, unsigned n_pages,
                              struct boot_table *tables, unsigned max_tables);
void arch_boot_assign_asid(void *asid_pool, void *pml4, unsigned asid);
/* Fill the extra BootInfo region; returns its length in bytes. */
word_t arch_boot_extra_bootinfo(uint8_t *buf, word_t size);
/* Regions the kernel owns outside RAM (LAPIC, IOAPIC) that must not become device untyped. */
unsigned arch_boot_reserved_device_regions(struct p_region *out, unsigned max);
