/* x86_64 object types for Untyped_Retype (abi §4.1, §9.1): frames of 4 KiB, 2 MiB and 1 GiB,
 * and the four levels of paging structures. */
#include "arch.h"
#include "paging.h"
#include "abi.h"

bool arch_is_frame_type(word_t type)
{
    return type == seL4_X86_4K || type == seL4_X86_LargePageObject || type == seL4_X64_HugePageObject;
}

word_t arch_object_size_bits(word_t type)
{
    switch (type) {
    case seL4_X86_4K: return seL4_PageBits;
    case seL4_X86_LargePageObject: return seL4_LargePageBits;
    case seL4_X64_HugePageObject: return seL4_HugePageBits;
    case seL4_X86_PageTableObject: return seL4_PageTableBits;
    case seL4_X86_PageDirectoryObject: return seL4_PageDirBits;
    case seL4_X86_PDPTObject: return seL4_PDPTBits;
    case seL4_X64_PML4Object: return seL4_PML4Bits;
    default: return 0;
    }
}

cap_t arch_create_object(word_t type, paddr_t paddr, bool device)
{
    /* New frames are unmapped and ReadWrite. A 1 GiB frame can be made on any CPU; only
     * mapping one needs the CPU's huge-page support. */
    switch (type) {
    case seL4_X86_4K: return cap_frame_new(paddr, frame_4k, VM_READ | VM_WRITE, device);
    case seL4_X86_LargePageObject: return cap_frame_new(paddr, frame_2m, VM_READ | VM_WRITE, device);
    case seL4_X64_HugePageObject: return cap_frame_new(paddr, frame_1g, VM_READ | VM_WRITE, device);
    case seL4_X86_PageTableObject: return cap_paging_new(cap_page_table, paddr_to_kptr(paddr), 0);
    case seL4_X86_PageDirectoryObject: return cap_paging_new(cap_page_directory, paddr_to_kptr(paddr), 0);
    case seL4_X86_PDPTObject: return cap_paging_new(cap_pdpt, paddr_to_kptr(paddr), 0);
    case seL4_X64_PML4Object: {
        /* A new address space shares the kernel's mappings from the start. */
        uint64_t *pml4 = paddr_to_kptr(paddr);
        vspace_init_pml4(pml4);
        return cap_paging_new(cap_pml4, pml4, 0);
    }
    default: return cap_null_cap();
    }
}

bool arch_cap_region(cap_t c, paddr_t *base, word_t *size_bits)
{
    switch (cap_get_type(c)) {
    case cap_frame:
        *base = cap_frame_paddr(c);
        *size_bits = cap_frame_size_bits(c);
        return true;
    case cap_page_table:
    case cap_page_directory:
    case cap_pdpt:
    case cap_pml4:
    case cap_asid_pool: /* all 4 KiB */
        *base = kptr_to_paddr(cap_ptr(c));
        *size_bits = seL4_PageBits;
        return true;
    default:
        return false;
    }
}
