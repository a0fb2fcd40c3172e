/*
 * Random virtual-memory operations with the kernel checking its invariants after every
 * syscall (qemu_args: check_invariants; a violation panics the kernel). Frames of 4 KiB and
 * 2 MiB, page tables, page directories, PDPTs and PML4s are retyped from one untyped, then
 * mapped into random places of three address spaces, remapped, unmapped, copied, moved,
 * deleted, assigned ASIDs from a pool that is itself deleted and made again, and the untyped
 * is revoked from time to time. A probe thread in one of the address spaces keeps reading
 * the region meanwhile. Step 6 of the checker (every entry of every address space with an
 * ASID leads to a live table or frame) is the oracle; each reply must also be a valid seL4
 * error code, and the probe's faults VMFaults.
 */
#include <stdio.h>
#include <string.h>
#include <sel4/sel4.h>
#include "../common/check.h"
#include "../common/thread.h"
#include "../common/vspace.h"
#include "../common/vm_probe.h"

#define CN seL4_CapInitThreadCNode
#define NSLOTS 48
#define OPS 3000
#define REGION 0x10000000000ul /* 1 TiB: far from the image */

static uint64_t rng = 0x9e3779b97f4a7c15ull;
static seL4_Word rnd(seL4_Word n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return n ? rng % n : 0;
}

static seL4_CPtr slots[NSLOTS], ut, pool_ut, pool_slot, spaces[3];
static unsigned counts[16][12]; /* [op][result] */

/* A random address in the region: a few PDPT, PD, PT and page choices, so that things meet. */
static seL4_Word random_vaddr(void)
{
    seL4_Word v = REGION + rnd(2) * (512ul << 30) + rnd(2) * (1ul << 30) + rnd(2) * (2ul << 20);
    return rnd(3) ? v + rnd(4) * 4096ul : v;
}

static const seL4_Word types[] = { seL4_X86_4K, seL4_X86_4K, seL4_X86_4K, seL4_X86_4K, seL4_X86_PageTableObject,
                                   seL4_X86_PageTableObject, seL4_X86_PageDirectoryObject, seL4_X86_PageDirectoryObject,
                                   seL4_X86_PDPTObject, seL4_X64_PML4Object };
/* A random type; a 2 MiB frame one time in 40 (they fill the untyped fast). */
static seL4_Word random_type(void)
{
    return rnd(40) ? types[rnd(sizeof(types) / sizeof(types[0]))] : seL4_X86_LargePageObject;
}

/* What each slot holds (seL4_DebugCapIdentify tags), refreshed after each operation. */
enum { T_NULL = 0, T_FRAME = 1, T_PT = 3, T_PD = 5, T_PDPT = 7, T_PML4 = 9 };
static unsigned tags[NSLOTS];
static void refresh(unsigned i) { tags[i] = seL4_DebugCapIdentify(slots[i]); }

/* A random slot holding tag (or any slot, two times in ten: the refusals matter too). */
static unsigned pick(unsigned tag)
{
    unsigned start = (unsigned)rnd(NSLOTS);
    if (rnd(10) < 8)
        for (unsigned k = 0; k < NSLOTS; k++)
            if (tags[(start + k) % NSLOTS] == tag)
                return (start + k) % NSLOTS;
    return start;
}

/* Operation kinds and their weights (out of 100). */
enum { RETYPE, PAGE_MAP, PAGE_UNMAP, PT_MAP, PD_MAP, PDPT_MAP, TABLE_UNMAP, COPY, DELETE, MOVE, ASSIGN, POOL, REVOKE,
       PROBE, NOPS };
static const unsigned weight[NOPS] = { 12, 26, 5, 12, 8, 2, 3, 5, 4, 3, 5, 1, 1, 13 };

/* One operation; touched[] gets the two slot indices it may have changed (NSLOTS: all). */
static seL4_Error one_op(unsigned op, unsigned *touched)
{
    unsigned si = (unsigned)rnd(NSLOTS), di = (unsigned)rnd(NSLOTS);
    seL4_CPtr vs = spaces[rnd(8) ? rnd(2) * 2 : 1]; /* mostly the two lasting spaces */
    seL4_Word attr = rnd(5);
    seL4_CapRights_t rights = rnd(6) ? seL4_ReadWrite : seL4_CapRights_new(0, 0, rnd(2), rnd(2));
    static const unsigned table_tags[3] = { T_PT, T_PD, T_PDPT };
    static const seL4_Word unmaps[3] = { X86PageTableUnmap, X86PageDirectoryUnmap, X86PDPTUnmap };
    unsigned k = (unsigned)rnd(3);
    switch (op) {
    case RETYPE: si = pick(T_NULL); break;
    case PAGE_MAP: case PAGE_UNMAP: si = pick(T_FRAME); break;
    case PT_MAP: si = pick(T_PT); break;
    case PD_MAP: si = pick(T_PD); break;
    case PDPT_MAP: si = pick(T_PDPT); break;
    case TABLE_UNMAP: si = pick(table_tags[k]); break;
    case COPY: case MOVE: di = pick(T_NULL); break;
    case ASSIGN: si = pick(T_PML4); break;
    default: break;
    }
    touched[0] = si;
    touched[1] = di;
    seL4_CPtr s = slots[si], d = slots[di];
    switch (op) {
    case RETYPE:
        return seL4_Untyped_Retype(ut, random_type(), 0, CN, 0, 0, s, 1);
    case PAGE_MAP:
        return seL4_X86_Page_Map(s, vs, random_vaddr() + (rnd(10) == 0 ? 0x800 : 0), rights, attr);
    case PAGE_UNMAP:
        return seL4_X86_Page_Unmap(s);
    case PT_MAP:
        return seL4_X86_PageTable_Map(s, vs, random_vaddr(), attr);
    case PD_MAP:
        return seL4_X86_PageDirectory_Map(s, vs, random_vaddr(), attr);
    case PDPT_MAP:
        return seL4_X86_PDPT_Map(s, vs, random_vaddr(), attr);
    case TABLE_UNMAP:
        return (seL4_Error)seL4_MessageInfo_get_label(seL4_Call(s, seL4_MessageInfo_new(unmaps[k], 0, 0, 0)));
    case COPY:
        return seL4_CNode_Copy(CN, d, 64, CN, s, 64, rnd(2) ? seL4_AllRights : seL4_CanRead);
    case DELETE:
        return seL4_CNode_Delete(CN, s, 64);
    case MOVE:
        return seL4_CNode_Move(CN, d, 64, CN, s, 64);
    case ASSIGN:
        return seL4_X86_ASIDPool_Assign(rnd(2) ? pool_slot : seL4_CapInitThreadASIDPool, s);
    case POOL: { /* the pool goes (its address space dies), comes back, with a new space */
        seL4_CNode_Delete(CN, pool_slot, 64);
        seL4_Error e = seL4_X86_ASIDControl_MakePool(seL4_CapASIDControl, pool_ut, CN, pool_slot, 64);
        spaces[1] = test_alloc_obj(seL4_X64_PML4Object, 0);
        return e ? e : seL4_X86_ASIDPool_Assign(pool_slot, spaces[1]);
    }
    case REVOKE: /* now and then, everything made from the untyped goes */
        if (rnd(6))
            return seL4_NoError;
        touched[0] = NSLOTS;
        return seL4_CNode_Revoke(CN, ut, 64);
    default: { /* the probe reads somewhere in the region */
        struct probe_result r = probe(PROBE_READ, random_vaddr(), 0);
        return r.faulted && r.label != seL4_Fault_VMFault ? seL4_NumErrors : seL4_NoError;
    }
    }
}

