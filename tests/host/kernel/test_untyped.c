/* Untyped_Retype (abi §5.2, §9.1): every check and its error details, the watermark and
 * alignment, object state, the reset rule with its zeroing, and a preempted reset. */
#include <string.h>
#include "fake_arch.h"
#include "invocation.h"
#include "tcb.h"
#include "preempt.h"
#include "abi.h"

int host_failures;

#define ROOT_RADIX 8
static cte_t root[BIT(ROOT_RADIX)] __attribute__((aligned(32)));
static cte_t *root_slot; /* a slot holding the root CNode cap (the Retype "root" argument) */
static tcb_t creator;
static word_t ipc_buffer[128];
static struct syscall_error err; /* details of the last error */

/* Invoke the untyped in slot `ut` like handle_invocation() would, with a chosen label,
 * message length and number of extra caps. */
static exception_t invoke(cte_t *ut, word_t label, word_t length, unsigned ncaps, const word_t mr[6])
{
    struct invocation inv = { .thread = &creator, .slot = ut, .cap = ut->cap, .label = label, .length = length,
                              .num_extra_caps = ncaps, .buffer = ipc_buffer, .is_call = true };
    inv.extra_caps[0] = root_slot;
    for (unsigned i = 0; i < 6; i++) {
        if (i < ARCH_NUM_MSG_REGISTERS)
            *arch_msg_register(&creator.ctx, i) = mr[i];
        else
            ipc_buffer[i + 1] = mr[i];
    }
    exception_t e = decode_untyped_invocation(&inv);
    err = inv.err;
    return e;
}

static exception_t retype_at(cte_t *ut, word_t type, word_t bits, word_t index, word_t depth, word_t offset,
                             word_t num)
{
    const word_t mr[6] = { type, bits, index, depth, offset, num };
    return invoke(ut, UntypedRetype, 6, 1, mr);
}

/* Retype into the root CNode (node_depth 0: the root cap itself). */
static exception_t retype(cte_t *ut, word_t type, word_t bits, word_t offset, word_t num)
{
    return retype_at(ut, type, bits, 0, 0, offset, num);
}

static cte_t *new_untyped(word_t slot, paddr_t p, unsigned bits, bool device, bool full)
{
    cte_insert(NULL, &root[slot], cap_untyped_new(p, bits, device, full ? BIT(bits) : 0), true, true);
    return &root[slot];
}

static bool range_is(word_t min, word_t max) { return err.range_min == min && err.range_max == max; }
static bool all_bytes(paddr_t p, word_t n, uint8_t v)
{
    const uint8_t *k = paddr_to_kptr(p);
    for (word_t i = 0; i < n; i++)
        if (k[i] != v)
            return false;
    return true;
}
static word_t free_offset(const cte_t *ut) { return cap_untyped_free_offset(ut->cap); }
static paddr_t obj_paddr(word_t slot) { return kptr_to_paddr(cap_ptr(root[slot].cap)); }
static void empty_slots(word_t first, word_t n)
{
    for (word_t i = first; i < first + n; i++)
        if (!cap_is_null(root[i].cap))
            cte_remove(&root[i]);
}

