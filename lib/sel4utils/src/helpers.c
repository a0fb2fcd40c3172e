/* Writing into another address space, and the x86_64 initial register state of threads. */
#include <string.h>
#include <sel4/sel4.h>
#include <utils/util.h>
#include <vka/capops.h>
#include <vspace/vspace.h>
#include <sel4utils/helpers.h>
#include "internal.h"

/* The page of address space that writes go through, remembered per vspace and reserved
 * again at the same address next time: a fresh address every time would walk through the
 * vspace and leave a trail of page tables behind. Only the address is remembered (a hint:
 * if it is taken now, another one is found), so a vspace that went away leaves nothing
 * dangling. */
#define MAX_HINTS 8
static struct {
    vspace_t *vspace;
    void *vaddr;
} hints[MAX_HINTS];
static unsigned next_hint;

static reservation_t reserve_window(vspace_t *local, void **vaddr)
{
    for (unsigned i = 0; i < MAX_HINTS; i++) {
        if (hints[i].vspace == local) {
            reservation_t res = vspace_reserve_range_at(local, hints[i].vaddr, PAGE_SIZE_4K, seL4_ReadWrite, 1);
            if (res.res != NULL) {
                *vaddr = hints[i].vaddr;
                return res;
            }
            hints[i].vspace = NULL;
        }
    }
    reservation_t res = vspace_reserve_range(local, PAGE_SIZE_4K, seL4_ReadWrite, 1, vaddr);
    if (res.res != NULL) {
        hints[next_hint].vspace = local;
        hints[next_hint].vaddr = *vaddr;
        next_hint = (next_hint + 1) % MAX_HINTS;
    }
    return res;
}

int sel4utils_internal_write(vspace_t *local, vka_t *local_vka, vspace_t *target, vka_t *target_vka,
                             uintptr_t vaddr, const void *buf, size_t len)
{
    if (len == 0) {
        return 0;
    }
    if (local == NULL || local_vka == NULL || target == NULL || target_vka == NULL || buf == NULL) {
        ZF_LOGE("NULL argument");
        return -1;
    }
    if (vaddr + len < vaddr) {
        ZF_LOGE("range %p + %zu wraps around", (void *)vaddr, len);
        return -1;
    }
    /* Check the whole range first, so that nothing is written unless all of it can be. */
    for (uintptr_t page = PAGE_ALIGN_4K(vaddr); page < vaddr + len; page += PAGE_SIZE_4K) {
        if (vspace_get_cap(target, (void *)page) == seL4_CapNull) {
            ZF_LOGE("%p is not mapped in the target vspace", (void *)page);
            return -1;
        }
    }
    void *window_addr = NULL;
    reservation_t window_res = reserve_window(local, &window_addr);
    if (window_res.res == NULL) {
        ZF_LOGE("could not reserve a page of the local vspace for temporary mappings");
        return -1;
    }
    char *window = window_addr;
    cspacepath_t tmp;
    if (vka_cspace_alloc_path(local_vka, &tmp) != 0) {
        ZF_LOGE("no free slot for a temporary frame cap");
        vspace_free_reservation(local, window_res);
        return -1;
    }
    int result = 0;
    const char *src = buf;
    while (len > 0) {
        uintptr_t page = PAGE_ALIGN_4K(vaddr);
        size_t offset = vaddr - page;
        size_t chunk = MIN(len, PAGE_SIZE_4K - offset);

        cspacepath_t frame;
        vka_cspace_make_path(target_vka, vspace_get_cap(target, (void *)page), &frame);
        int error = vka_cnode_copy(&tmp, &frame, seL4_AllRights);
        if (error != seL4_NoError) {
            ZF_LOGE("could not copy the frame cap of %p (error %d)", (void *)page, error);
            result = -1;
            break;
        }
        if (vspace_map_pages_at_vaddr(local, &tmp.capPtr, NULL, window, 1, seL4_PageBits, window_res) != 0) {
            ZF_LOGE("could not map the frame of %p into the local vspace", (void *)page);
            vka_cnode_delete(&tmp);
            result = -1;
            break;
        }
        memcpy(window + offset, src, chunk);
        vspace_unmap_pages(local, window, 1, seL4_PageBits, VSPACE_PRESERVE);
        vka_cnode_delete(&tmp);

        src += chunk;
        vaddr += chunk;
        len -= chunk;
    }
    vka_cspace_free(local_vka, tmp.capPtr);
    vspace_free_reservation(local, window_res);
    return result;
}

int sel4utils_stack_write(vspace_t *current_vspace, vspace_t *target_vspace, vka_t *vka, void *buf, size_t len,
                          uintptr_t *stack_top)
{
    if (stack_top == NULL) {
        ZF_LOGE("stack_top is NULL");
        return -1;
    }
    uintptr_t new_top = *stack_top - len;
    if (new_top > *stack_top) {
        ZF_LOGE("stack would wrap around");
        return -1;
    }
    if (sel4utils_internal_write(current_vspace, vka, target_vspace, vka, new_top, buf, len) != 0) {
        return -1;
    }
    *stack_top = new_top;
    return 0;
}

int sel4utils_arch_init_context(void *entry_point, void *stack_top, seL4_UserContext *context)
{
    if (context == NULL) {
        ZF_LOGE("context is NULL");
        return -1;
    }
    context->rip = (seL4_Word)entry_point;
    context->rsp = (seL4_Word)stack_top;
    context->rdx = 0; /* System V: no atexit function for the new program */
    return 0;
}

int sel4utils_arch_init_context_with_args(sel4utils_thread_entry_fn entry_point, void *arg0, void *arg1,
                                          void *arg2, bool local_stack, void *stack_top,
                                          seL4_UserContext *context, vka_t *vka, vspace_t *local_vspace,
                                          vspace_t *remote_vspace)
{
    (void)local_stack, (void)vka, (void)local_vspace, (void)remote_vspace;
    if ((uintptr_t)stack_top % STACK_CALL_ALIGNMENT != 0) {
        ZF_LOGE("initial stack pointer %p is not %d-byte aligned", stack_top, STACK_CALL_ALIGNMENT);
        return -1;
    }
    /* A function expects its stack as a call leaves it: the return address pushed. */
    if (sel4utils_arch_init_context((void *)entry_point, (char *)stack_top - sizeof(seL4_Word), context) != 0) {
        return -1;
    }
    context->rdi = (seL4_Word)arg0;
    context->rsi = (seL4_Word)arg1;
    context->rdx = (seL4_Word)arg2;
    return 0;
}
