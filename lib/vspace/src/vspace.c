/* The implementation-independent vspace functions: built on the function pointers of a
 * vspace_t (see <vspace/vspace.h>). */
#include <vspace/vspace.h>

/* No range is larger than the user half of an x86_64 address space. */
#define VSPACE_MAX_BYTES (1ul << 47)

reservation_t vspace_reserve_range(vspace_t *vspace, size_t bytes, seL4_CapRights_t rights,
                                   int cacheable, void **vaddr)
{
    return vspace_reserve_range_aligned(vspace, bytes, seL4_PageBits, rights, cacheable, vaddr);
}

void *vspace_new_pages_with_config(vspace_t *vspace, vspace_new_pages_config_t *config,
                                   seL4_CapRights_t rights)
{
    if (vspace == NULL || config == NULL) {
        ZF_LOGE("%s is NULL", vspace == NULL ? "vspace" : "config");
        return NULL;
    }
    if (config->num_pages == 0 || !sel4_valid_size_bits(config->size_bits)) {
        ZF_LOGE("bad request: %zu pages of size_bits %zu", config->num_pages, config->size_bits);
        return NULL;
    }
    size_t page = SIZE_BITS_TO_BYTES(config->size_bits);
    if (config->num_pages > (VSPACE_MAX_BYTES / page)) {
        ZF_LOGE("%zu pages of size_bits %zu do not fit in an address space", config->num_pages,
                config->size_bits);
        return NULL;
    }
    size_t bytes = config->num_pages * page;
    void *vaddr = config->vaddr;
    reservation_t res;
    if (vaddr == NULL) {
        res = vspace_reserve_range_aligned(vspace, bytes, config->size_bits, rights, 1, &vaddr);
    } else {
        res = vspace_reserve_range_at(vspace, vaddr, bytes, rights, 1);
    }
    if (res.res == NULL) {
        ZF_LOGE("could not reserve %zu bytes for new pages", bytes);
        return NULL;
    }
    vspace_new_pages_config_t at = *config;
    at.vaddr = vaddr;
    int err = vspace_new_pages_at_vaddr_with_config(vspace, &at, res);
    /* The pages stay mapped; only the reservation goes. */
    vspace_free_reservation(vspace, res);
    return err == 0 ? vaddr : NULL;
}

void *vspace_new_sized_stack(vspace_t *vspace, size_t n_pages)
{
    if (n_pages == 0) {
        ZF_LOGE("asked for a stack of 0 pages");
        return NULL;
    }
    if (n_pages > VSPACE_MAX_BYTES / PAGE_SIZE_4K - 1) {
        ZF_LOGE("a stack of %zu pages does not fit in an address space", n_pages);
        return NULL;
    }
    void *base = NULL;
    /* One more page, left unmapped below the stack, catches overflows. */
    reservation_t res = vspace_reserve_range(vspace, (n_pages + 1) * PAGE_SIZE_4K, seL4_AllRights,
                                             1, &base);
    if (res.res == NULL) {
        ZF_LOGE("could not reserve a stack of %zu pages", n_pages);
        return NULL;
    }
    uintptr_t bottom = (uintptr_t)base + PAGE_SIZE_4K;
    if (vspace_new_pages_at_vaddr(vspace, (void *)bottom, n_pages, seL4_PageBits, res) != 0) {
        ZF_LOGE("could not create a stack of %zu pages", n_pages);
        vspace_free_reservation(vspace, res);
        return NULL;
    }
    return (void *)(bottom + n_pages * PAGE_SIZE_4K);
}

void vspace_free_sized_stack(vspace_t *vspace, void *stack_top, size_t n_pages)
{
    if (n_pages == 0) {
        ZF_LOGW("freeing a stack of 0 pages");
        return;
    }
    if (stack_top == NULL || (uintptr_t)stack_top < (n_pages + 1) * PAGE_SIZE_4K) {
        ZF_LOGE("%p is not the top of a stack of %zu pages", stack_top, n_pages);
        return;
    }
    uintptr_t bottom = (uintptr_t)stack_top - n_pages * PAGE_SIZE_4K;
    vspace_unmap_pages(vspace, (void *)bottom, n_pages, seL4_PageBits, VSPACE_FREE);
    vspace_free_reservation_by_vaddr(vspace, (void *)(bottom - PAGE_SIZE_4K));
}

void *vspace_new_ipc_buffer(vspace_t *vspace, seL4_CPtr *page)
{
    if (page == NULL) {
        ZF_LOGE("page is NULL");
        return NULL;
    }
    void *vaddr = vspace_new_pages(vspace, seL4_AllRights, 1, seL4_PageBits);
    if (vaddr == NULL) {
        return NULL;
    }
    *page = vspace_get_cap(vspace, vaddr);
    return vaddr;
}

void vspace_free_ipc_buffer(vspace_t *vspace, void *addr)
{
    vspace_unmap_pages(vspace, addr, 1, seL4_PageBits, VSPACE_FREE);
}

void *vspace_share_mem(vspace_t *from, vspace_t *to, void *start, int num_pages, size_t size_bits,
                       seL4_CapRights_t rights, int cacheable)
{
    if (num_pages <= 0 || !sel4_valid_size_bits(size_bits)) {
        ZF_LOGE("bad request: %d pages of size_bits %zu", num_pages, size_bits);
        return NULL;
    }
    void *vaddr = NULL;
    reservation_t res = vspace_reserve_range_aligned(to, (size_t)num_pages * SIZE_BITS_TO_BYTES(size_bits),
                                                     size_bits, rights, cacheable, &vaddr);
    if (res.res == NULL) {
        ZF_LOGE("could not reserve room for %d shared pages", num_pages);
        return NULL;
    }
    int err = vspace_share_mem_at_vaddr(from, to, start, num_pages, size_bits, vaddr, res);
    vspace_free_reservation(to, res);
    return err == 0 ? vaddr : NULL;
}

int vspace_access_page_with_callback(vspace_t *from, vspace_t *to, void *access_addr,
                                     size_t size_bits, seL4_CapRights_t rights, int cacheable,
                                     vspace_access_callback_fn callback, void *cookie)
{
    if (callback == NULL) {
        ZF_LOGE("callback is NULL");
        return -1;
    }
    if (!sel4_valid_size_bits(size_bits)) {
        ZF_LOGE("no page of size_bits %zu", size_bits);
        return -1;
    }
    uintptr_t page = (uintptr_t)access_addr & ~(SIZE_BITS_TO_BYTES(size_bits) - 1);
    uintptr_t offset = (uintptr_t)access_addr - page;
    void *mapping = vspace_share_mem(from, to, (void *)page, 1, size_bits, rights, cacheable);
    if (mapping == NULL) {
        ZF_LOGE("could not map the page holding %p", access_addr);
        return -1;
    }
    int result = callback(access_addr, (char *)mapping + offset, cookie);
    /* The shared copy's cap goes, the frame stays with `from`. */
    vspace_unmap_pages(to, mapping, 1, size_bits, VSPACE_FREE);
    return result;
}