static void test_checks(void)
{
    cte_t *ut = new_untyped(1, 0x100000, 12, false, true);
    word_t mr[6] = { seL4_EndpointObject, 0, 0, 0, 20, 1 };

    HCHECK("1: a label other than Retype is IllegalOperation",
           invoke(ut, UntypedRetype + 1, 6, 1, mr) == seL4_IllegalOperation);
    HCHECK("2: 5 message registers is TruncatedMessage", invoke(ut, UntypedRetype, 5, 1, mr) == seL4_TruncatedMessage);
    HCHECK("2: no root cap is TruncatedMessage", invoke(ut, UntypedRetype, 6, 0, mr) == seL4_TruncatedMessage);
    HCHECK("3: type ObjectTypeCount is InvalidArgument(0)",
           retype(ut, seL4_ObjectTypeCount, 0, 20, 1) == seL4_InvalidArgument && err.index == 0);
    HCHECK("4: size_bits 64 is RangeError(0, 47)",
           retype(ut, seL4_EndpointObject, 64, 20, 1) == seL4_RangeError && range_is(0, 47));
    HCHECK("4: untyped of 2^48 is RangeError(0, 47)",
           retype(ut, seL4_UntypedObject, 48, 20, 1) == seL4_RangeError && range_is(0, 47));
    HCHECK("4: CNode of 2^43 slots (2^48 bytes) is RangeError(0, 47)",
           retype(ut, seL4_CapTableObject, 43, 20, 1) == seL4_RangeError && range_is(0, 47));
    HCHECK("5: CNode with size_bits 0 is InvalidArgument(1)",
           retype(ut, seL4_CapTableObject, 0, 20, 1) == seL4_InvalidArgument && err.index == 1);
    HCHECK("6: untyped with size_bits 3 is InvalidArgument(1)",
           retype(ut, seL4_UntypedObject, 3, 20, 1) == seL4_InvalidArgument && err.index == 1);
    HCHECK("7: SchedContext with size_bits 6 is InvalidArgument(1)",
           retype(ut, seL4_SchedContextObject, 6, 20, 1) == seL4_InvalidArgument && err.index == 1);
    HCHECK("8: node_depth 65 is RangeError(1, 64)",
           retype_at(ut, seL4_EndpointObject, 0, 2, 65, 20, 1) == seL4_RangeError && range_is(1, 64));
    HCHECK("8: node_depth 8 on the root (guard 56) is a guard mismatch",
           retype_at(ut, seL4_EndpointObject, 0, 2, 8, 20, 1) == seL4_FailedLookup && !err.source &&
               err.lookup.type == seL4_GuardMismatch && err.lookup.bits_left == 8);
    HCHECK("9: an empty slot as destination is FailedLookup(0, MissingCapability(64))",
           retype_at(ut, seL4_EndpointObject, 0, 3, 64, 20, 1) == seL4_FailedLookup && !err.source &&
               err.lookup.type == seL4_MissingCapability && err.lookup.bits_left == 64);
    HCHECK("9: an untyped as destination is FailedLookup(0, MissingCapability(64))",
           retype_at(ut, seL4_EndpointObject, 0, 1, 64, 20, 1) == seL4_FailedLookup &&
               err.lookup.type == seL4_MissingCapability && err.lookup.bits_left == 64);
    cte_t *saved_root = root_slot;
    root_slot = ut; /* depth 0 uses the root cap itself: here an untyped */
    HCHECK("9: a non-CNode root with depth 0 is FailedLookup(0, MissingCapability(0))",
           retype(ut, seL4_EndpointObject, 0, 20, 1) == seL4_FailedLookup &&
               err.lookup.type == seL4_MissingCapability && err.lookup.bits_left == 0);
    root_slot = saved_root;
    HCHECK("10: node_offset = slots is RangeError(0, slots - 1)",
           retype(ut, seL4_EndpointObject, 0, 256, 1) == seL4_RangeError && range_is(0, 255));
    HCHECK("11: num_objects 0 is RangeError(1, 256)",
           retype(ut, seL4_EndpointObject, 0, 20, 0) == seL4_RangeError && range_is(1, 256));
    HCHECK("11: num_objects 257 is RangeError(1, 256)",
           retype(ut, seL4_EndpointObject, 0, 20, 257) == seL4_RangeError && range_is(1, 256));
    HCHECK("12: 10 objects from slot 250 of 256 is RangeError(1, 6)",
           retype(ut, seL4_EndpointObject, 0, 250, 10) == seL4_RangeError && range_is(1, 6));
    HCHECK("13: a full slot in the range is DeleteFirst", retype(ut, seL4_EndpointObject, 0, 0, 3) == seL4_DeleteFirst);
    HCHECK("14: three TCBs from a full 4 KiB untyped: NotEnoughMemory(4096)",
           retype(ut, seL4_TCBObject, 0, 20, 3) == seL4_NotEnoughMemory && err.bytes_available == 4096);
    HCHECK("nothing changed after the refusals", free_offset(ut) == 4096 && cap_is_null(root[20].cap) && !mdb_next(ut));

    HCHECK("one endpoint", retype(ut, seL4_EndpointObject, 0, 20, 1) == EXCEPTION_NONE);
    HCHECK("14: with children, two TCBs are NotEnoughMemory(4080)",
           retype(ut, seL4_TCBObject, 0, 21, 2) == seL4_NotEnoughMemory && err.bytes_available == 4080);
    HCHECK("a 2 KiB untyped goes to offset 2048", retype(ut, seL4_UntypedObject, 11, 21, 1) == EXCEPTION_NONE &&
                                                      cap_untyped_paddr(root[21].cap) == 0x100800);
    HCHECK("14: a full untyped with children is NotEnoughMemory(0)",
           retype(ut, seL4_EndpointObject, 0, 22, 1) == seL4_NotEnoughMemory && err.bytes_available == 0);
    empty_slots(20, 2);

    cte_t *dev = new_untyped(4, 0xfe000000, 12, true, true);
    HCHECK("14 before 15: a device untyped too small is NotEnoughMemory",
           retype(dev, seL4_TCBObject, 0, 20, 3) == seL4_NotEnoughMemory);
    HCHECK("15: device untyped into an endpoint is InvalidArgument(1)",
           retype(dev, seL4_EndpointObject, 0, 20, 1) == seL4_InvalidArgument && err.index == 1);
    HCHECK("device untyped into a 4K frame",
           retype(dev, seL4_X86_4K, 0, 20, 1) == EXCEPTION_NONE && cap_get_type(root[20].cap) == cap_frame &&
               cap_frame_is_device(root[20].cap));
    empty_slots(20, 1);
    HCHECK("device untyped into a device untyped", retype(dev, seL4_UntypedObject, 8, 20, 1) == EXCEPTION_NONE &&
                                                       cap_untyped_is_device(root[20].cap));
    empty_slots(20, 1);
    empty_slots(1, 1);
    empty_slots(4, 1);
}

