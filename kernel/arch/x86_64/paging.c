/* Kernel page tables: the image in the top 2 GiB, a window over physical memory, and a few
 * uncached device pages. Every address space shares them through PML4 entry 511. */
#include "x86.h"
#include "arch.h"
#include "printk.h"
#include "paging.h"
#include "config.h"
#include "x86_internal.h"
#include "vspace.h"

typedef uint64_t pte_t;

static pte_t kernel_pml4[512] ALIGNED(4096);
static pte_t kernel_pdpt[512] ALIGNED(4096);
static pte_t window_pd[KERNEL_WINDOW_GIB][512] ALIGNED(4096);
static pte_t image_pd[512] ALIGNED(4096);
static pte_t device_pd[512] ALIGNED(4096);
static pte_t device_pt[512] ALIGNED(4096);
static unsigned device_pages_used;
paddr_t kernel_pml4_paddr;
static paddr_t window_limit;

paddr_t kernel_window_limit(void) { return window_limit; }

void paging_init(paddr_t window_end)
{
    window_limit = MIN(window_end, (paddr_t)KERNEL_WINDOW_GIB << 30);
    window_limit = ROUND_UP(window_limit, 30);
    for (unsigned g = 0; g < window_limit >> 30; g++) {
        for (unsigned i = 0; i < 512; i++)
            window_pd[g][i] = (((paddr_t)g << 30) + ((paddr_t)i << 21)) | PTE_P | PTE_W | PTE_PS | PTE_G;
        kernel_pdpt[g] = kimage_to_paddr(window_pd[g]) | PTE_P | PTE_W;
    }
    for (unsigned i = 0; i < 512; i++)
        image_pd[i] = ((paddr_t)i << 21) | PTE_P | PTE_W | PTE_PS | PTE_G;
    kernel_pdpt[510] = kimage_to_paddr(image_pd) | PTE_P | PTE_W;
    device_pd[511] = kimage_to_paddr(device_pt) | PTE_P | PTE_W;
    kernel_pdpt[511] = kimage_to_paddr(device_pd) | PTE_P | PTE_W;
    kernel_pml4[511] = kimage_to_paddr(kernel_pdpt) | PTE_P | PTE_W;
    kernel_pml4_paddr = kimage_to_paddr(kernel_pml4);
    write_cr3(kernel_pml4_paddr);
}

/* Map one uncached 4 KiB device page (LAPIC, IOAPIC) in the kernel's device area. */
void *map_device_page(paddr_t p)
{
    kassert(device_pages_used < 512);
    unsigned i = device_pages_used++;
    device_pt[i] = ROUND_DOWN(p, 12) | PTE_P | PTE_W | PTE_PCD | PTE_PWT | PTE_G;
    vaddr_t v = KDEVICE_BASE + (511ull << 21) + ((vaddr_t)i << 12);
    invlpg(v);
    return (void *)(v + (p & MASK(12)));
}

/* The TLB after user mappings change (vspace.h). User entries are never global, so a CR3
 * write flushes all of them. */
static bool is_loaded(paddr_t pml4) { return (read_cr3() & PTE_ADDR_MASK) == pml4; }

void tlb_flush_page(paddr_t pml4, vaddr_t v)
{
    if (is_loaded(pml4))
        invlpg(v);
}

void tlb_flush_vspace(paddr_t pml4)
{
    if (is_loaded(pml4))
        write_cr3(read_cr3());
}

void vspace_leave(paddr_t pml4)
{
    if (is_loaded(pml4))
        load_address_space(kernel_pml4_paddr); /* never run on a dead address space */
}

void vspace_init_pml4(uint64_t *pml4)
{
    pml4[511] = kernel_pml4[511];
}

static inline unsigned pt_index(vaddr_t v, unsigned level_shift) { return (v >> level_shift) & 511; }

/* Walk to the entry mapping vaddr, stopping at a large page. Returns NULL if not mapped. */
bool vspace_lookup(paddr_t pml4, vaddr_t v, paddr_t *paddr)
{
    pte_t *table = paddr_to_kptr(pml4);
    for (unsigned shift = 39; shift >= 12; shift -= 9) {
        pte_t e = table[pt_index(v, shift)];
        if (!(e & PTE_P))
            return false;
        if (shift == 12 || (e & PTE_PS)) {
            paddr_t base = e & PTE_ADDR_MASK & ~MASK(shift);
            *paddr = base + (v & MASK(shift));
            return true;
        }
        table = paddr_to_kptr(e & PTE_ADDR_MASK);
    }
    return false;
}

bool arch_read_user_word(struct tcb *t, vaddr_t addr, word_t *out)
{
    paddr_t p, pml4 = arch_thread_vspace_root(t);
    if (!pml4 || addr > USER_TOP - 7 || (addr & 7) || !vspace_lookup(pml4, addr, &p))
        return false;
    if (p + 8 > window_limit)
        return false;
    *out = *(word_t *)paddr_to_kptr(p);
    return true;
}
