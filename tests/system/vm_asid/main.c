/*
 * ASIDs (abi §5.9): ASIDControl_MakePool and ASIDPool_Assign with each error in the sheet's
 * order (label, length and detail MRs), all 8 pools (pool 0 is the root task's), all 512
 * ASIDs of a pool, an ASID freed by deleting its PML4 and handed out again; and deleting a
 * pool: its address spaces stop working (a thread in one faults on its next instruction,
 * Map into one is FailedLookup(InvalidRoot)) and the pool's index can be made again.
 */
#include <stdio.h>
#include <string.h>
#include <sel4/sel4.h>
#include "../common/check.h"
#include "../common/thread.h"
#include "../common/vspace.h"
#include "../common/vm_probe.h"

#define CN seL4_CapInitThreadCNode
#define DEF seL4_X86_Default_VMAttributes

static seL4_CPtr new_slot(void)
{
    seL4_CPtr s = 0;
    cairn_alloc_slot(&test_alloc, &s);
    return s;
}

static struct test_reply make_pool_raw(seL4_CPtr untyped, seL4_CPtr root, seL4_Word index, seL4_Word depth,
                                       seL4_Word label, seL4_Word n, seL4_Word ncaps)
{
    const seL4_Word mr[2] = { index, depth };
    const seL4_CPtr caps[2] = { untyped, root };
    return test_invoke(seL4_CapASIDControl, label, n, mr, ncaps, caps);
}
static seL4_Error make_pool(seL4_CPtr untyped, seL4_CPtr dest)
{
    return seL4_X86_ASIDControl_MakePool(seL4_CapASIDControl, untyped, CN, dest, 64);
}

/* A device untyped of 2^12 bytes: a child of the first device untyped big enough. */
static seL4_CPtr device_untyped_4k(void)
{
    const seL4_BootInfo *bi = cairn_bootinfo();
    for (seL4_Word i = 0; i < bi->untyped.end - bi->untyped.start; i++)
        if (bi->untypedList[i].isDevice && bi->untypedList[i].sizeBits >= 12) {
            seL4_CPtr s = new_slot();
            if (seL4_Untyped_Retype(bi->untyped.start + i, seL4_UntypedObject, 12, CN, 0, 0, s, 1) == 0)
                return s;
        }
    return 0;
}

static void test_make_pool_errors(void)
{
    seL4_CPtr ut = test_alloc_obj(seL4_UntypedObject, 12), ep = test_alloc_obj(seL4_EndpointObject, 0);
    seL4_CPtr dest = new_slot();
    CHECK("ASIDControl with the Assign label: IllegalOperation",
          REPLY_IS(make_pool_raw(ut, CN, dest, 64, X86ASIDPoolAssign, 2, 2), seL4_IllegalOperation));
    CHECK("MakePool with 1 MR: TruncatedMessage",
          REPLY_IS(make_pool_raw(ut, CN, dest, 64, X86ASIDControlMakePool, 1, 2), seL4_TruncatedMessage));
    CHECK("MakePool with 1 cap: TruncatedMessage",
          REPLY_IS(make_pool_raw(ut, CN, dest, 64, X86ASIDControlMakePool, 2, 1), seL4_TruncatedMessage));
    CHECK("MakePool from an endpoint: InvalidCapability [1]",
          REPLY_IS(make_pool_raw(ep, CN, dest, 64, X86ASIDControlMakePool, 2, 2), seL4_InvalidCapability, 1));
    seL4_CPtr ut13 = test_alloc_obj(seL4_UntypedObject, 13);
    CHECK("MakePool from an untyped of 2^13 bytes: InvalidCapability [1]",
          REPLY_IS(make_pool_raw(ut13, CN, dest, 64, X86ASIDControlMakePool, 2, 2), seL4_InvalidCapability, 1));
    seL4_CPtr dev = device_untyped_4k();
    CHECK("MakePool from a device untyped of 2^12 bytes: InvalidCapability [1]",
          dev && REPLY_IS(make_pool_raw(dev, CN, dest, 64, X86ASIDControlMakePool, 2, 2), seL4_InvalidCapability, 1));
    seL4_CPtr busy = test_alloc_obj(seL4_UntypedObject, 12), child = new_slot();
    seL4_Untyped_Retype(busy, seL4_EndpointObject, 0, CN, 0, 0, child, 1);
    CHECK("MakePool from an untyped with a child: RevokeFirst",
          REPLY_IS(make_pool_raw(busy, CN, dest, 64, X86ASIDControlMakePool, 2, 2), seL4_RevokeFirst));
    CHECK("a destination root that is an endpoint: FailedLookup [0, InvalidRoot]",
          REPLY_IS(make_pool_raw(ut, ep, dest, 64, X86ASIDControlMakePool, 2, 2), seL4_FailedLookup, 0, seL4_InvalidRoot));
    CHECK("destination depth 0: RangeError [1, 64]",
          REPLY_IS(make_pool_raw(ut, CN, dest, 0, X86ASIDControlMakePool, 2, 2), seL4_RangeError, 1, 64));
    CHECK("an occupied destination: DeleteFirst",
          REPLY_IS(make_pool_raw(ut, CN, ep, 64, X86ASIDControlMakePool, 2, 2), seL4_DeleteFirst));
    CHECK("nothing was made: the untyped still retypes at offset 0 (a 4 KiB frame fits)",
          seL4_Untyped_Retype(ut, seL4_X86_4K, 0, CN, 0, 0, new_slot(), 1) == 0);
}

