/* Exhausting the allocman: slots until none is left, untyped memory until none is left, 4 KiB
 * frames until the kernel's slots or memory run out. Each ends in an error, not a crash, and
 * freeing everything restores the free counts exactly; the kernel agrees (every boot untyped
 * can be retyped whole again, every managed slot is empty). */
#include <stdio.h>
#include <string.h>
#include <sel4/sel4.h>
#include <sel4platsupport/bootinfo.h>
#include <simple/simple.h>
#include <simple-default/simple-default.h>
#include <vka/object.h>
#include <vka/capops.h>
#include <allocman/allocman.h>
#include <allocman/bootstrap.h>
#include <allocman/vka.h>
#include "../common/check.h"

/* Big enough for the records of a whole 2^16-slot CNode: the allocman is never the limit. */
#define POOL_SIZE (4ul << 20)
static char pool[POOL_SIZE];

#define MAX_OBJECTS 70000
static vka_object_t objs[MAX_OBJECTS];
static seL4_CPtr slots[1ul << 16];

static simple_t simple;
static vka_t vka;
static allocman_t *allocman;

static size_t free_slots(void)
{
    size_t s = 0;
    allocman_stats(allocman, &s, NULL);
    return s;
}

static size_t free_bytes(void)
{
    size_t b = 0;
    allocman_stats(allocman, NULL, &b);
    return b;
}

/* The kernel's view: every slot of the empty region is empty. */
static bool all_slots_empty(seL4_BootInfo *bi)
{
    for (seL4_Word s = bi->empty.start; s < bi->empty.end; s++) {
        if (seL4_DebugCapIdentify(s) != 0) {
            printf("slot %lu is not empty\n", (unsigned long)s);
            return false;
        }
    }
    return true;
}

/* The kernel's view: every RAM boot untyped has no children (a whole-size Retype works). */
static bool all_untypeds_whole(seL4_BootInfo *bi)
{
    seL4_CPtr slot;
    if (vka_cspace_alloc(&vka, &slot) != 0) {
        return false;
    }
    bool ok = true;
    for (seL4_Word i = 0; i < bi->untyped.end - bi->untyped.start && ok; i++) {
        seL4_UntypedDesc *u = &bi->untypedList[i];
        if (u->isDevice) {
            continue;
        }
        seL4_Error err = seL4_Untyped_Retype(bi->untyped.start + i, seL4_UntypedObject, u->sizeBits,
                                             seL4_CapInitThreadCNode, 0, 0, slot, 1);
        if (err != seL4_NoError) {
            printf("untyped %lu (2^%u at %p) cannot be retyped whole: error %d\n", (unsigned long)i,
                   u->sizeBits, (void *)u->paddr, (int)err);
            ok = false;
        }
        seL4_CNode_Delete(seL4_CapInitThreadCNode, slot, seL4_WordBits);
    }
    vka_cspace_free(&vka, slot);
    return ok;
}

int main(void)
{
    seL4_BootInfo *bi = platsupport_get_bootinfo();
    simple_default_init_bootinfo(&simple, bi);
    allocman = bootstrap_use_current_simple(&simple, POOL_SIZE, pool);
    CHECK("bootstrap_use_current_simple", allocman != NULL);
    if (allocman == NULL) {
        return 1;
    }
    allocman_make_vka(&vka, allocman);
    size_t s0 = free_slots(), b0 = free_bytes();
    printf("start: %zu free slots, %zu free bytes\n", s0, b0);

    /* 1. slots */
    size_t n = 0;
    while (n < ARRAY_SIZE(slots) && vka_cspace_alloc(&vka, &slots[n]) == 0) {
        n++;
    }
    printf("allocated %zu slots\n", n);
    CHECK("slots: every empty slot is handed out, then an error", n == s0 && free_slots() == 0);
    vka_object_t o;
    CHECK("slots: an endpoint without a free slot is an error", vka_alloc_endpoint(&vka, &o) != 0 &&
                                                                  free_bytes() == b0);
    cspacepath_t p;
    CHECK("slots: vka_cspace_alloc_path too", vka_cspace_alloc_path(&vka, &p) != 0);
    for (size_t i = 0; i < n; i++) {
        vka_cspace_free(&vka, slots[i]);
    }
    CHECK("slots: freeing them all restores the count exactly", free_slots() == s0);
    CHECK("slots: the allocator hands out the same slots again",
          vka_cspace_alloc(&vka, &slots[0]) == 0 && slots[0] >= bi->empty.start);
    vka_cspace_free(&vka, slots[0]);

    /* 2. untyped memory, largest first */
    n = 0;
    size_t got = 0;
    for (int bits = seL4_MaxUntypedBits; bits >= seL4_MinUntypedBits; bits--) {
        while (n < MAX_OBJECTS && vka_alloc_untyped(&vka, bits, &objs[n]) == 0) {
            got += BIT(bits);
            n++;
        }
    }
    printf("allocated %zu untypeds, %zu bytes; %zu slots left\n", n, got, free_slots());
    CHECK("memory: all of it is handed out as untypeds", got == b0 && free_bytes() == 0);
    size_t s_full = free_slots();
    CHECK("memory: then a frame is an error", vka_alloc_frame(&vka, seL4_PageBits, &o) != 0);
    CHECK("memory: and an endpoint is an error", vka_alloc_endpoint(&vka, &o) != 0);
    CHECK("memory: failed allocations took no slot", free_slots() == s_full && free_bytes() == 0);
    bool caps_ok = true;
    for (size_t i = 0; i < n; i++) {
        caps_ok = caps_ok && seL4_DebugCapIdentify(objs[i].cptr) != 0;
    }
    CHECK("memory: every untyped cap is in its slot", caps_ok);
    for (size_t i = 0; i < n; i++) {
        vka_free_object(&vka, &objs[i]);
    }
    CHECK("memory: freeing it all restores slots and bytes exactly", free_slots() == s0 && free_bytes() == b0);
    CHECK("memory: the kernel can retype every RAM untyped whole again", all_untypeds_whole(bi));

    /* 3. 4 KiB frames until the kernel's slots (or memory) run out */
    n = 0;
    int err = 0;
    while (n < MAX_OBJECTS && (err = vka_alloc_frame(&vka, seL4_PageBits, &objs[n])) == 0) {
        n++;
    }
    size_t s_left = free_slots(), b_left = free_bytes();
    printf("allocated %zu frames; %zu slots and %zu bytes left\n", n, s_left, b_left);
    CHECK("frames: the last allocation is an error", err != 0 && n < MAX_OBJECTS);
    CHECK("frames: it failed only when slots or memory really ran out",
          s_left < 2 * seL4_MaxUntypedBits || b_left < BIT(seL4_PageBits));
    /* each frame takes its own slot, its block's and a share of the split tree's */
    CHECK("frames: about a third of the slots became frames", n > s0 / 4);
    for (size_t i = 0; i < n; i++) {
        vka_free_object(&vka, &objs[i]);
    }
    CHECK("frames: freeing them all restores slots and bytes exactly", free_slots() == s0 && free_bytes() == b0);
    CHECK("frames: every managed slot is empty in the kernel", all_slots_empty(bi));
    CHECK("frames: the kernel can retype every RAM untyped whole again", all_untypeds_whole(bi));
    printf("lib_alloc_exhaust done\n");
    return check_failures != 0;
}
