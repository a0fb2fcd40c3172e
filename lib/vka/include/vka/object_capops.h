/* Minting an object's cap into a fresh slot, as in seL4's libsel4vka. */
#pragma once

#include <vka/vka.h>
#include <vka/capops.h>
#include <vka/object.h>

/* Allocate a slot from dest_vka (path in *result) and mint object's cap (found through src_vka)
 * into it with rights and badge. Returns 0 or the error of the slot allocation / the Mint; a
 * failed Mint returns the slot. */
static inline int vka_mint_object_inter_cspace(vka_t *src_vka, vka_object_t *object,
                                               vka_t *dest_vka, cspacepath_t *result,
                                               seL4_CapRights_t rights, seL4_Word badge)
{
    if (object == NULL || result == NULL) {
        ZF_LOGE("%s is NULL", object == NULL ? "object" : "result");
        return -1;
    }
    int err = vka_cspace_alloc_path(dest_vka, result);
    if (err != 0) {
        return err;
    }
    cspacepath_t src;
    vka_cspace_make_path(src_vka, object->cptr, &src);
    err = vka_cnode_mint(result, &src, rights, badge);
    if (err != seL4_NoError) {
        ZF_LOGE("Mint of cap %lu failed: error %d", (unsigned long)object->cptr, err);
        vka_cspace_free(dest_vka, result->capPtr);
    }
    return err;
}

static inline int vka_mint_object(vka_t *vka, vka_object_t *object, cspacepath_t *result,
                                  seL4_CapRights_t rights, seL4_Word badge)
{
    return vka_mint_object_inter_cspace(vka, object, vka, result, rights, badge);
}
