/* A seeded random mix of allocations and frees of every object type through the vka, with
 * exact accounting checked along the way: live objects never overlap, free bytes always equal
 * the start minus what is live, device frames at a chosen paddr succeed exactly when that page
 * is free, and objects freed with copies or children left behind are cleaned up. At the end
 * everything is freed and allocman and kernel are back where they started. */
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

#define POOL_SIZE (1ul << 20)
static char pool[POOL_SIZE];

#define STEPS 20000
#define MAX_LIVE 400

struct live {
    vka_object_t obj;
    uintptr_t paddr;
    unsigned mem_bits;
    bool device;
    seL4_CPtr extra; /* a copy or child cap left behind on purpose, or 0 */
};
static struct live live[MAX_LIVE];
static size_t nlive;

static simple_t simple;
static vka_t vka;
static allocman_t *allocman;
static uint64_t rng = 0x5eed1234abcdull;

static uint64_t rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

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

static bool overlaps(uintptr_t pa, unsigned bits)
{
    for (size_t i = 0; i < nlive; i++) {
        if (pa < live[i].paddr + BIT(live[i].mem_bits) && live[i].paddr < pa + BIT(bits)) {
            return true;
        }
    }
    return false;
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

    /* a device untyped of at least 1 MiB for frames at chosen addresses */
    uintptr_t dev_base = 0;
    bool have_dev = false;
    for (seL4_Word i = 0; i < bi->untyped.end - bi->untyped.start && !have_dev; i++) {
        if (bi->untypedList[i].isDevice && bi->untypedList[i].sizeBits >= 20) {
            dev_base = bi->untypedList[i].paddr;
            have_dev = true;
        }
    }
    CHECK("a device untyped of 1 MiB exists", have_dev);

    size_t live_bytes = 0, allocs = 0, frees = 0, refused_dev = 0, overlap_bad = 0, acct_bad = 0,
           dev_bad = 0, cap_bad = 0, extras = 0, alloc_fail = 0;
    size_t count_by_type[seL4_ObjectTypeCount] = { 0 };
    for (int step = 0; step < STEPS; step++) {
        bool do_alloc = nlive == 0 || (nlive < MAX_LIVE && rnd() % 100 < 55);
        if (do_alloc) {
            struct live *l = &live[nlive];
            memset(l, 0, sizeof(*l));
            int err;
            seL4_Word type;
            unsigned arg;
            unsigned kind = rnd() % 14;
            switch (kind) {
            case 0: type = seL4_TCBObject; arg = seL4_TCBBits; break;
            case 1: type = seL4_EndpointObject; arg = seL4_EndpointBits; break;
            case 2: type = seL4_NotificationObject; arg = seL4_NotificationBits; break;
            case 3: type = seL4_ReplyObject; arg = seL4_ReplyBits; break;
            case 4: type = seL4_SchedContextObject; arg = 7 + rnd() % 4; break;
            case 5: type = seL4_CapTableObject; arg = 1 + rnd() % 8; break;
            case 6: type = seL4_UntypedObject; arg = 4 + rnd() % 19; break;
            case 7: type = seL4_X86_4K; arg = seL4_PageBits; break;
            case 8: type = rnd() % 8 == 0 ? seL4_X86_LargePageObject : seL4_X86_4K;
                    arg = type == seL4_X86_4K ? seL4_PageBits : seL4_LargePageBits; break;
            case 9: type = seL4_X86_PageTableObject; arg = seL4_PageTableBits; break;
            case 10: type = seL4_X86_PageDirectoryObject; arg = seL4_PageDirBits; break;
            case 11: type = seL4_X86_PDPTObject; arg = seL4_PDPTBits; break;
            case 12: type = seL4_X64_PML4Object; arg = seL4_PML4Bits; break;
            default: type = seL4_X86_4K; arg = seL4_PageBits; break; /* 13: device frame */
            }
            unsigned mem = vka_get_object_size(type, arg);
            if (kind == 13) {
                uintptr_t pa = dev_base + (rnd() % 64) * BIT(seL4_PageBits);
                bool busy = overlaps(pa, seL4_PageBits);
                err = vka_alloc_frame_at(&vka, seL4_PageBits, pa, &l->obj);
                if ((err == 0) == busy) {
                    dev_bad++;
                }
                if (err != 0) {
                    refused_dev++;
                    continue;
                }
                l->device = true;
            } else {
                err = vka_alloc_object(&vka, type, arg, &l->obj);
                if (err != 0) {
                    alloc_fail++;
                    continue;
                }
            }
            l->paddr = vka_object_paddr(&vka, &l->obj);
            l->mem_bits = mem;
            if ((l->paddr & (BIT(mem) - 1)) != 0 || overlaps(l->paddr, mem)) {
                overlap_bad++;
            }
            if (seL4_DebugCapIdentify(l->obj.cptr) == 0) {
                cap_bad++;
            }
            /* now and then leave a copy (or, for a large untyped, a child frame) behind */
            bool paging = type == seL4_X86_PageTableObject || type == seL4_X86_PageDirectoryObject ||
                          type == seL4_X86_PDPTObject || type == seL4_X64_PML4Object; /* copies need a mapping */
            if (!paging && rnd() % 6 == 0 && vka_cspace_alloc(&vka, &l->extra) == 0) {
                seL4_Error e;
                if (type == seL4_UntypedObject && arg >= seL4_PageBits) {
                    e = seL4_Untyped_Retype(l->obj.cptr, seL4_X86_4K, 0, seL4_CapInitThreadCNode, 0, 0, l->extra, 1);
                } else {
                    e = seL4_CNode_Copy(seL4_CapInitThreadCNode, l->extra, seL4_WordBits, seL4_CapInitThreadCNode,
                                        l->obj.cptr, seL4_WordBits, seL4_AllRights);
                }
                if (e != seL4_NoError) {
                    cap_bad++;
                }
                extras++;
            }
            if (!l->device) {
                live_bytes += BIT(mem);
            }
            count_by_type[type]++;
            nlive++;
            allocs++;
        } else {
            size_t i = rnd() % nlive;
            struct live *l = &live[i];
            vka_free_object(&vka, &l->obj);
            if (l->extra != 0) {
                if (seL4_DebugCapIdentify(l->extra) != 0) {
                    cap_bad++; /* freeing must have revoked it */
                    seL4_CNode_Delete(seL4_CapInitThreadCNode, l->extra, seL4_WordBits);
                }
                vka_cspace_free(&vka, l->extra);
            }
            if (!l->device) {
                live_bytes -= BIT(l->mem_bits);
            }
            live[i] = live[--nlive];
            frees++;
        }
        if (free_bytes() != b0 - live_bytes) {
            acct_bad++;
        }
    }
    printf("%zu allocations (%zu failed, %zu device frames refused as busy), %zu frees, %zu copies/children "
           "left behind, %zu live, %zu bytes live\n", allocs, alloc_fail, refused_dev, frees, extras, nlive,
           live_bytes);
    for (int t = 0; t < seL4_ObjectTypeCount; t++) {
        printf("  type %d: %zu\n", t, count_by_type[t]);
    }
    CHECK("every allocation succeeded (memory and slots were plentiful)", alloc_fail == 0);
    CHECK("every object of every type was allocated", count_by_type[seL4_TCBObject] && count_by_type[seL4_X64_PML4Object] &&
                                                          count_by_type[seL4_X86_LargePageObject] &&
                                                          count_by_type[seL4_CapTableObject] &&
                                                          count_by_type[seL4_SchedContextObject]);
    CHECK("objects are aligned and never overlap", overlap_bad == 0);
    CHECK("every object has its cap; copies/children were revoked on free", cap_bad == 0);
    CHECK("free bytes always equal the start minus the live bytes", acct_bad == 0);
    CHECK("device frames at a paddr: granted exactly when the page was free", dev_bad == 0 && refused_dev > 0);

    while (nlive > 0) {
        struct live *l = &live[--nlive];
        vka_free_object(&vka, &l->obj);
        if (l->extra != 0) {
            vka_cspace_free(&vka, l->extra);
        }
    }
    CHECK("after freeing everything: slots and bytes exactly as at the start", free_slots() == s0 && free_bytes() == b0);
    bool empty = true;
    for (seL4_Word s = bi->empty.start; s < bi->empty.end && empty; s++) {
        empty = seL4_DebugCapIdentify(s) == 0;
    }
    CHECK("after freeing everything: every managed slot is empty in the kernel", empty);
    seL4_CPtr slot;
    bool whole = vka_cspace_alloc(&vka, &slot) == 0;
    for (seL4_Word i = 0; i < bi->untyped.end - bi->untyped.start && whole; i++) {
        seL4_UntypedDesc *u = &bi->untypedList[i];
        whole = seL4_Untyped_Retype(bi->untyped.start + i, seL4_UntypedObject, u->sizeBits, seL4_CapInitThreadCNode,
                                    0, 0, slot, 1) == seL4_NoError;
        seL4_CNode_Delete(seL4_CapInitThreadCNode, slot, seL4_WordBits);
    }
    CHECK("after freeing everything: every boot untyped (RAM and device) can be retyped whole", whole);
    printf("lib_alloc_random done\n");
    return check_failures != 0;
}