int main(void)
{
    test_init();
    for (int i = 0; i < NSLOTS; i++)
        cairn_alloc_slot(&test_alloc, &slots[i]);
    ut = test_alloc_obj(seL4_UntypedObject, 24); /* 16 MiB */
    pool_ut = test_alloc_obj(seL4_UntypedObject, 12);
    cairn_alloc_slot(&test_alloc, &pool_slot);
    bool ok = ut && pool_ut && seL4_X86_ASIDControl_MakePool(seL4_CapASIDControl, pool_ut, CN, pool_slot, 64) == 0;
    /* Three address spaces out of the random slots' reach: one with the probe (it maps the
     * image), one from the new pool (it dies with it), one more in the root task's pool. */
    spaces[0] = test_vspace_new();
    test_vspace_share_image(spaces[0]);
    spaces[1] = test_alloc_obj(seL4_X64_PML4Object, 0);
    ok = ok && seL4_X86_ASIDPool_Assign(pool_slot, spaces[1]) == 0;
    spaces[2] = test_vspace_new();
    /* PDPTs at both of the region's PML4 entries in the two lasting spaces (not from the
     * untyped: they stay), so that lower levels have somewhere to go. */
    for (int sp = 0; sp < 3; sp += 2)
        for (seL4_Word k = 0; k < 2; k++)
            ok = ok && test_map_missing_table(spaces[sp], REGION + k * (512ul << 30), SEL4_MAPPING_LOOKUP_NO_PDPT) == 0;
    probe_start(spaces[0]);
    CHECK("set up: an untyped, a pool, three address spaces, a probe", ok);

    bool bad = false;
    for (int i = 0; i < OPS; i++) {
        unsigned w = (unsigned)rnd(100), op = 0;
        while (op < NOPS - 1 && w >= weight[op])
            w -= weight[op++];
        unsigned touched[2];
        seL4_Error e = one_op(op, touched);
        if (e >= seL4_NumErrors) {
            printf("  op %d (%u): reply %d is no seL4 error\n", i, op, (int)e);
            bad = true;
        } else {
            counts[op][e]++;
        }
        if (touched[0] == NSLOTS) {
            for (unsigned k = 0; k < NSLOTS; k++)
                refresh(k);
        } else {
            refresh(touched[0]);
            refresh(touched[1]);
        }
    }
    CHECK("3000 random VM operations: every reply a valid error code, the probe's faults VMFaults", !bad);
    unsigned maps = counts[PAGE_MAP][0], tables = counts[PT_MAP][0] + counts[PD_MAP][0] + counts[PDPT_MAP][0];
    printf("  successful: %u retypes, %u page maps, %u table maps, %u unmaps, %u copies, %u deletes, %u moves, "
           "%u assigns\n", counts[RETYPE][0], maps, tables, counts[PAGE_UNMAP][0] + counts[TABLE_UNMAP][0],
           counts[COPY][0], counts[DELETE][0], counts[MOVE][0], counts[ASSIGN][0]);
    CHECK("the mix did things: over 30 page maps, 40 table maps and 100 retypes succeeded",
          maps > 30 && tables > 40 && counts[RETYPE][0] > 100);
    CHECK("and met the refusals: DeleteFirst, FailedLookup, AlignmentError and RevokeFirst all seen",
          counts[PT_MAP][seL4_DeleteFirst] + counts[PD_MAP][seL4_DeleteFirst] + counts[PDPT_MAP][seL4_DeleteFirst] > 0 &&
              counts[PAGE_MAP][seL4_FailedLookup] > 0 && counts[PAGE_MAP][seL4_AlignmentError] > 0 &&
              counts[TABLE_UNMAP][seL4_RevokeFirst] + counts[PAGE_MAP][seL4_InvalidArgument] > 0);
    CHECK("the kernel's invariants held after every one of them (else it would have panicked)", true);
    return 0;
}