static void test_watermark(void)
{
    cte_t *ut = new_untyped(1, 0x110000, 16, false, true);
    memset(paddr_to_kptr(0x110000), 0xaa, BIT(16)); /* what a boot untyped may hold */
    HCHECK("an endpoint goes at offset 0", retype(ut, seL4_EndpointObject, 0, 20, 1) == EXCEPTION_NONE &&
                                               obj_paddr(20) == 0x110000 && free_offset(ut) == 16);
    HCHECK("the first retype zeroed the whole untyped", all_bytes(0x110000, BIT(16), 0));
    HCHECK("a 2 KiB CNode is aligned to 2 KiB (2032 bytes wasted)",
           retype(ut, seL4_CapTableObject, 6, 21, 1) == EXCEPTION_NONE &&
                                                                obj_paddr(21) == 0x110800 && free_offset(ut) == 0x1000);
    HCHECK("two notifications follow contiguously", retype(ut, seL4_NotificationObject, 0, 22, 2) == EXCEPTION_NONE &&
                                                        obj_paddr(22) == 0x111000 && obj_paddr(23) == 0x111040 &&
                                                        free_offset(ut) == 0x1080);
    HCHECK("a 4K frame skips to the next page",
           retype(ut, seL4_X86_4K, 0, 24, 1) == EXCEPTION_NONE && cap_frame_paddr(root[24].cap) == 0x112000 &&
               free_offset(ut) == 0x3000);
    /* New caps are revocable MDB children right after the untyped, newest first. */
    HCHECK("new caps follow the untyped in the MDB",
           mdb_next(ut) == &root[24] && mdb_next(&root[24]) == &root[23] && mdb_next(&root[23]) == &root[22] &&
               mdb_next(&root[21]) == &root[20]);
    HCHECK("new caps are revocable", mdb_revocable(&root[20]) && mdb_revocable(&root[24]));

    /* With children the watermark stays; once they are gone the next Retype resets. */
    memset(paddr_to_kptr(0x110000), 0x55, 0x3000); /* objects leave their memory dirty */
    empty_slots(21, 4);
    HCHECK("with a child left, no reset", retype(ut, seL4_EndpointObject, 0, 21, 1) == EXCEPTION_NONE &&
                                              obj_paddr(21) == 0x113000 && all_bytes(0x110000, 16, 0x55));
    empty_slots(20, 2);
    HCHECK("14: without children all 2^16 bytes count as free",
           retype(ut, seL4_CapTableObject, 6, 20, 33) == seL4_NotEnoughMemory && err.bytes_available == BIT(16));
    HCHECK("without children the untyped resets to offset 0",
           retype(ut, seL4_CapTableObject, 6, 20, 1) == EXCEPTION_NONE && obj_paddr(20) == 0x110000 &&
               free_offset(ut) == 0x800);
    HCHECK("the reset zeroed the used part", all_bytes(0x110000, BIT(16), 0));
    empty_slots(20, 1);
    empty_slots(1, 1);
}

