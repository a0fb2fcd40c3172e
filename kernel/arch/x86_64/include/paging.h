/* x86_64 page-table entries and address-space helpers. */
#pragma once
#include "types.h"

#define PTE_P BIT(0)
#define PTE_W BIT(1)
#define PTE_U BIT(2)
#define PTE_PWT BIT(3)
#define PTE_PCD BIT(4)
#define PTE_A BIT(5)
#define PTE_D BIT(6)
#define PTE_PS BIT(7)
#define PTE_G BIT(8)
#define PTE_PAT_4K BIT(7)
#define PTE_PAT_LARGE BIT(12)
#define PTE_ADDR_MASK 0x000ffffffffff000ull

struct tcb;
void vspace_init_pml4(uint64_t *pml4);
bool vspace_lookup(paddr_t pml4, vaddr_t v, paddr_t *paddr);

paddr_t kernel_window_limit(void);
