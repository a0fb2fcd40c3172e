/* vspace_get_map_obj for x86_64 (see <vspace/mapping.h>). */
#include <vspace/mapping.h>

static seL4_Error map_pt(seL4_CPtr cap, seL4_CPtr root, seL4_Word vaddr, seL4_Word attr)
{
    return seL4_X86_PageTable_Map(cap, root, vaddr, (seL4_X86_VMAttributes)attr);
}

static seL4_Error map_pd(seL4_CPtr cap, seL4_CPtr root, seL4_Word vaddr, seL4_Word attr)
{
    return seL4_X86_PageDirectory_Map(cap, root, vaddr, (seL4_X86_VMAttributes)attr);
}

static seL4_Error map_pdpt(seL4_CPtr cap, seL4_CPtr root, seL4_Word vaddr, seL4_Word attr)
{
    return seL4_X86_PDPT_Map(cap, root, vaddr, (seL4_X86_VMAttributes)attr);
}

int vspace_get_map_obj(seL4_Word failed_bits, vspace_map_obj_t *obj)
{
    if (obj == NULL) {
        ZF_LOGE("obj is NULL");
        return EINVAL;
    }
    switch (failed_bits) {
    case SEL4_MAPPING_LOOKUP_NO_PT:
        *obj = (vspace_map_obj_t){ seL4_X86_PageTableObject, seL4_PageTableBits, map_pt };
        return 0;
    case SEL4_MAPPING_LOOKUP_NO_PD:
        *obj = (vspace_map_obj_t){ seL4_X86_PageDirectoryObject, seL4_PageDirBits, map_pd };
        return 0;
    case SEL4_MAPPING_LOOKUP_NO_PDPT:
        *obj = (vspace_map_obj_t){ seL4_X86_PDPTObject, seL4_PDPTBits, map_pdpt };
        return 0;
    default:
        ZF_LOGE("no paging structure is missing at lookup level %lu", (unsigned long)failed_bits);
        return EINVAL;
    }
}
