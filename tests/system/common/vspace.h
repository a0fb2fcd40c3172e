/*
 * System-test helpers for address spaces (include after thread.h): a new VSpace (a PML4
 * assigned an ASID in the root task's pool); mapping a frame into any VSpace, making the
 * paging structures that are missing on the way; sharing the root task's image with another
 * VSpace (copies of the image's frame caps mapped at the same addresses: the same program,
 * the same globals); threads that run in another VSpace with their own stack and IPC buffer
 * pages; and raw invocations that return the whole reply (label, length, MRs).
 */
#pragma once
#include <sel4/sel4.h>
#include <sel4/arch/mapping.h>
#include "thread.h"

/* Where test_thread_in puts each thread's stack and IPC buffer: 2 MiB apart from here. */
#define TEST_VSPACE_THREAD_BASE 0x100000000000ul
#define TEST_VSPACE_STACK_PAGES 4

/* A copy of a cap in a new slot of the root CNode (frames: an unmapped copy). */
static __attribute__((unused)) seL4_CPtr test_copy_cap(seL4_CPtr cap, seL4_CapRights_t rights)
{
    seL4_CPtr slot = 0;
    if (cairn_alloc_slot(&test_alloc, &slot) != seL4_NoError)
        printf("FAIL: test helper: out of slots\n");
    seL4_Error e = seL4_CNode_Copy(seL4_CapInitThreadCNode, slot, 64, seL4_CapInitThreadCNode, cap, 64, rights);
    if (e)
        printf("FAIL: test helper: copying cap %lu failed with error %d\n", (unsigned long)cap, (int)e);
    return slot;
}

/* Map a paging structure of the level seL4_MappingFailedLookupLevel() said was missing. */
static __attribute__((unused)) seL4_Error test_map_missing_table(seL4_CPtr vspace, seL4_Word vaddr, seL4_Word level)
{
    switch (level) {
    case SEL4_MAPPING_LOOKUP_NO_PDPT:
        return seL4_X86_PDPT_Map(test_alloc_obj(seL4_X86_PDPTObject, 0), vspace, vaddr, seL4_X86_Default_VMAttributes);
    case SEL4_MAPPING_LOOKUP_NO_PD:
        return seL4_X86_PageDirectory_Map(test_alloc_obj(seL4_X86_PageDirectoryObject, 0), vspace, vaddr,
                                          seL4_X86_Default_VMAttributes);
    case SEL4_MAPPING_LOOKUP_NO_PT:
        return seL4_X86_PageTable_Map(test_alloc_obj(seL4_X86_PageTableObject, 0), vspace, vaddr,
                                      seL4_X86_Default_VMAttributes);
    default:
        printf("FAIL: test helper: Map failed with an unexpected lookup level %lu\n", (unsigned long)level);
        return seL4_InvalidArgument;
    }
}

/* Map a frame (any size) at vaddr, making the paging structures that are missing. */
static __attribute__((unused)) seL4_Error test_map_frame(seL4_CPtr vspace, seL4_CPtr frame, seL4_Word vaddr,
                                                         seL4_CapRights_t rights, seL4_Word attr)
{
    for (int tries = 0; tries < 4; tries++) {
        seL4_Error e = seL4_X86_Page_Map(frame, vspace, vaddr, rights, attr);
        if (e != seL4_FailedLookup)
            return e;
        if ((e = test_map_missing_table(vspace, vaddr, seL4_MappingFailedLookupLevel())))
            return e;
    }
    return seL4_FailedLookup;
}

/* A new address space: a PML4 assigned an ASID from the root task's pool. */
static __attribute__((unused)) seL4_CPtr test_vspace_new(void)
{
    seL4_CPtr pml4 = test_alloc_obj(seL4_X64_PML4Object, 0);
    seL4_Error e = seL4_X86_ASIDPool_Assign(seL4_CapInitThreadASIDPool, pml4);
    if (e)
        printf("FAIL: test helper: ASIDPool_Assign failed with error %d\n", (int)e);
    return pml4;
}

/* Map the root task's whole image into vspace at the same addresses (read-write, as the root
 * task has it): code, data and bss are then shared. Returns the number of pages mapped. */
static __attribute__((unused)) unsigned test_vspace_share_image(seL4_CPtr vspace)
{
    const seL4_BootInfo *bi = cairn_bootinfo();
    seL4_Word start = (seL4_Word)__ehdr_start & ~4095ul;
    unsigned n = 0;
    for (seL4_CPtr f = bi->userImageFrames.start; f < bi->userImageFrames.end; f++, n++) {
        seL4_Error e = test_map_frame(vspace, test_copy_cap(f, seL4_AllRights), start + n * 4096ul, seL4_ReadWrite,
                                      seL4_X86_Default_VMAttributes);
        if (e) {
            printf("FAIL: test helper: mapping image page 0x%lx failed with error %d\n",
                   (unsigned long)(start + n * 4096ul), (int)e);
            break;
        }
    }
    return n;
}

