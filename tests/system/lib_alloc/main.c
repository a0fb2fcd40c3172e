/* The tutorials' allocator stack: simple-default over BootInfo, an allocman bootstrapped with
 * bootstrap_use_current_simple and used through allocman_make_vka. Every object type is
 * allocated and freed with exact accounting; bad arguments are refused with errors. */
#include <stdio.h>
#include <string.h>
#include <sel4/sel4.h>
#include <sel4platsupport/bootinfo.h>
#include <simple/simple.h>
#include <simple-default/simple-default.h>
#include <simple/simple_helpers.h>
#include <vka/object.h>
#include <vka/capops.h>
#include <vka/object_capops.h>
#include <allocman/allocman.h>
#include <allocman/bootstrap.h>
#include <allocman/vka.h>
#include "../common/check.h"

#define POOL_SIZE (BIT(seL4_PageBits) * 10) /* what the dynamic tutorials give it */
static char pool[POOL_SIZE];

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

/* Is [paddr, paddr + 2^bits) inside a RAM (device == false) or device untyped of bi? */
static bool inside_untyped(seL4_BootInfo *bi, uintptr_t paddr, unsigned bits, bool device)
{
    for (seL4_Word i = 0; i < bi->untyped.end - bi->untyped.start; i++) {
        seL4_UntypedDesc *u = &bi->untypedList[i];
        if (!!u->isDevice == device && paddr >= u->paddr &&
            paddr + BIT(bits) <= u->paddr + BIT(u->sizeBits)) {
            return true;
        }
    }
    return false;
}