static void test_pool_deletion(void)
{
    seL4_CPtr ut = test_alloc_obj(seL4_UntypedObject, 12), pool = new_slot();
    CHECK("MakePool succeeds", make_pool(ut, pool) == 0);
    seL4_CPtr retype_slot = new_slot();
    struct test_reply r;
    {
        const seL4_Word mr[6] = { seL4_X86_4K, 0, 0, 0, retype_slot, 1 };
        const seL4_CPtr caps[1] = { CN };
        r = test_invoke(ut, UntypedRetype, 6, mr, 1, caps);
    }
    CHECK("the untyped is marked full: Retype from it is NotEnoughMemory [0 bytes]",
          REPLY_IS(r, seL4_NotEnoughMemory, 0));

    seL4_CPtr vs = test_alloc_obj(seL4_X64_PML4Object, 0);
    CHECK("a PML4 gets an ASID from the new pool", seL4_X86_ASIDPool_Assign(pool, vs) == 0);
    test_vspace_share_image(vs);
    probe_start(vs);
    seL4_CPtr f = test_new_mapped_frame(vs, seL4_X86_4K, 0x50000000000ul, seL4_ReadWrite);
    CHECK("a probe thread runs in that address space", f && probe_writes(0x50000000000ul, 9) &&
                                                            probe_reads(0x50000000000ul, 9));
    CHECK("deleting the pool cap succeeds", seL4_CNode_Delete(CN, pool, 64) == 0);
    struct probe_result p = probe(PROBE_READ, 0x50000000000ul, 0);
    const seL4_Word image = (seL4_Word)__ehdr_start, image_end = image + 4096ul * (cairn_bootinfo()->userImageFrames.end -
                                                                                   cairn_bootinfo()->userImageFrames.start);
    CHECK("the probe's next instruction faults: it runs in no address space (IP = Addr in the image, FSR 4)",
          p.faulted && p.ip == p.addr && p.ip >= image && p.ip < image_end && p.fsr == FSR_USER);
    seL4_TCB_Suspend(probe_env.t.tcb);
    seL4_CPtr f2 = test_alloc_obj(seL4_X86_4K, 0);
    const seL4_Word mr[3] = { 0x60000000000ul, seL4_ReadWrite.words[0], DEF };
    CHECK("Page_Map into the PML4 of the deleted pool: FailedLookup [0, InvalidRoot]",
          REPLY_IS(test_invoke(f2, X86PageMap, 3, mr, 1, &vs), seL4_FailedLookup, 0, seL4_InvalidRoot));
    const seL4_Word mr2[2] = { 0x60000000000ul, DEF };
    CHECK("PDPT_Map into it: FailedLookup [0, InvalidRoot]",
          REPLY_IS(test_invoke(test_alloc_obj(seL4_X86_PDPTObject, 0), X86PDPTMap, 2, mr2, 1, &vs), seL4_FailedLookup,
                   0, seL4_InvalidRoot));
    CHECK("Assign of that PML4 to another pool: InvalidCapability [1] (it still holds its ASID)",
          REPLY_IS(test_invoke(seL4_CapInitThreadASIDPool, X86ASIDPoolAssign, 0, NULL, 1, &vs), seL4_InvalidCapability,
                   1));
    CHECK("the untyped revoked and reused: MakePool again makes a pool",
          seL4_CNode_Revoke(CN, ut, 64) == 0 && make_pool(ut, pool) == 0);
    seL4_CPtr vs2 = test_alloc_obj(seL4_X64_PML4Object, 0);
    CHECK("... which assigns ASIDs", seL4_X86_ASIDPool_Assign(pool, vs2) == 0);
    CHECK("the old PML4's ASID (the new pool's first) now names the new PML4: Map into the old one is "
          "InvalidCapability [1]",
          REPLY_IS(test_invoke(f2, X86PageMap, 3, mr, 1, &vs), seL4_InvalidCapability, 1));
}

