/* An allocman made piece by piece: bootstrap_use_current_1level over part of the root CNode's
 * free slots, untypeds handed over with allocman_utspace_add_uts, and the allocman_* calls
 * used directly (sizes there are memory sizes: a CNode of 2^n slots is 2^(n+5) bytes). */
#include <stdio.h>
#include <sel4/sel4.h>
#include <sel4platsupport/bootinfo.h>
#include <vka/object.h>
#include <allocman/allocman.h>
#include <allocman/bootstrap.h>
#include <allocman/vka.h>
#include "../common/check.h"

static char pool[64 << 10];

int main(void)
{
    seL4_BootInfo *bi = platsupport_get_bootinfo();
    seL4_CPtr first = bi->empty.start, end = bi->empty.start + 1000;

    CHECK("1level: slot range outside the CNode refused",
          bootstrap_use_current_1level(seL4_CapInitThreadCNode, bi->initThreadCNodeSizeBits, first,
                                       BIT(bi->initThreadCNodeSizeBits) + 1, sizeof(pool), pool) == NULL);
    CHECK("1level: empty slot range refused",
          bootstrap_use_current_1level(seL4_CapInitThreadCNode, bi->initThreadCNodeSizeBits, first, first,
                                       sizeof(pool), pool) == NULL);
    allocman_t *a = bootstrap_use_current_1level(seL4_CapInitThreadCNode, bi->initThreadCNodeSizeBits, first, end,
                                                 sizeof(pool), pool);
    CHECK("bootstrap_use_current_1level over 1000 slots", a != NULL);
    if (a == NULL) {
        return 1;
    }
    size_t slots, bytes;
    allocman_stats(a, &slots, &bytes);
    CHECK("no untypeds yet: 1000 slots, 0 bytes", slots == 1000 && bytes == 0);

    /* the two largest RAM untypeds */
    cspacepath_t uts[2];
    size_t bits[2] = { 0, 0 };
    uintptr_t paddr[2];
    for (seL4_Word i = 0; i < bi->untyped.end - bi->untyped.start; i++) {
        seL4_UntypedDesc *u = &bi->untypedList[i];
        if (u->isDevice) {
            continue;
        }
        int k = u->sizeBits > bits[0] ? 0 : u->sizeBits > bits[1] ? 1 : -1;
        if (k == 0) {
            uts[1] = uts[0], bits[1] = bits[0], paddr[1] = paddr[0];
        }
        if (k >= 0) {
            uts[k] = allocman_cspace_make_path(a, bi->untyped.start + i);
            bits[k] = u->sizeBits;
            paddr[k] = u->paddr;
        }
    }
    uintptr_t bad_paddr = paddr[0] + 8;
    CHECK("add_uts: misaligned untyped refused", allocman_utspace_add_uts(a, 1, uts, bits, &bad_paddr,
                                                                          ALLOCMAN_UT_KERNEL) == -1);
    CHECK("add_uts: unknown kind refused", allocman_utspace_add_uts(a, 1, uts, bits, paddr, 7) == -1);
    CHECK("add_uts: NULL arrays refused", allocman_utspace_add_uts(a, 1, NULL, bits, paddr, ALLOCMAN_UT_KERNEL) == -1);
    CHECK("allocman_utspace_add_uts of two RAM untypeds", allocman_utspace_add_uts(a, 2, uts, bits, paddr,
                                                                                   ALLOCMAN_UT_KERNEL) == 0);
    size_t s0, b0;
    allocman_stats(a, &s0, &b0);
    CHECK("their bytes are free", s0 == 1000 && b0 == BIT(bits[0]) + BIT(bits[1]));

    cspacepath_t path;
    int err = -1;
    CHECK("allocman_cspace_alloc", allocman_cspace_alloc(a, &path) == 0 && path.capPtr >= first &&
                                       path.capPtr < end && path.capDepth == seL4_WordBits);
    seL4_Word cookie = allocman_utspace_alloc(a, 10 + seL4_SlotBits, seL4_CapTableObject, &path, false, &err);
    CHECK("allocman_utspace_alloc: a CNode of 2^10 slots is 2^15 bytes", err == 0 && cookie != 0 &&
                                                                        seL4_DebugCapIdentify(path.capPtr) != 0);
    uintptr_t pa = allocman_utspace_paddr(a, cookie, 10 + seL4_SlotBits);
    CHECK("allocman_utspace_paddr: inside one of the untypeds, aligned",
          (pa & (BIT(15) - 1)) == 0 && ((pa >= paddr[0] && pa < paddr[0] + BIT(bits[0])) ||
                                         (pa >= paddr[1] && pa < paddr[1] + BIT(bits[1]))));
    allocman_stats(a, NULL, &bytes);
    CHECK("2^15 bytes in use", bytes == b0 - BIT(15));
    seL4_CNode_Delete(path.root, path.capPtr, path.capDepth);
    allocman_utspace_free(a, cookie, 10 + seL4_SlotBits);
    allocman_cspace_free(a, &path);
    allocman_stats(a, &slots, &bytes);
    CHECK("freed exactly", slots == s0 && bytes == b0);

    /* slots run out at 1000 even though the CNode has more */
    cspacepath_t p[1001];
    size_t n = 0;
    while (n < 1001 && allocman_cspace_alloc(a, &p[n]) == 0) {
        n++;
    }
    CHECK("only the 1000 slots it was given", n == 1000);
    err = 0;
    cspacepath_t spare = allocman_cspace_make_path(a, end + 5);
    CHECK("no slot for splitting: allocation fails with an error",
          allocman_utspace_alloc(a, seL4_PageBits, seL4_X86_4K, &spare, false, &err) == 0 && err != 0);
    for (size_t i = 0; i < n; i++) {
        allocman_cspace_free(a, &p[i]);
    }
    allocman_stats(a, &slots, &bytes);
    CHECK("slots back exactly", slots == s0 && bytes == b0);

    /* through a vka as well */
    vka_t vka;
    allocman_make_vka(&vka, a);
    vka_object_t o;
    CHECK("vka over it: a TCB", vka_alloc_tcb(&vka, &o) == 0);
    vka_free_object(&vka, &o);
    allocman_stats(a, &slots, &bytes);
    CHECK("vka over it: freed exactly", slots == s0 && bytes == b0);
    printf("lib_alloc_1level done\n");
    return check_failures != 0;
}