int main(void)
{
    seL4_BootInfo *bi = platsupport_get_bootinfo();
    simple_default_init_bootinfo(&simple, bi);
    simple_print(&simple);

    /* simple over BootInfo */
    CHECK("simple: init caps", simple_get_cnode(&simple) == seL4_CapInitThreadCNode &&
                                   simple_get_pd(&simple) == seL4_CapInitThreadVSpace &&
                                   simple_get_tcb(&simple) == seL4_CapInitThreadTCB &&
                                   simple_get_irq_ctrl(&simple) == seL4_CapIRQControl &&
                                   simple_get_init_cap(&simple, seL4_CapDomain) == seL4_CapDomain &&
                                   simple_get_sc(&simple) == seL4_CapInitThreadSC);
    CHECK("simple: cnode size", simple_get_cnode_size_bits(&simple) == (int)bi->initThreadCNodeSizeBits);
    CHECK("simple: one core, its SchedControl",
          simple_get_core_count(&simple) == 1 && simple_get_sched_ctrl(&simple, 0) == bi->schedcontrol.start);
    CHECK("simple: no SchedControl for core 1 or -1",
          simple_get_sched_ctrl(&simple, 1) == seL4_CapNull && simple_get_sched_ctrl(&simple, -1) == seL4_CapNull);
    int nut = simple_get_untyped_count(&simple);
    bool ut_ok = nut == (int)(bi->untyped.end - bi->untyped.start) && nut > 0;
    for (int i = 0; i < nut && ut_ok; i++) {
        size_t bits;
        uintptr_t paddr;
        bool dev;
        seL4_CPtr c = simple_get_nth_untyped(&simple, i, &bits, &paddr, &dev);
        ut_ok = c == bi->untyped.start + i && bits == bi->untypedList[i].sizeBits &&
                paddr == bi->untypedList[i].paddr && dev == !!bi->untypedList[i].isDevice;
    }
    CHECK("simple: untypeds as in BootInfo", ut_ok);
    CHECK("simple: untyped index out of range refused",
          simple_get_nth_untyped(&simple, nut, NULL, NULL, NULL) == seL4_CapNull &&
              simple_get_nth_untyped(&simple, -1, NULL, NULL, NULL) == seL4_CapNull);
    CHECK("simple: user image frames",
          simple_get_userimage_count(&simple) == (int)(bi->userImageFrames.end - bi->userImageFrames.start) &&
              simple_get_nth_userimage(&simple, 0) == bi->userImageFrames.start &&
              simple_get_nth_userimage(&simple, simple_get_userimage_count(&simple)) == seL4_CapNull);
    seL4_CPtr last = 0;
    for (int i = 0; i < simple_get_cap_count(&simple); i++) {
        seL4_CPtr c = simple_get_nth_cap(&simple, i);
        last = c > last ? c : last;
        if (seL4_DebugCapIdentify(c) == 0) {
            printf("cap %d (slot %lu) is empty\n", i, (unsigned long)c);
            last = (seL4_CPtr)-1;
            break;
        }
    }
    CHECK("simple: every cap it lists is there; the last is just before the empty region",
          last + 1 == bi->empty.start);
    CHECK("simple_last_valid_cap / simple_is_untyped_cap",
          simple_last_valid_cap(&simple) == bi->empty.start - 1 && simple_is_untyped_cap(&simple, bi->untyped.start) &&
              !simple_is_untyped_cap(&simple, seL4_CapInitThreadTCB));
    CHECK("simple: missing extended bootinfo chunk is -1",
          simple_get_extended_bootinfo_length(&simple, 0x7777) == -1);
    {
        cspacepath_t p = { 0 };
        CHECK("simple: NULL simple refused", simple_get_cnode(NULL) == seL4_CapNull &&
                                                 simple_get_untyped_count(NULL) == -1 &&
                                                 simple_get_IRQ_handler(NULL, 1, p) == seL4_InvalidArgument);
    }

    /* bootstrap refusals */
    CHECK("bootstrap: NULL pool refused", bootstrap_use_current_simple(&simple, POOL_SIZE, NULL) == NULL);
    CHECK("bootstrap: tiny pool refused", bootstrap_use_current_simple(&simple, 100, pool) == NULL);
    CHECK("bootstrap: NULL simple refused", bootstrap_use_current_simple(NULL, POOL_SIZE, pool) == NULL);

    allocman = bootstrap_use_current_simple(&simple, POOL_SIZE, pool);
    CHECK("bootstrap_use_current_simple with the tutorials' 40 KiB pool", allocman != NULL);
    if (allocman == NULL) {
        return 1;
    }
    allocman_make_vka(&vka, allocman);

    size_t ram = 0;
    for (seL4_Word i = 0; i < bi->untyped.end - bi->untyped.start; i++) {
        if (!bi->untypedList[i].isDevice) {
            ram += BIT(bi->untypedList[i].sizeBits);
        }
    }
    size_t s0 = free_slots(), b0 = free_bytes();
    printf("allocman: %zu free slots, %zu free bytes\n", s0, b0);
    CHECK("all empty slots are free", s0 == bi->empty.end - bi->empty.start);
    CHECK("all RAM untyped memory is free", b0 == ram);

    /* a slot, its path */
    seL4_CPtr slot = 0;
    cspacepath_t path;
    CHECK("vka_cspace_alloc", vka_cspace_alloc(&vka, &slot) == 0 && slot >= bi->empty.start &&
                                  slot < bi->empty.end && free_slots() == s0 - 1);
    vka_cspace_make_path(&vka, slot, &path);
    CHECK("vka_cspace_make_path: single-level root CNode path",
          path.capPtr == slot && path.capDepth == seL4_WordBits && path.root == seL4_CapInitThreadCNode &&
              path.destDepth == 0 && path.offset == slot && path.window == 1);
    vka_cspace_free(&vka, slot);
    CHECK("vka_cspace_free", free_slots() == s0);
    CHECK("vka_cspace_alloc_path", vka_cspace_alloc_path(&vka, &path) == 0 && free_slots() == s0 - 1);
    vka_cspace_free_path(&vka, path);
    CHECK("vka_cspace_free_path", free_slots() == s0);

    /* every object type through its helper */
    struct {
        const char *name;
        int (*alloc)(vka_t *, vka_object_t *);
        seL4_Word type;
        unsigned bits;
    } typed[] = {
        { "vka_alloc_tcb", vka_alloc_tcb, seL4_TCBObject, seL4_TCBBits },
        { "vka_alloc_endpoint", vka_alloc_endpoint, seL4_EndpointObject, seL4_EndpointBits },
        { "vka_alloc_notification", vka_alloc_notification, seL4_NotificationObject, seL4_NotificationBits },
        { "vka_alloc_reply", vka_alloc_reply, seL4_ReplyObject, seL4_ReplyBits },
        { "vka_alloc_sched_context", vka_alloc_sched_context, seL4_SchedContextObject, seL4_MinSchedContextBits },
        { "vka_alloc_page_table", vka_alloc_page_table, seL4_X86_PageTableObject, seL4_PageTableBits },
        { "vka_alloc_page_directory", vka_alloc_page_directory, seL4_X86_PageDirectoryObject, seL4_PageDirBits },
        { "vka_alloc_pdpt", vka_alloc_pdpt, seL4_X86_PDPTObject, seL4_PDPTBits },
        { "vka_alloc_vspace_root", vka_alloc_vspace_root, seL4_X64_PML4Object, seL4_PML4Bits },
    };
    for (size_t i = 0; i < ARRAY_SIZE(typed); i++) {
        vka_object_t o;
        char name[96];
        int err = typed[i].alloc(&vka, &o);
        uintptr_t pa = vka_object_paddr(&vka, &o);
        snprintf(name, sizeof(name), "%s: a cap, aligned RAM paddr, 2^%u bytes used", typed[i].name, typed[i].bits);
        CHECK(name, err == 0 && seL4_DebugCapIdentify(o.cptr) != 0 && o.type == typed[i].type &&
                        (pa & (BIT(typed[i].bits) - 1)) == 0 && inside_untyped(bi, pa, typed[i].bits, false) &&
                        free_bytes() == b0 - BIT(typed[i].bits) && free_slots() < s0);
        vka_free_object(&vka, &o);
        snprintf(name, sizeof(name), "%s: freeing restores slots and bytes exactly", typed[i].name);
        CHECK(name, free_slots() == s0 && free_bytes() == b0 && seL4_DebugCapIdentify(o.cptr) == 0);
    }
    struct {
        const char *name;
        int (*alloc)(vka_t *, uint32_t, vka_object_t *);
        uint32_t arg;
        unsigned bits;
    } sized[] = {
        { "vka_alloc_untyped(4)", vka_alloc_untyped, 4, 4 },
        { "vka_alloc_untyped(20)", vka_alloc_untyped, 20, 20 },
        { "vka_alloc_frame(12)", vka_alloc_frame, 12, 12 },
        { "vka_alloc_frame(21)", vka_alloc_frame, 21, 21 },
        { "vka_alloc_cnode_object(1)", vka_alloc_cnode_object, 1, 6 },
        { "vka_alloc_cnode_object(10)", vka_alloc_cnode_object, 10, 15 },
    };
    for (size_t i = 0; i < ARRAY_SIZE(sized); i++) {
        vka_object_t o;
        char name[96];
        int err = sized[i].alloc(&vka, sized[i].arg, &o);
        uintptr_t pa = vka_object_paddr(&vka, &o);
        snprintf(name, sizeof(name), "%s: a cap, aligned RAM paddr, 2^%u bytes used", sized[i].name, sized[i].bits);
        CHECK(name, err == 0 && seL4_DebugCapIdentify(o.cptr) != 0 && (pa & (BIT(sized[i].bits) - 1)) == 0 &&
                        inside_untyped(bi, pa, sized[i].bits, false) && free_bytes() == b0 - BIT(sized[i].bits));
        vka_free_object(&vka, &o);
        snprintf(name, sizeof(name), "%s: freeing restores slots and bytes exactly", sized[i].name);
        CHECK(name, free_slots() == s0 && free_bytes() == b0);
    }
    {
        vka_object_t o;
        CHECK("vka_alloc_sched_context_size(10)",
              vka_alloc_sched_context_size(&vka, &o, 10) == 0 && free_bytes() == b0 - BIT(10));
        vka_free_object(&vka, &o);
        CHECK("... freed exactly", free_slots() == s0 && free_bytes() == b0);
        CHECK("vka_alloc_frame_maybe_device(12, true) takes RAM first",
              vka_alloc_frame_maybe_device(&vka, 12, true, &o) == 0 &&
                  inside_untyped(bi, vka_object_paddr(&vka, &o), 12, false));
        vka_free_object(&vka, &o);
        CHECK("... freed exactly", free_slots() == s0 && free_bytes() == b0);
        seL4_CPtr leaky = vka_alloc_endpoint_leaky(&vka);
        CHECK("vka_alloc_endpoint_leaky", leaky != 0 && seL4_DebugCapIdentify(leaky) != 0 &&
                                              free_bytes() == b0 - BIT(seL4_EndpointBits));
    }
    size_t s1 = free_slots(), b1 = free_bytes();

    /* objects work: a frame maps, an endpoint mints */
    {
        vka_object_t ep, frame;
        cspacepath_t minted;
        CHECK("vka_mint_object of an endpoint with a badge",
              vka_alloc_endpoint(&vka, &ep) == 0 && vka_mint_object(&vka, &ep, &minted, seL4_AllRights, 0x61) == 0 &&
                  seL4_DebugCapIdentify(minted.capPtr) != 0);
        cspacepath_t copy;
        vka_cspace_alloc_path(&vka, &copy);
        cspacepath_t src;
        vka_cspace_make_path(&vka, ep.cptr, &src);
        CHECK("vka_cnode_copy / move / delete", vka_cnode_copy(&copy, &src, seL4_AllRights) == 0 &&
                                                    vka_cnode_delete(&copy) == 0);
        vka_cspace_free_path(&vka, copy);
        /* the minted copy is left in place: freeing the endpoint must still return everything */
        vka_free_object(&vka, &ep);
        CHECK("freeing an object whose copies were not deleted revokes them",
              seL4_DebugCapIdentify(minted.capPtr) == 0 && free_bytes() == b1);
        vka_cspace_free_path(&vka, minted);
        CHECK("... and the accounting is exact", free_slots() == s1 && free_bytes() == b1);

        CHECK("a frame cap reaches Page_Map (no page table there: FailedLookup)",
              vka_alloc_frame(&vka, seL4_PageBits, &frame) == 0 &&
                  seL4_X86_Page_Map(frame.cptr, seL4_CapInitThreadVSpace, 0x20000000, seL4_AllRights,
                                    seL4_X86_Default_VMAttributes) == seL4_FailedLookup);
        vka_free_object(&vka, &frame);
        CHECK("... freed exactly", free_slots() == s1 && free_bytes() == b1);
    }

    /* device memory at a physical address */
    {
        seL4_Word dev = (seL4_Word)-1;
        for (seL4_Word i = 0; i < bi->untyped.end - bi->untyped.start; i++) {
            if (bi->untypedList[i].isDevice && bi->untypedList[i].sizeBits >= 16) {
                dev = i;
                break;
            }
        }
        if (dev != (seL4_Word)-1) {
            uintptr_t pa = bi->untypedList[dev].paddr + 3 * BIT(seL4_PageBits);
            vka_object_t f, g;
            CHECK("vka_alloc_frame_at a device paddr",
                  vka_alloc_frame_at(&vka, seL4_PageBits, pa, &f) == 0 && vka_object_paddr(&vka, &f) == pa &&
                      free_bytes() == b1);
            CHECK("vka_alloc_frame_at the same paddr again is refused",
                  vka_alloc_frame_at(&vka, seL4_PageBits, pa, &g) != 0 && g.cptr == 0);
            CHECK("a TCB in device memory is refused",
                  vka_alloc_object_at(&vka, seL4_TCBObject, seL4_TCBBits, pa + BIT(seL4_PageBits), &g) != 0);
            vka_free_object(&vka, &f);
            CHECK("... freed exactly", free_slots() == s1 && free_bytes() == b1);
            CHECK("vka_alloc_frame_at a misaligned paddr is refused",
                  vka_alloc_frame_at(&vka, seL4_PageBits, pa + 8, &g) != 0 && free_slots() == s1);
        } else {
            CHECK("a device untyped of 64 KiB exists", false);
        }
        uintptr_t ram_pa = 0;
        for (seL4_Word i = 0; i < bi->untyped.end - bi->untyped.start; i++) {
            if (!bi->untypedList[i].isDevice && bi->untypedList[i].sizeBits >= 22) {
                ram_pa = bi->untypedList[i].paddr + BIT(21);
                break;
            }
        }
        vka_object_t f;
        CHECK("vka_alloc_frame_at a RAM paddr (2 MiB frame)",
              vka_alloc_frame_at(&vka, seL4_LargePageBits, ram_pa, &f) == 0 &&
                  vka_object_paddr(&vka, &f) == ram_pa && free_bytes() == b1 - BIT(21));
        vka_free_object(&vka, &f);
        CHECK("... freed exactly", free_slots() == s1 && free_bytes() == b1);
        CHECK("vka_alloc_frame_at an address no untyped covers is refused",
              vka_alloc_frame_at(&vka, seL4_PageBits, (uintptr_t)1 << 50, &f) != 0);
    }

    /* IO ports and IRQs through simple into allocated slots */
    {
        cspacepath_t p;
        vka_cspace_alloc_path(&vka, &p);
        CHECK("simple_get_IOPort_cap into an allocated slot",
              simple_get_IOPort_cap(&simple, 0x70, 0x71, p.root, p.capPtr, p.capDepth) == seL4_NoError &&
                  seL4_DebugCapIdentify(p.capPtr) != 0);
        vka_cnode_delete(&p);
        CHECK("simple_get_IRQ_handler into an allocated slot",
              simple_get_IRQ_handler(&simple, 10, p) == seL4_NoError && seL4_DebugCapIdentify(p.capPtr) != 0);
        vka_cnode_delete(&p);
        vka_cspace_free_path(&vka, p);
    }

    /* bad arguments */
    {
        vka_object_t o;
        memset(&o, 0x5a, sizeof(o));
        CHECK("unknown object type refused", vka_alloc_object(&vka, 99, 12, &o) != 0 && o.cptr == 0);
        CHECK("untyped of 2^3 bytes refused", vka_alloc_untyped(&vka, 3, &o) != 0);
        CHECK("untyped of 2^48 bytes refused", vka_alloc_untyped(&vka, 48, &o) != 0);
        CHECK("untyped larger than any free block refused", vka_alloc_untyped(&vka, 47, &o) != 0);
        CHECK("CNode of 2^0 slots refused", vka_alloc_cnode_object(&vka, 0, &o) != 0);
        CHECK("sched context of 2^6 bytes refused", vka_alloc_sched_context_size(&vka, &o, 6) != 0);
        CHECK("frame of 2^13 bytes refused", vka_alloc_frame(&vka, 13, &o) != 0);
        CHECK("NULL result refused", vka_alloc_endpoint(&vka, NULL) != 0);
        CHECK("NULL vka refused", vka_alloc_endpoint(NULL, &o) != 0);
        CHECK("NULL res in cspace_alloc refused", vka_cspace_alloc(&vka, NULL) != 0);
        seL4_Word cookie;
        CHECK("NULL dest path refused",
              vka_utspace_alloc(&vka, NULL, seL4_EndpointObject, seL4_EndpointBits, &cookie) != 0);
        CHECK("failed allocations leaked nothing", free_slots() == s1 && free_bytes() == b1);
        vka_utspace_free(&vka, seL4_EndpointObject, seL4_EndpointBits, 0x1234);
        vka_utspace_free(&vka, seL4_EndpointObject, seL4_EndpointBits, (seL4_Word)pool + 64);
        CHECK("freeing a bogus cookie is refused", free_slots() == s1 && free_bytes() == b1);
        CHECK("paddr of a bogus cookie is VKA_NO_PADDR",
              vka_utspace_paddr(&vka, 0x1234, seL4_EndpointObject, seL4_EndpointBits) == VKA_NO_PADDR);
        vka_cspace_free(&vka, 5);
        vka_cspace_free(&vka, bi->empty.end - 1); /* never allocated */
        CHECK("freeing slots it never gave out is refused", free_slots() == s1);
        vka_object_t e;
        vka_alloc_endpoint(&vka, &e);
        vka_free_object(&vka, &e);
        vka_utspace_free(&vka, e.type, e.size_bits, e.ut);
        CHECK("double free of an object is refused", free_slots() == s1 && free_bytes() == b1);
        vka_alloc_endpoint(&vka, &e);
        vka_utspace_free(&vka, seL4_TCBObject, seL4_TCBBits, e.ut);
        CHECK("freeing with the wrong size is refused", free_bytes() == b1 - BIT(seL4_EndpointBits));
        vka_free_object(&vka, &e);
        CHECK("... the right free still works", free_slots() == s1 && free_bytes() == b1);
        int err = -7;
        CHECK("allocman_utspace_alloc with size not matching the type refused",
              allocman_utspace_alloc(allocman, 12, seL4_TCBObject, &path, false, &err) == 0 && err != 0);
        CHECK("bootstrap_configure_virtual_pool: bad arguments refused",
              bootstrap_configure_virtual_pool(allocman, (void *)0x1001, 4096, seL4_CapInitThreadVSpace) == -1 &&
                  bootstrap_configure_virtual_pool(allocman, (void *)0x10000000, 10, seL4_CapInitThreadVSpace) == -1 &&
                  bootstrap_configure_virtual_pool(NULL, (void *)0x10000000, 4096, seL4_CapInitThreadVSpace) == -1);
        CHECK("allocman_stats(NULL) refused", allocman_stats(NULL, NULL, NULL) == -1);
    }
    printf("lib_alloc done\n");
    return check_failures != 0;
}