static void test_objects(void)
{
    cte_t *ut = new_untyped(1, 0x400000, 22, false, false);
    HCHECK("2M frame first, at the start", retype(ut, seL4_X86_LargePageObject, 0, 19, 1) == EXCEPTION_NONE &&
                                               cap_frame_size(root[19].cap) == frame_2m &&
                                               cap_frame_paddr(root[19].cap) == 0x400000);
    HCHECK("TCB", retype(ut, seL4_TCBObject, 0, 20, 1) == EXCEPTION_NONE && cap_get_type(root[20].cap) == cap_thread &&
                      obj_paddr(20) == 0x600000);
    tcb_t *t = cap_ptr(root[20].cap);
    HCHECK("TCB is named after its creator", strcmp(t->name, "child of: 'creator'") == 0);
    HCHECK("TCB is inactive with priority 0 and MCP 0", t->state == thread_inactive && t->priority == 0 && t->mcp == 0);
    HCHECK("endpoint cap: all rights, badge 0", retype(ut, seL4_EndpointObject, 0, 21, 1) == EXCEPTION_NONE &&
                                                    cap_get_type(root[21].cap) == cap_endpoint &&
                                                    cap_rights(root[21].cap) == 0xf && cap_badge(root[21].cap) == 0);
    HCHECK("notification cap: send and receive, badge 0",
           retype(ut, seL4_NotificationObject, 0, 22, 1) == EXCEPTION_NONE &&
               cap_get_type(root[22].cap) == cap_notification && cap_rights(root[22].cap) == 3 &&
               cap_badge(root[22].cap) == 0);
    HCHECK("CNode cap: radix = size_bits, no guard", retype(ut, seL4_CapTableObject, 3, 23, 1) == EXCEPTION_NONE &&
                                                         cap_cnode_radix(root[23].cap) == 3 &&
                                                         cap_cnode_guard_size(root[23].cap) == 0 &&
                                                         cap_cnode_guard(root[23].cap) == 0);
    HCHECK("SchedContext cap records its size", retype(ut, seL4_SchedContextObject, 8, 24, 1) == EXCEPTION_NONE &&
                                                    cap_get_type(root[24].cap) == cap_sched_context &&
                                                    cap_sched_context_size_bits(root[24].cap) == 8);
    HCHECK("reply cap can grant", retype(ut, seL4_ReplyObject, 0, 25, 1) == EXCEPTION_NONE &&
                                      cap_get_type(root[25].cap) == cap_reply && cap_reply_can_grant(root[25].cap));
    HCHECK("4K frame: RW, RAM, unmapped", retype(ut, seL4_X86_4K, 0, 26, 1) == EXCEPTION_NONE &&
                                              cap_frame_size(root[26].cap) == frame_4k &&
                                              cap_frame_vm_rights(root[26].cap) == (VM_READ | VM_WRITE) &&
                                              !cap_frame_is_device(root[26].cap) && root[26].cap.w1 == 0);
    static const struct { word_t type; enum cap_type cap; const char *name; } tables[] = {
        { seL4_X86_PageTableObject, cap_page_table, "page table, unmapped" },
        { seL4_X86_PageDirectoryObject, cap_page_directory, "page directory, unmapped" },
        { seL4_X86_PDPTObject, cap_pdpt, "PDPT, unmapped" },
        { seL4_X64_PML4Object, cap_pml4, "PML4, no ASID" },
    };
    for (unsigned i = 0; i < 4; i++)
        HCHECK(tables[i].name, retype(ut, tables[i].type, 0, 27 + i, 1) == EXCEPTION_NONE &&
                                   cap_get_type(root[27 + i].cap) == tables[i].cap && root[27 + i].cap.w1 == 0);
    HCHECK("SchedContext of 2^7, the minimum", retype(ut, seL4_SchedContextObject, 7, 31, 1) == EXCEPTION_NONE);
    HCHECK("objects are zero (CNode slots empty)", all_bytes(obj_paddr(23), BIT(3 + seL4_SlotBits), 0));
    HCHECK("frame memory is zero", all_bytes(cap_frame_paddr(root[26].cap), BIT(12), 0));

    HCHECK("child untyped", retype(ut, seL4_UntypedObject, 12, 32, 1) == EXCEPTION_NONE &&
                                cap_untyped_free_offset(root[32].cap) == 0 && !cap_untyped_is_device(root[32].cap));
    HCHECK("the child untyped retypes in turn", retype(&root[32], seL4_EndpointObject, 0, 33, 2) == EXCEPTION_NONE &&
                                                    obj_paddr(34) == cap_untyped_paddr(root[32].cap) + 16);
    HCHECK("the parent keeps its watermark (it has children)",
           retype(ut, seL4_UntypedObject, 22, 35, 1) == seL4_NotEnoughMemory && err.bytes_available < BIT(21));

    /* A new CNode as destination, named by (index, depth) in the root. */
    HCHECK("a 512-slot CNode", retype(ut, seL4_CapTableObject, 9, 36, 1) == EXCEPTION_NONE);
    cte_t *cn = cap_cnode_slots(root[36].cap);
    HCHECK("11: 256 endpoints (the fan-out limit) into the new CNode, named with node_depth 64",
           retype_at(ut, seL4_EndpointObject, 0, 36, 64, 256, 256) == EXCEPTION_NONE &&
               cap_get_type(cn[256].cap) == cap_endpoint && cap_get_type(cn[511].cap) == cap_endpoint &&
               cap_is_null(cn[255].cap));
    HCHECK("13: a full slot of the new CNode is DeleteFirst",
           retype_at(ut, seL4_EndpointObject, 0, 36, 64, 511, 1) == seL4_DeleteFirst);
    HCHECK("12: 2 objects at offset 511 of 512 is RangeError(1, 1)",
           retype_at(ut, seL4_EndpointObject, 0, 36, 64, 511, 2) == seL4_RangeError && range_is(1, 1));

    /* A device untyped of 1 GiB (never touched by the kernel) into a huge page. */
    cte_t *dev = new_untyped(5, 0x40000000, 30, true, true);
    HCHECK("device huge page", retype(dev, seL4_X64_HugePageObject, 0, 37, 1) == EXCEPTION_NONE &&
                                   cap_frame_size(root[37].cap) == frame_1g && cap_frame_is_device(root[37].cap));
}

