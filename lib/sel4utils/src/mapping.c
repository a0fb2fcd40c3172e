/* Mapping one page with the seL4 x86_64 paging invocations, creating missing paging
 * structures on the way (see <sel4utils/mapping.h>). */
#include <sel4/sel4.h>
#include <utils/util.h>
#include <vka/vka.h>
#include <vka/object.h>
#include <vka/capops.h>
#include <vka/kobject_t.h>
#include <vspace/vspace.h>
#include <vspace/mapping.h>
#include <sel4utils/mapping.h>

int sel4utils_map_page(vka_t *vka, seL4_CPtr pd, seL4_CPtr frame, void *vaddr,
                       seL4_CapRights_t rights, int cacheable, vka_object_t *objects,
                       int *num_objects)
{
    if (num_objects == NULL) {
        ZF_LOGE("num_objects is NULL");
        return -1;
    }
    int capacity = *num_objects;
    *num_objects = 0;
    if (capacity > 0 && objects == NULL) {
        ZF_LOGE("objects is NULL");
        return -1;
    }
    seL4_X86_VMAttributes attr = cacheable ? seL4_X86_Default_VMAttributes : seL4_X86_CacheDisabled;
    seL4_Word va = (seL4_Word)vaddr;

    /* Each round either maps the frame or adds one level; a level that another mapper adds
     * between our attempts (DeleteFirst) costs one more round. */
    for (int round = 0; round < 8; round++) {
        seL4_Error err = seL4_X86_Page_Map(frame, pd, va, rights, attr);
        if (err != seL4_FailedLookup) {
            if (err != seL4_NoError) {
                ZF_LOGE("mapping frame cap %lu at %p failed with seL4 error %d", (unsigned long)frame,
                        vaddr, (int)err);
            }
            return err;
        }
        vspace_map_obj_t level;
        if (seL4_GetMR(1) != seL4_MissingCapability ||
            vspace_get_map_obj(seL4_MappingFailedLookupLevel(), &level) != 0) {
            ZF_LOGE("mapping frame cap %lu at %p: lookup of the address space failed (is the "
                    "vspace root cap %lu assigned an ASID?)", (unsigned long)frame, vaddr,
                    (unsigned long)pd);
            return err;
        }
        if (*num_objects >= capacity) {
            ZF_LOGE("no room to return another paging structure (capacity %d)", capacity);
            return -1;
        }
        if (vka == NULL) {
            ZF_LOGE("a paging structure is missing at %p and no vka was given", vaddr);
            return -1;
        }
        vka_object_t obj;
        if (vka_alloc_object(vka, level.type, level.size_bits, &obj) != 0) {
            ZF_LOGE("out of memory for a paging structure (type %lu) at %p", (unsigned long)level.type, vaddr);
            return -1;
        }
        err = vspace_map_obj(&level, obj.cptr, pd, va, attr);
        if (err == seL4_DeleteFirst) {
            vka_free_object(vka, &obj); /* someone else added this level meanwhile */
            continue;
        }
        if (err != seL4_NoError) {
            ZF_LOGE("mapping a paging structure (type %lu) at %p failed with seL4 error %d",
                    (unsigned long)level.type, vaddr, (int)err);
            vka_free_object(vka, &obj);
            return err;
        }
        objects[(*num_objects)++] = obj;
    }
    ZF_LOGE("mapping at %p did not converge", vaddr);
    return -1;
}

void *sel4utils_dup_and_map(vka_t *vka, vspace_t *vspace, seL4_CPtr page, size_t size_bits)
{
    if (vka == NULL || vspace == NULL) {
        ZF_LOGE("%s is NULL", vka == NULL ? "vka" : "vspace");
        return NULL;
    }
    cspacepath_t src, dup;
    if (vka_cspace_alloc_path(vka, &dup) != 0) {
        ZF_LOGE("no free slot for a copy of frame cap %lu", (unsigned long)page);
        return NULL;
    }
    vka_cspace_make_path(vka, page, &src);
    int err = vka_cnode_copy(&dup, &src, seL4_AllRights);
    if (err != seL4_NoError) {
        ZF_LOGE("copying frame cap %lu failed with seL4 error %d", (unsigned long)page, err);
        vka_cspace_free(vka, dup.capPtr);
        return NULL;
    }
    void *mapping = vspace_map_pages(vspace, &dup.capPtr, NULL, seL4_AllRights, 1, size_bits, 1);
    if (mapping == NULL) {
        ZF_LOGE("mapping the copy of frame cap %lu failed", (unsigned long)page);
        vka_cnode_delete(&dup);
        vka_cspace_free(vka, dup.capPtr);
    }
    return mapping;
}

void sel4utils_unmap_dup(vka_t *vka, vspace_t *vspace, void *mapping, size_t size_bits)
{
    if (vka == NULL || vspace == NULL) {
        ZF_LOGE("%s is NULL", vka == NULL ? "vka" : "vspace");
        return;
    }
    seL4_CPtr cap = vspace_get_cap(vspace, mapping);
    if (cap == seL4_CapNull) {
        ZF_LOGE("nothing is mapped at %p", mapping);
        return;
    }
    vspace_unmap_pages(vspace, mapping, 1, size_bits, VSPACE_PRESERVE);
    if (vspace_get_cap(vspace, mapping) == cap) {
        ZF_LOGE("could not unmap %p (wrong size_bits %zu?); the copy is kept", mapping, size_bits);
        return;
    }
    cspacepath_t path;
    vka_cspace_make_path(vka, cap, &path);
    vka_cnode_delete(&path);
    vka_cspace_free(vka, cap);
}
