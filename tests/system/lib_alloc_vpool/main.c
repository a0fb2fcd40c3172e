/* The allocman's bookkeeping outgrows a small static pool and continues in the virtual pool,
 * mapping frames (and the page tables, directories and PDPT it needs) it allocates itself.
 * When the virtual pool is full too, allocations fail with an error; freeing everything gives
 * back every byte except the pages the bookkeeping keeps for good, and a second round of the
 * same allocations reuses them with exact accounting. */
#include <stdio.h>
#include <string.h>
#include <sel4/sel4.h>
#include <sel4platsupport/bootinfo.h>
#include <simple/simple.h>
#include <simple-default/simple-default.h>
#include <vka/object.h>
#include <allocman/allocman.h>
#include <allocman/bootstrap.h>
#include <allocman/vka.h>
#include "../common/check.h"

#define POOL_SIZE (24ul << 10)
static char pool[POOL_SIZE];

#define VPOOL ((void *)0x8000000000ul) /* PML4 slot 1: nothing is mapped there yet */
#define VPOOL_PAGES 64

#define MAX_OBJECTS 20000
static vka_object_t objs[MAX_OBJECTS];

static simple_t simple;
static vka_t vka;
static allocman_t *allocman;

static void stats(size_t *s, size_t *b)
{
    allocman_stats(allocman, s, b);
}

int main(void)
{
    seL4_BootInfo *bi = platsupport_get_bootinfo();
    simple_default_init_bootinfo(&simple, bi);
    CHECK("bootstrap with a 4 KiB pool is refused (too small for the untypeds)",
          bootstrap_use_current_simple(&simple, 4096, pool) == NULL);
    allocman = bootstrap_use_current_simple(&simple, POOL_SIZE, pool);
    CHECK("bootstrap_use_current_simple with a 24 KiB pool", allocman != NULL);
    if (allocman == NULL) {
        return 1;
    }
    allocman_make_vka(&vka, allocman);
    size_t s0, b0;
    stats(&s0, &b0);

    CHECK("bootstrap_configure_virtual_pool",
          bootstrap_configure_virtual_pool(allocman, VPOOL, VPOOL_PAGES * BIT(seL4_PageBits),
                                           seL4_CapInitThreadVSpace) == 0);
    CHECK("configuring it twice is refused",
          bootstrap_configure_virtual_pool(allocman, VPOOL, BIT(seL4_PageBits), seL4_CapInitThreadVSpace) == -1);

    size_t n = 0;
    while (n < MAX_OBJECTS && vka_alloc_endpoint(&vka, &objs[n]) == 0) {
        n++;
    }
    size_t s1, b1;
    stats(&s1, &b1);
    printf("round 1: %zu endpoints, then an error; %zu slots and %zu bytes left\n", n, s1, b1);
    CHECK("round 1: far more endpoints than the static pool has records for", n > 1000);
    CHECK("round 1: it ended with an error while slots and memory were left", n < MAX_OBJECTS && s1 > 1000 &&
                                                                                  b1 > (1ul << 20));
    volatile uint64_t *last = (uint64_t *)((uintptr_t)VPOOL + (VPOOL_PAGES - 1) * BIT(seL4_PageBits));
    CHECK("the whole virtual pool is mapped", *last == *last);
    for (size_t i = 0; i < n; i++) {
        vka_free_object(&vka, &objs[i]);
    }
    stats(&s1, &b1);
    /* kept for good: the pool's frames, and one PDPT, page directory and page table */
    CHECK("after freeing: every byte back except the bookkeeping pages",
          b1 == b0 - (VPOOL_PAGES + 3) * BIT(seL4_PageBits));
    printf("bookkeeping keeps %zu slots\n", s0 - s1);

    size_t m = n - n / 10;
    size_t k = 0;
    while (k < m && vka_alloc_endpoint(&vka, &objs[k]) == 0) {
        k++;
    }
    CHECK("round 2: the same endpoints again (less 10%) all succeed", k == m);
    for (size_t i = 0; i < k; i++) {
        vka_free_object(&vka, &objs[i]);
    }
    size_t s2, b2;
    stats(&s2, &b2);
    CHECK("round 2: freeing restores slots and bytes exactly", s2 == s1 && b2 == b1);

    /* a mix of sizes reuses the same records */
    k = 0;
    for (; k < 500; k++) {
        if (vka_alloc_object(&vka, k % 3 == 0 ? seL4_TCBObject : k % 3 == 1 ? seL4_X86_4K : seL4_UntypedObject,
                             k % 3 == 0 ? seL4_TCBBits : k % 3 == 1 ? seL4_PageBits : 4 + k % 16, &objs[k]) != 0) {
            break;
        }
    }
    CHECK("round 3: 500 mixed objects", k == 500);
    for (size_t i = 0; i < k; i++) {
        vka_free_object(&vka, &objs[i]);
    }
    stats(&s2, &b2);
    CHECK("round 3: freeing restores slots and bytes exactly", s2 == s1 && b2 == b1);
    printf("lib_alloc_vpool done\n");
    return check_failures != 0;
}