static void test_preempted_reset(void)
{
    cte_t *ut = new_untyped(3, 0x120000, 16, false, true);
    memset(paddr_to_kptr(0x120000), 0xaa, BIT(16));
    preempt_test_every = 3;
    while (!preemption_point()) /* start counting from a preemption */
        ;
    exception_t e = retype(ut, seL4_EndpointObject, 0, 40, 1);
    HCHECK("the reset is preempted at the third chunk",
           e == EXCEPTION_PREEMPTED && free_offset(ut) == BIT(16) - 3 * 256);
    HCHECK("the chunks above the free offset are zero", all_bytes(0x120000 + BIT(16) - 768, 768, 0));
    HCHECK("the memory below is untouched", all_bytes(0x120000, BIT(16) - 768, 0xaa));
    HCHECK("no object was made", cap_is_null(root[40].cap) && !mdb_next(ut));
    unsigned restarts = 0;
    word_t last = free_offset(ut);
    bool progress = true;
    while ((e = retype(ut, seL4_EndpointObject, 0, 40, 1)) == EXCEPTION_PREEMPTED && restarts < 1000) {
        progress = progress && free_offset(ut) < last;
        last = free_offset(ut);
        restarts++;
    }
    HCHECK("each restart continues where the last stopped", progress);
    /* 253 chunks were left: 84 restarts do 3 each, the last call the final one (chunk 0 has
     * no preemption point after it). */
    HCHECK("the restarted Retype finishes", e == EXCEPTION_NONE && restarts == 84);
    HCHECK("the endpoint is at offset 0", obj_paddr(40) == 0x120000 && free_offset(ut) == 16);
    HCHECK("the whole untyped is zero", all_bytes(0x120000, BIT(16), 0));
    preempt_test_every = 0;
}

int main(void)
{
    fake_arch_init(8ull << 20); /* physical [0x100000, 0x900000) */
    tcb_init(&creator, "creator");
    current_thread = &creator;
    cte_insert(NULL, &root[2], cap_cnode_new(root, ROOT_RADIX, 64 - ROOT_RADIX, 0), true, true);
    root_slot = &root[2];
    test_checks();
    test_watermark();
    test_objects();
    test_preempted_reset();
    return host_failures ? 1 : 0;
}
