/*
 * The x86_64 half of the capability rules (abi §9.2, §12.3): frames, paging structures,
 * ASID control and pools, IO ports. Pure rules, apart from finalisation, which calls the
 * address-space and IO-port code.
 */
#include "arch.h"
#include "invocation.h"
#include "x86_internal.h"
#include "vspace.h"
#include "abi.h"

cap_t arch_derive_cap(const cte_t *slot, cap_t c, word_t *error)
{
    (void)slot;
    switch (cap_get_type(c)) {
    case cap_frame: /* a copy starts unmapped: a mapping belongs to one cap */
        return cap_set_mapping(c, 0, 0);
    case cap_page_table:
    case cap_page_directory:
    case cap_pdpt:
    case cap_pml4:
        if (cap_mapped_asid(c))
            return c;
        user_error("Deriving a %s cap that is not %s first.", cap_type_name(cap_get_type(c)),
                   cap_get_type(c) == cap_pml4 ? "assigned an ASID: assign it" : "mapped: map it");
        *error = seL4_IllegalOperation;
        return cap_null_cap();
    case cap_io_port_control:
        return cap_null_cap(); /* unique, like IRQControl */
    default: /* ASID control and pools, IO ports */
        return c;
    }
}

/* Frame rights through a rights mask (abi §12.3), for Copy/Mint and for Page_Map: Read is
 * needed to keep any user access; 0 means kernel-only. */
unsigned mask_vm_rights(unsigned vm, word_t rights)
{
    bool read = rights & BIT(1), write = rights & BIT(0);
    if (!read) {
        if (vm == (VM_READ | VM_WRITE) && write)
            user_error("Attempted to make unsupported write only mapping: the result is kernel-only.");
        return 0;
    }
    return vm == (VM_READ | VM_WRITE) && !write ? VM_READ : vm;
}

cap_t arch_mask_cap_rights(word_t rights, cap_t c)
{
    if (cap_get_type(c) != cap_frame)
        return c;
    return cap_set_small(c, 2, 2, mask_vm_rights(cap_frame_vm_rights(c), rights));
}

bool arch_same_region_as(cap_t a, cap_t b)
{
    switch (cap_get_type(a)) {
    case cap_frame: {
        if (cap_get_type(b) != cap_frame)
            return false;
        paddr_t a_bot = cap_frame_paddr(a), b_bot = cap_frame_paddr(b);
        paddr_t a_top = a_bot + MASK(cap_frame_size_bits(a)), b_top = b_bot + MASK(cap_frame_size_bits(b));
        return a_bot <= b_bot && b_top <= a_top && b_bot <= b_top;
    }
    case cap_page_table:
    case cap_page_directory:
    case cap_pdpt:
    case cap_pml4:
    case cap_asid_pool:
        return cap_get_type(b) == cap_get_type(a) && cap_addr(a) == cap_addr(b);
    case cap_asid_control:
        return cap_get_type(b) == cap_asid_control;
    case cap_io_port_control: /* IO port caps are issued from it: its children */
        return cap_get_type(b) == cap_io_port_control || cap_get_type(b) == cap_io_port;
    case cap_io_port:
        return cap_get_type(b) == cap_io_port && cap_io_port_first(a) == cap_io_port_first(b) &&
               cap_io_port_last(a) == cap_io_port_last(b);
    default:
        return false;
    }
}

bool arch_same_object_as(cap_t a, cap_t b)
{
    if (cap_get_type(a) == cap_io_port_control && cap_get_type(b) == cap_io_port)
        return false;
    if (cap_get_type(a) == cap_frame && cap_get_type(b) == cap_frame)
        return cap_frame_paddr(a) == cap_frame_paddr(b) && cap_frame_size(a) == cap_frame_size(b) &&
               cap_frame_is_device(a) == cap_frame_is_device(b);
    return arch_same_region_as(a, b);
}

bool arch_is_cap_revocable(cap_t derived, cap_t src)
{
    return cap_get_type(derived) == cap_io_port && cap_get_type(src) == cap_io_port_control;
}

/*
 * Deleting a cap undoes what it mapped (abi §9.2): each frame cap owns one mapping, final or
 * not; a table's mapping goes with its final cap (its contents are not zeroed, unlike an
 * explicit Unmap); a PML4's ASID and a pool's ASIDs are freed. vspace.c checks that the entry
 * still refers to this frame or table, so a stale cap never removes somebody else's mapping.
 */
void arch_finalise_cap(cap_t c, bool final)
{
    switch (cap_get_type(c)) {
    case cap_io_port:
        if (final)
            ioport_range_free(c);
        break;
    case cap_frame: /* each mapped frame cap owns its mapping, final or not */
        if (cap_mapped_asid(c))
            vspace_unmap_frame(cap_mapped_asid(c), cap_mapped_vaddr(c), cap_frame_paddr(c), cap_frame_size_bits(c));
        break;
    case cap_page_table:
    case cap_page_directory:
    case cap_pdpt:
        if (final && cap_mapped_asid(c))
            vspace_unmap_table(cap_get_type(c), cap_mapped_asid(c), cap_mapped_vaddr(c), kptr_to_paddr(cap_ptr(c)));
        break;
    case cap_pml4:
        vspace_pml4_cap_deleted(); /* it may be some thread's VSpace cap */
        if (final && cap_mapped_asid(c))
            vspace_release_asid(cap_mapped_asid(c), cap_ptr(c));
        break;
    case cap_asid_pool:
        if (final)
            vspace_release_asid_pool(cap_ptr(c));
        break;
    default: /* ASID control, IO port control: nothing */
        break;
    }
}