static void test_pools_and_asids(void)
{
    /* Pool 0 is the root task's and one pool exists from the last test: 6 more fill all 8. */
    seL4_CPtr pools[6];
    bool ok = true;
    for (int i = 0; i < 6; i++) {
        pools[i] = new_slot();
        ok = ok && make_pool(test_alloc_obj(seL4_UntypedObject, 12), pools[i]) == 0;
    }
    CHECK("pools up to the 8th are made", ok);
    seL4_CPtr ut = test_alloc_obj(seL4_UntypedObject, 12), ep = test_alloc_obj(seL4_EndpointObject, 0);
    CHECK("a 9th pool: DeleteFirst", make_pool(ut, new_slot()) == seL4_DeleteFirst);
    CHECK("... even from an endpoint (the pools are counted first)",
          REPLY_IS(make_pool_raw(ep, CN, new_slot(), 64, X86ASIDControlMakePool, 2, 2), seL4_DeleteFirst));

    seL4_CPtr pool = pools[5], pml4 = test_alloc_obj(seL4_X64_PML4Object, 0);
    CHECK("ASIDPool with the MakePool label: IllegalOperation",
          REPLY_IS(test_invoke(pool, X86ASIDControlMakePool, 0, NULL, 1, &pml4), seL4_IllegalOperation));
    CHECK("Assign without a cap: TruncatedMessage",
          REPLY_IS(test_invoke(pool, X86ASIDPoolAssign, 0, NULL, 0, NULL), seL4_TruncatedMessage));
    CHECK("Assign of an endpoint: InvalidCapability [1]",
          REPLY_IS(test_invoke(pool, X86ASIDPoolAssign, 0, NULL, 1, &ep), seL4_InvalidCapability, 1));
    seL4_CPtr root_vs = seL4_CapInitThreadVSpace;
    CHECK("Assign of an assigned PML4 (the root task's): InvalidCapability [1]",
          REPLY_IS(test_invoke(pool, X86ASIDPoolAssign, 0, NULL, 1, &root_vs), seL4_InvalidCapability, 1));
    CHECK("an unassigned PML4 cannot be copied: IllegalOperation",
          seL4_CNode_Copy(CN, new_slot(), 64, CN, pml4, 64, seL4_AllRights) == seL4_IllegalOperation);

    /* All 512 ASIDs of a fresh pool (ASID 0 is never used, but only in pool 0). */
    seL4_CPtr pml4s[513];
    ok = true;
    int n = 0;
    for (; n < 512 && ok; n++) {
        pml4s[n] = n == 0 ? pml4 : test_alloc_obj(seL4_X64_PML4Object, 0);
        ok = pml4s[n] && seL4_X86_ASIDPool_Assign(pool, pml4s[n]) == 0;
    }
    CHECK("512 PML4s get ASIDs from one pool", ok && n == 512);
    pml4s[512] = test_alloc_obj(seL4_X64_PML4Object, 0);
    CHECK("the 513th: DeleteFirst", seL4_X86_ASIDPool_Assign(pool, pml4s[512]) == seL4_DeleteFirst);
    CHECK("an assigned PML4 copies", seL4_CNode_Copy(CN, new_slot(), 64, CN, pml4s[7], 64, seL4_AllRights) == 0);
    CHECK("deleting one of two caps of a PML4 frees nothing: still DeleteFirst",
          seL4_CNode_Delete(CN, pml4s[7], 64) == 0 && seL4_X86_ASIDPool_Assign(pool, pml4s[512]) == seL4_DeleteFirst);
    CHECK("deleting the last cap of another frees its ASID: the 513th now gets one",
          seL4_CNode_Delete(CN, pml4s[300], 64) == 0 && seL4_X86_ASIDPool_Assign(pool, pml4s[512]) == 0);
    seL4_CPtr extra = test_alloc_obj(seL4_X64_PML4Object, 0);
    CHECK("and the pool is full again", seL4_X86_ASIDPool_Assign(pool, extra) == seL4_DeleteFirst);
    CHECK("the 513th address space works: a page maps in it",
          test_map_frame(pml4s[512], test_alloc_obj(seL4_X86_4K, 0), 0x1000, seL4_ReadWrite, DEF) == 0);
}

int main(void)
{
    test_init();
    test_make_pool_errors();
    test_pool_deletion();
    test_pools_and_asids();
    return 0;
}