/* A new frame of 2^bits bytes (seL4_X86_4K, LargePage or HugePage object) mapped in vspace. */
static __attribute__((unused)) seL4_CPtr test_new_mapped_frame(seL4_CPtr vspace, seL4_Word type, seL4_Word vaddr,
                                                               seL4_CapRights_t rights)
{
    seL4_CPtr frame = test_alloc_obj(type, 0);
    seL4_Error e = test_map_frame(vspace, frame, vaddr, rights, seL4_X86_Default_VMAttributes);
    if (e)
        printf("FAIL: test helper: mapping a frame at 0x%lx failed with error %d\n", (unsigned long)vaddr, (int)e);
    return frame;
}

/* A thread in another VSpace (which must map the image: test_vspace_share_image), running
 * fn(arg0, arg1) at prio. Its stack (TEST_VSPACE_STACK_PAGES pages, a guard page below) and
 * IPC buffer are frames of its own, mapped only in that VSpace, 2 MiB apart for each thread
 * from TEST_VSPACE_THREAD_BASE. */
static __attribute__((unused)) struct test_thread test_thread_in(seL4_CPtr vspace, const char *name, int prio,
                                                                 void (*fn)(seL4_Word, seL4_Word), seL4_Word arg0,
                                                                 seL4_Word arg1, bool passive, bool start)
{
    static unsigned n;
    seL4_Word base = TEST_VSPACE_THREAD_BASE + (seL4_Word)n++ * (2ul << 20);
    for (unsigned p = 0; p < TEST_VSPACE_STACK_PAGES; p++)
        test_new_mapped_frame(vspace, seL4_X86_4K, base + (1 + p) * 4096ul, seL4_ReadWrite);
    seL4_Word stack_top = base + (1 + TEST_VSPACE_STACK_PAGES) * 4096ul;
    seL4_Word ipc_vaddr = stack_top + 4096ul; /* a guard page between */
    seL4_CPtr ipc = test_new_mapped_frame(vspace, seL4_X86_4K, ipc_vaddr, seL4_ReadWrite);
    return test_thread_create(name, prio, fn, arg0, arg1, passive, start, vspace, ipc_vaddr, ipc, stack_top);
}

/* ---- raw invocations: the whole reply ---- */

struct test_reply {
    seL4_Word label, length;
    seL4_Word mr[4];
};

/* seL4_Call on cap with label, n MRs and up to 2 extra caps; the reply's label, length and
 * first MRs. */
static __attribute__((unused)) struct test_reply test_invoke(seL4_CPtr cap, seL4_Word label, seL4_Word n,
                                                             const seL4_Word *mrs, seL4_Word ncaps,
                                                             const seL4_CPtr *caps)
{
    for (seL4_Word i = 0; i < n; i++)
        seL4_SetMR(i, mrs[i]);
    for (seL4_Word i = 0; i < ncaps; i++)
        seL4_SetCap(i, caps[i]);
    seL4_MessageInfo_t info = seL4_Call(cap, seL4_MessageInfo_new(label, 0, ncaps, n));
    struct test_reply r = { seL4_MessageInfo_get_label(info), seL4_MessageInfo_get_length(info), { 0 } };
    for (seL4_Word i = 0; i < 4; i++)
        r.mr[i] = seL4_GetMR(i);
    return r;
}

/* Is the reply exactly error `label` with these detail MRs (no more)? Prints a difference. */
static __attribute__((unused)) bool test_reply_is(struct test_reply r, seL4_Word label, seL4_Word n,
                                                  const seL4_Word *mrs)
{
    bool ok = r.label == label && r.length == n;
    for (seL4_Word i = 0; i < n && i < 4; i++)
        ok = ok && r.mr[i] == mrs[i];
    if (!ok) {
        printf("  reply: label %lu length %lu MRs 0x%lx 0x%lx 0x%lx; expected label %lu length %lu\n",
               (unsigned long)r.label, (unsigned long)r.length, (unsigned long)r.mr[0], (unsigned long)r.mr[1],
               (unsigned long)r.mr[2], (unsigned long)label, (unsigned long)n);
    }
    return ok;
}
#define REPLY_IS(r, label, ...)                                                                        \
    ({                                                                                                 \
        const seL4_Word want_[] = { 0, ##__VA_ARGS__ };                                                \
        test_reply_is((r), (label), sizeof(want_) / sizeof(want_[0]) - 1, want_ + 1);                  \
    })
