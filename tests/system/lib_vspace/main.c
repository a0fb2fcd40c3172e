/*
 * The vspace libraries (<vspace/vspace.h>, <sel4utils/vspace.h>, <sel4utils/mapping.h>) used
 * as a tutorial would: allocman over BootInfo as the vka, the root task's own vspace
 * bootstrapped from BootInfo, then
 *  - reservations: aligned, at a fixed address, overlapping ones refused, the regions the
 *    kernel mapped at boot refused, freeing;
 *  - new pages touched, the same frames mapped a second time (map_pages, dup_and_map,
 *    share_mem) showing the same data, unmapping making accesses fault (seen by a probe
 *    thread whose faults come to us) and returning the frames;
 *  - bad arguments refused with an error, never a crash;
 *  - second address spaces (own PML4 in the initial ASID pool) built, filled and torn down
 *    with the allocator's free slots and free memory back exactly where they were, with and
 *    without an allocated_object callback;
 *  - 1000 random operations against a model, with exact accounting after every 100.
 */
#include <stdio.h>
#include <string.h>
#include <sel4/sel4.h>
#include <cairn/runtime.h>
#include <simple/simple.h>
#include <simple-default/simple-default.h>
#include <allocman/allocman.h>
#include <allocman/bootstrap.h>
#include <allocman/vka.h>
#include <vka/object.h>
#include <vka/capops.h>
#include <vspace/vspace.h>
#include <sel4utils/vspace.h>
#include <sel4utils/mapping.h>
#include <sel4platsupport/bootinfo.h>
#include "../common/check.h"

extern char __executable_start[];

#define POOL_SIZE (1ul << 20)
#define VPOOL_SIZE (4ul << 20)
static char pool[POOL_SIZE];

static simple_t simple;
static allocman_t *allocman;
static vka_t vka;
static vspace_t vspace;
static sel4utils_alloc_data_t vspace_data;

#define PAGE 4096ul
#define LARGE (1ul << 21)

struct acct {
    size_t slots, bytes;
};

static struct acct acct_now(void)
{
    struct acct a = { 0, 0 };
    allocman_stats(allocman, &a.slots, &a.bytes);
    return a;
}

static bool acct_equal(struct acct a, struct acct b, const char *what)
{
    if (a.slots != b.slots || a.bytes != b.bytes) {
        printf("  %s: slots %zu -> %zu, free bytes %zu -> %zu\n", what, a.slots, b.slots, a.bytes, b.bytes);
        return false;
    }
    return true;
}

static bool slot_empty(seL4_CPtr slot)
{
    return seL4_DebugCapIdentify(slot) == 0;
}

/* ------------------------------------------------------------ a probe thread */

static struct {
    vka_object_t tcb, sc, ep, reply, ntfn;
    seL4_CPtr fault_ep;
    void *stack_top;
    uintptr_t tp;
    volatile seL4_Word addr, value;
    volatile int op; /* 0 read, 1 write */
} probe_env;
static char probe_tls[1024] __attribute__((aligned(64)));

#define PROBE_DONE 0x77
#define PROBE_BADGE 0x99

static void probe_thread(void)
{
    for (;;) {
        seL4_Word badge;
        seL4_Wait(probe_env.ntfn.cptr, &badge);
        seL4_Word v = 0;
        if (probe_env.op == 0) {
            v = *(volatile seL4_Word *)probe_env.addr;
        } else {
            *(volatile seL4_Word *)probe_env.addr = probe_env.value;
        }
        seL4_SetMR(0, v);
        seL4_Send(probe_env.ep.cptr, seL4_MessageInfo_new(PROBE_DONE, 0, 0, 1));
    }
}

static void probe_set_regs(bool resume)
{
    seL4_UserContext regs = { 0 };
    regs.rip = (seL4_Word)probe_thread;
    regs.rsp = (seL4_Word)probe_env.stack_top - 8;
    regs.fs_base = probe_env.tp;
    seL4_Error e = seL4_TCB_WriteRegisters(probe_env.tcb.cptr, resume, 0, sizeof(regs) / sizeof(seL4_Word), &regs);
    if (e) {
        printf("FAIL: probe WriteRegisters: %d\n", (int)e);
    }
}

static bool probe_start(void)
{
    int err = vka_alloc_tcb(&vka, &probe_env.tcb) || vka_alloc_sched_context(&vka, &probe_env.sc) ||
              vka_alloc_endpoint(&vka, &probe_env.ep) || vka_alloc_reply(&vka, &probe_env.reply) ||
              vka_alloc_notification(&vka, &probe_env.ntfn) || vka_cspace_alloc(&vka, &probe_env.fault_ep);
    if (err) {
        return false;
    }
    seL4_CPtr ipc_cap = 0;
    void *ipc = vspace_new_ipc_buffer(&vspace, &ipc_cap);
    probe_env.stack_top = vspace_new_stack(&vspace);
    if (ipc == NULL || probe_env.stack_top == NULL) {
        return false;
    }
    probe_env.tp = cairn_tls_init(probe_tls, sizeof(probe_tls));
    *(seL4_IPCBuffer **)cairn_tls_variable(probe_env.tp, &__sel4_ipc_buffer) = ipc;
    seL4_Error e = seL4_TCB_Configure(probe_env.tcb.cptr, seL4_CapInitThreadCNode, 0, simple_get_pd(&simple), 0,
                                      (seL4_Word)ipc, ipc_cap);
    e = e ? e : seL4_SchedControl_ConfigureFlags(simple_get_sched_ctrl(&simple, 0), probe_env.sc.cptr, 5000, 5000, 0, 0, 0);
    e = e ? e : seL4_CNode_Mint(seL4_CapInitThreadCNode, probe_env.fault_ep, seL4_WordBits, seL4_CapInitThreadCNode,
                                probe_env.ep.cptr, seL4_WordBits, seL4_AllRights, PROBE_BADGE);
    e = e ? e : seL4_TCB_SetSchedParams(probe_env.tcb.cptr, seL4_CapInitThreadTCB, 100, 100, probe_env.sc.cptr,
                                        probe_env.fault_ep);
    if (e) {
        printf("  probe setup: seL4 error %d\n", (int)e);
        return false;
    }
    probe_set_regs(true);
    return true;
}

/* Have the probe access addr. Returns true if it faulted (at *fault_addr). */
static bool probe(int op, seL4_Word addr, seL4_Word value, seL4_Word *read, seL4_Word *fault_addr)
{
    probe_env.op = op;
    probe_env.addr = addr;
    probe_env.value = value;
    seL4_Signal(probe_env.ntfn.cptr);
    seL4_Word badge = 0;
    seL4_MessageInfo_t info = seL4_Recv(probe_env.ep.cptr, &badge, probe_env.reply.cptr);
    if (seL4_MessageInfo_get_label(info) == PROBE_DONE && badge == 0) {
        if (read) {
            *read = seL4_GetMR(0);
        }
        return false;
    }
    if (fault_addr) {
        *fault_addr = seL4_MessageInfo_get_label(info) == seL4_Fault_VMFault ? seL4_GetMR(seL4_VMFault_Addr) : ~0ul;
    }
    probe_set_regs(true);
    return true;
}

/* ------------------------------------------------------------ the root task's vspace */

static void test_bootstrap(seL4_BootInfo *bi)
{
    uintptr_t img_start, img_end;
    sel4utils_get_image_region(&img_start, &img_end);
    CHECK("image region known (__executable_start < _end)", img_start != 0 && img_start < img_end);
    CHECK("the image is reserved: reserve_range_at its start refused",
          vspace_reserve_range_at(&vspace, (void *)img_start, PAGE, seL4_AllRights, 1).res == NULL);
    CHECK("the image's last page is reserved",
          vspace_reserve_range_at(&vspace, (void *)(img_end - 1), 1, seL4_AllRights, 1).res == NULL);
    CHECK("the IPC buffer is reserved",
          vspace_reserve_range_at(&vspace, (void *)bi->ipcBuffer, PAGE, seL4_AllRights, 1).res == NULL);
    CHECK("the BootInfo frame is reserved",
          vspace_reserve_range_at(&vspace, (void *)bi, PAGE, seL4_AllRights, 1).res == NULL);
    CHECK("the extra BootInfo page is reserved",
          vspace_reserve_range_at(&vspace, (char *)bi + PAGE, PAGE, seL4_AllRights, 1).res == NULL);
    CHECK("page 0 is never handed out", vspace_reserve_range_at(&vspace, NULL, PAGE, seL4_AllRights, 1).res == NULL);
    CHECK("above the user address space refused",
          vspace_reserve_range_at(&vspace, (void *)(seL4_UserTop - PAGE), 2 * PAGE, seL4_AllRights, 1).res == NULL);
    CHECK("tear_down of the running program's own vspace refused (no crash)",
          (vspace_tear_down(&vspace, VSPACE_FREE), vspace_reserve_range_at(&vspace, (void *)img_start, 1, seL4_AllRights, 1).res == NULL));
}

static void test_reservations(void)
{
    void *a = NULL, *b = NULL;
    reservation_t r1 = vspace_reserve_range(&vspace, 3 * PAGE, seL4_AllRights, 1, &a);
    CHECK("reserve_range: 3 pages, page aligned", r1.res != NULL && a != NULL && ((uintptr_t)a & (PAGE - 1)) == 0);
    reservation_t r2 = vspace_reserve_range_aligned(&vspace, PAGE, seL4_LargePageBits, seL4_AllRights, 1, &b);
    CHECK("reserve_range_aligned to 2 MiB", r2.res != NULL && ((uintptr_t)b & (LARGE - 1)) == 0);
    CHECK("the two reservations do not overlap",
          (uintptr_t)a + 3 * PAGE <= (uintptr_t)b || (uintptr_t)b + LARGE <= (uintptr_t)a);
    CHECK("reserve_range_at inside a reservation refused",
          vspace_reserve_range_at(&vspace, (char *)a + PAGE, PAGE, seL4_AllRights, 1).res == NULL);
    CHECK("reserve_range_at overlapping its start refused",
          vspace_reserve_range_at(&vspace, (char *)a - PAGE, 2 * PAGE, seL4_AllRights, 1).res == NULL);

    void *fixed = (void *)0x500000000000ul;
    reservation_t r3 = vspace_reserve_range_at(&vspace, fixed, 5 * PAGE, seL4_AllRights, 1);
    CHECK("reserve_range_at a fixed address", r3.res != NULL);
    CHECK("reserve_range_at the same range again refused",
          vspace_reserve_range_at(&vspace, fixed, 5 * PAGE, seL4_AllRights, 1).res == NULL);
    CHECK("reserve_range_at an unaligned address inside it refused",
          vspace_reserve_range_at(&vspace, (char *)fixed + 4 * PAGE + 123, 10, seL4_AllRights, 1).res == NULL);
    reservation_t r4 = vspace_reserve_range_at(&vspace, (char *)fixed + 5 * PAGE, PAGE, seL4_AllRights, 1);
    CHECK("reserve_range_at right after it (touching) succeeds", r4.res != NULL);
    reservation_t r5 = vspace_reserve_range_at(&vspace, (char *)fixed - PAGE + 1, PAGE - 1, seL4_AllRights, 1);
    CHECK("an unaligned range is widened to its pages (just below)", r5.res != NULL &&
                                                                     ((sel4utils_res_t *)r5.res)->start == (uintptr_t)fixed - PAGE &&
                                                                     ((sel4utils_res_t *)r5.res)->end == (uintptr_t)fixed);

    vspace_free_reservation(&vspace, r3);
    r3 = vspace_reserve_range_at(&vspace, fixed, 5 * PAGE, seL4_AllRights, 1);
    CHECK("after free_reservation the range can be reserved again", r3.res != NULL);
    vspace_free_reservation_by_vaddr(&vspace, (char *)fixed + 2 * PAGE);
    CHECK("free_reservation_by_vaddr (an address inside) frees it",
          (r3 = vspace_reserve_range_at(&vspace, fixed, 5 * PAGE, seL4_AllRights, 1)).res != NULL);
    vspace_free_reservation(&vspace, r3);
    vspace_free_reservation(&vspace, r4);
    vspace_free_reservation(&vspace, r5);
    vspace_free_reservation(&vspace, r1);
    vspace_free_reservation(&vspace, r2);
    vspace_free_reservation(&vspace, r1); /* twice: refused with an error */
    vspace_free_reservation_by_vaddr(&vspace, fixed); /* nothing there: refused */
    CHECK("freeing a reservation twice / by an unreserved address: refused, no crash", true);

    CHECK("reserve 0 bytes refused", vspace_reserve_range(&vspace, 0, seL4_AllRights, 1, &a).res == NULL);
    CHECK("reserve aligned to a non-page size refused",
          vspace_reserve_range_aligned(&vspace, PAGE, 13, seL4_AllRights, 1, &a).res == NULL);
    CHECK("reserve the whole address space refused (out of virtual memory)",
          vspace_reserve_range(&vspace, 1ul << 47, seL4_AllRights, 1, &a).res == NULL);
    CHECK("NULL vspace refused", vspace_reserve_range(NULL, PAGE, seL4_AllRights, 1, &a).res == NULL &&
                                     vspace_new_pages(NULL, seL4_AllRights, 1, 12) == NULL);
}

static void test_pages(void)
{
    struct acct before = acct_now();
    uint64_t *p = vspace_new_pages(&vspace, seL4_AllRights, 4, seL4_PageBits);
    CHECK("new_pages: 4 pages", p != NULL);
    if (p == NULL) {
        return;
    }
    for (size_t i = 0; i < 4 * PAGE / 8; i++) {
        p[i] = 0x1234000000000000ul + i;
    }
    bool ok = true;
    for (size_t i = 0; i < 4 * PAGE / 8; i++) {
        ok = ok && p[i] == 0x1234000000000000ul + i;
    }
    CHECK("new pages can be written and read back", ok);
    seL4_CPtr caps[4];
    uintptr_t cookies[4];
    for (int i = 0; i < 4; i++) {
        caps[i] = vspace_get_cap(&vspace, (char *)p + i * PAGE + 100);
        cookies[i] = vspace_get_cookie(&vspace, (char *)p + i * PAGE);
    }
    CHECK("get_cap/get_cookie of each page (any address inside it)",
          caps[0] && caps[1] && caps[2] && caps[3] && caps[0] != caps[1] && cookies[0] && cookies[3]);
    CHECK("get_cap of an unmapped address is 0", vspace_get_cap(&vspace, (char *)p + 4 * PAGE) == 0);
    uintptr_t paddr0 = sel4utils_get_paddr(&vspace, (char *)p + 8, seL4_X86_4K, seL4_PageBits);
    seL4_X86_Page_GetAddress_t ga = seL4_X86_Page_GetAddress(caps[0]);
    CHECK("sel4utils_get_paddr = the frame's physical address + offset", ga.error == 0 && paddr0 == ga.paddr + 8);

    /* The same frames a second time, through copies of their caps. */
    seL4_CPtr copies[4];
    for (int i = 0; i < 4; i++) {
        cspacepath_t src, dst;
        vka_cspace_alloc_path(&vka, &dst);
        vka_cspace_make_path(&vka, caps[i], &src);
        vka_cnode_copy(&dst, &src, seL4_AllRights);
        copies[i] = dst.capPtr;
    }
    uint64_t *q = vspace_map_pages(&vspace, copies, NULL, seL4_AllRights, 4, seL4_PageBits, 1);
    CHECK("map_pages: copies of the 4 frame caps at a second address", q != NULL && q != p);
    if (q != NULL) {
        CHECK("the second mapping shows the same data", q[0] == p[0] && q[4 * PAGE / 8 - 1] == p[4 * PAGE / 8 - 1]);
        q[17] = 0xfeedface;
        CHECK("a write through the second mapping is seen through the first", p[17] == 0xfeedface);
        CHECK("map_pages again with the same (already mapped) caps refused",
              vspace_map_pages(&vspace, copies, NULL, seL4_AllRights, 4, seL4_PageBits, 1) == NULL);
    }
    uint64_t *d = sel4utils_dup_and_map(&vka, &vspace, caps[2], seL4_PageBits);
    CHECK("sel4utils_dup_and_map shows the same data", d != NULL && d[0] == p[2 * PAGE / 8]);
    uint64_t *s = vspace_share_mem(&vspace, &vspace, p, 4, seL4_PageBits, seL4_AllRights, 1);
    CHECK("vspace_share_mem (into the same vspace) shows the same data", s != NULL && s[17] == 0xfeedface && s != p);
    CHECK("vspace_share_mem of unmapped memory refused",
          vspace_share_mem(&vspace, &vspace, (void *)0x520000000000ul, 1, seL4_PageBits, seL4_AllRights, 1) == NULL);

    /* Unmapping: accesses fault, caps and memory go back. */
    CHECK("probe thread started", probe_start());
    seL4_Word v = 0, fa = 0;
    CHECK("the probe reads the second mapping", !probe(0, (seL4_Word)&q[17], 0, &v, NULL) && v == 0xfeedface);
    vspace_unmap_pages(&vspace, q, 4, seL4_PageBits, VSPACE_FREE);
    CHECK("after unmap_pages the probe's read faults at that address",
          probe(0, (seL4_Word)&q[17], 0, NULL, &fa) && fa == (seL4_Word)&q[17]);
    CHECK("unmap_pages(VSPACE_FREE) of map_pages'd caps (cookie 0): caps deleted, slots free",
          slot_empty(copies[0]) && slot_empty(copies[3]));
    CHECK("the first mapping still works", !probe(1, (seL4_Word)&p[5], 77, NULL, NULL) && p[5] == 77);
    CHECK("get_cap after unmap is 0", vspace_get_cap(&vspace, q) == 0);
    sel4utils_unmap_dup(&vka, &vspace, d, seL4_PageBits);
    CHECK("sel4utils_unmap_dup unmaps", probe(0, (seL4_Word)d, 0, NULL, &fa) && fa == (seL4_Word)d);
    vspace_unmap_pages(&vspace, s, 4, seL4_PageBits, VSPACE_FREE);
    CHECK("unmapping shared memory leaves the original", p[17] == 0xfeedface);

    /* Bad unmaps change nothing. */
    vspace_unmap_pages(&vspace, p, 5, seL4_PageBits, VSPACE_FREE);    /* one page too many */
    vspace_unmap_pages(&vspace, (char *)p + 1, 1, seL4_PageBits, VSPACE_FREE); /* unaligned */
    vspace_unmap_pages(&vspace, p, 1, seL4_LargePageBits, VSPACE_FREE); /* wrong size */
    vspace_unmap_pages(&vspace, p, 1, 13, VSPACE_FREE);                /* not a page size */
    CHECK("bad unmaps refused: all 4 pages still mapped",
          vspace_get_cap(&vspace, p) == caps[0] && vspace_get_cap(&vspace, (char *)p + 3 * PAGE) == caps[3] &&
              !probe(0, (seL4_Word)&p[17], 0, &v, NULL) && v == 0xfeedface);

    /* VSPACE_PRESERVE keeps the cap. */
    vspace_unmap_pages(&vspace, p, 1, seL4_PageBits, VSPACE_PRESERVE);
    CHECK("unmap_pages(VSPACE_PRESERVE): unmapped, cap kept",
          probe(0, (seL4_Word)p, 0, NULL, &fa) && fa == (seL4_Word)p && !slot_empty(caps[0]));
    vka_object_t frame0 = { .cptr = caps[0], .ut = cookies[0], .type = seL4_X86_4K, .size_bits = seL4_PageBits };
    vka_free_object(&vka, &frame0);
    vspace_unmap_pages(&vspace, (char *)p + PAGE, 3, seL4_PageBits, VSPACE_FREE);
    CHECK("unmap_pages(VSPACE_FREE) of new_pages: caps deleted, slots free", slot_empty(caps[1]) && slot_empty(caps[3]));

    /* A 2 MiB page. */
    uint64_t *big = vspace_new_pages(&vspace, seL4_AllRights, 1, seL4_LargePageBits);
    CHECK("new_pages: one 2 MiB page, 2 MiB aligned", big != NULL && ((uintptr_t)big & (LARGE - 1)) == 0);
    if (big != NULL) {
        big[0] = 1;
        big[LARGE / 8 - 1] = 2;
        CHECK("the 2 MiB page is usable end to end", big[0] == 1 && big[LARGE / 8 - 1] == 2);
        CHECK("get_cap in the middle of the 2 MiB page", vspace_get_cap(&vspace, (char *)big + LARGE / 2) != 0);
        vspace_unmap_pages(&vspace, big, 1, seL4_LargePageBits, VSPACE_FREE);
        CHECK("after unmapping it the probe faults", probe(0, (seL4_Word)big + 8, 0, NULL, &fa) && fa == (seL4_Word)big + 8);
    }
    CHECK("new_pages of a non-page size refused", vspace_new_pages(&vspace, seL4_AllRights, 1, 13) == NULL);
    CHECK("new_pages of 0 pages refused", vspace_new_pages(&vspace, seL4_AllRights, 0, 12) == NULL);

    /* new_pages_at_vaddr / map_pages_at_vaddr checks. */
    void *base = (void *)0x510000000000ul;
    reservation_t r = vspace_reserve_range_at(&vspace, base, 8 * PAGE, seL4_AllRights, 1);
    CHECK("new_pages_at_vaddr inside a reservation", r.res != NULL && vspace_new_pages_at_vaddr(&vspace, base, 2, 12, r) == 0);
    CHECK("new_pages_at_vaddr over a mapped page refused", vspace_new_pages_at_vaddr(&vspace, (char *)base + PAGE, 2, 12, r) == -1);
    CHECK("new_pages_at_vaddr unaligned refused", vspace_new_pages_at_vaddr(&vspace, (char *)base + 4 * PAGE + 8, 1, 12, r) == -1);
    CHECK("new_pages_at_vaddr beyond the reservation refused",
          vspace_new_pages_at_vaddr(&vspace, (char *)base + 6 * PAGE, 3, 12, r) == -1);
    CHECK("new_pages_at_vaddr outside any reservation refused",
          vspace_new_pages_at_vaddr(&vspace, (char *)base + 9 * PAGE, 1, 12, r) == -1);
    reservation_t bogus = { .res = &vspace_data };
    CHECK("new_pages_at_vaddr with a bogus reservation refused",
          vspace_new_pages_at_vaddr(&vspace, (char *)base + 4 * PAGE, 1, 12, bogus) == -1);
    CHECK("a reservation over mapped pages refused",
          vspace_reserve_range_at(&vspace, base, PAGE, seL4_AllRights, 1).res == NULL);
    vspace_free_reservation(&vspace, r);
    CHECK("after free_reservation the pages stay mapped and reserved-at stays refused",
          vspace_get_cap(&vspace, base) != 0 && vspace_reserve_range_at(&vspace, base, PAGE, seL4_AllRights, 1).res == NULL);
    CHECK("a range next to them can be reserved (and freed)",
          (r = vspace_reserve_range_at(&vspace, (char *)base + 2 * PAGE, PAGE, seL4_AllRights, 1)).res != NULL);
    vspace_free_reservation(&vspace, r);
    vspace_unmap_pages(&vspace, base, 2, seL4_PageBits, VSPACE_FREE);
    CHECK("unmapped outside a reservation: the range is free again",
          (r = vspace_reserve_range_at(&vspace, base, PAGE, seL4_AllRights, 1)).res != NULL);
    vspace_free_reservation(&vspace, r);

    /* Stacks and IPC buffers. */
    char *stack = vspace_new_sized_stack(&vspace, 4);
    CHECK("new_sized_stack: 4 pages usable below the top", stack != NULL && (stack[-1] = 1, stack[-4 * (long)PAGE] = 2, true));
    CHECK("the guard page below the stack faults", stack && probe(1, (seL4_Word)stack - 4 * PAGE - 8, 0, NULL, &fa));
    vspace_free_sized_stack(&vspace, stack, 4);
    CHECK("after free_sized_stack the stack faults", probe(0, (seL4_Word)stack - 8, 0, NULL, &fa) && fa == (seL4_Word)stack - 8);
    seL4_CPtr ipc_cap = 0;
    void *ipc = vspace_new_ipc_buffer(&vspace, &ipc_cap);
    CHECK("new_ipc_buffer gives a page and its cap", ipc != NULL && ipc_cap == vspace_get_cap(&vspace, ipc));
    vspace_free_ipc_buffer(&vspace, ipc);
    CHECK("free_ipc_buffer frees its cap's slot", slot_empty(ipc_cap));

    /* Net effect on the allocator: everything above was returned but the probe's objects
     * and the page tables the root vspace made (never freed: it is bootstrapped). */
    struct acct after = acct_now();
    size_t tables = 0;
    for (sel4utils_paging_obj_t *o = vspace_data.paging_objects; o; o = o->next) {
        tables++;
    }
    size_t want = tables * PAGE + (1ul << seL4_TCBBits) + (1ul << seL4_MinSchedContextBits) +
                  (1ul << seL4_EndpointBits) + (1ul << seL4_ReplyBits) + (1ul << seL4_NotificationBits) + 17 * PAGE;
    if (before.bytes - after.bytes != want) {
        printf("  used bytes %zu, expected %zu (%zu new page tables)\n", before.bytes - after.bytes, want, tables);
    }
    /* (Free slots are compared only when everything is back: the allocator keeps the caps of
     * the untypeds it splits in slots while the pieces are in use.) */
    CHECK("root vspace: every frame went back (only the probe's objects and new page tables remain in use)",
          before.bytes - after.bytes == want);
}

/* ------------------------------------------------------------ other vspaces */

static vka_object_t pml4_new(void)
{
    vka_object_t pml4;
    if (vka_alloc_vspace_root(&vka, &pml4) != 0) {
        printf("  no PML4\n");
        return (vka_object_t){ 0 };
    }
    seL4_Error e = seL4_X86_ASIDPool_Assign(seL4_CapInitThreadASIDPool, pml4.cptr);
    if (e) {
        printf("  ASIDPool_Assign: %d\n", (int)e);
    }
    return pml4;
}

#define MAX_CB_OBJECTS 64
static vka_object_t cb_objects[MAX_CB_OBJECTS];
static int cb_count;
static void collect_object(void *cookie, vka_object_t obj)
{
    *(int *)cookie += 1;
    if (cb_count < MAX_CB_OBJECTS) {
        cb_objects[cb_count++] = obj;
    }
}

static void *keep_page;

/* Fill a second vspace; returns false if something went wrong. */
static bool fill_vspace(vspace_t *v, bool verbose)
{
    bool ok = true;
    void *a = vspace_new_pages(v, seL4_AllRights, 8, seL4_PageBits);
    void *big = vspace_new_pages(v, seL4_AllRights, 2, seL4_LargePageBits);
    reservation_t r = vspace_reserve_range_at(v, (void *)0x400000, 16 * PAGE, seL4_AllRights, 1);
    ok = ok && a && big && r.res && vspace_new_pages_at_vaddr(v, (void *)0x401000, 3, seL4_PageBits, r) == 0;
    void *stack = vspace_new_stack(v);
    seL4_CPtr ipc_cap = 0;
    void *ipc = vspace_new_ipc_buffer(v, &ipc_cap);
    ok = ok && stack && ipc;
    /* Data written through the manager's own address space. */
    char *there = vspace_share_mem(v, &vspace, (void *)0x401000, 3, seL4_PageBits, seL4_AllRights, 1);
    ok = ok && there != NULL;
    if (there) {
        strcpy(there + PAGE + 10, "hello from the loader");
        /* Read back through a second, independent mapping of the same frame. */
        char *again = sel4utils_dup_and_map(&vka, &vspace, vspace_get_cap(v, (void *)0x402000), seL4_PageBits);
        ok = ok && again && strcmp(again + 10, "hello from the loader") == 0;
        if (again) {
            sel4utils_unmap_dup(&vka, &vspace, again, seL4_PageBits);
        }
        vspace_unmap_pages(&vspace, there, 3, seL4_PageBits, VSPACE_FREE);
    }
    /* Memory of ours shared into it. */
    void *mine = vspace_new_pages(&vspace, seL4_AllRights, 1, seL4_PageBits);
    void *shared = mine ? vspace_share_mem(&vspace, v, mine, 1, seL4_PageBits, seL4_AllRights, 1) : NULL;
    ok = ok && shared && sel4utils_get_paddr(v, shared, seL4_X86_4K, 12) == sel4utils_get_paddr(&vspace, mine, seL4_X86_4K, 12);
    if (shared) {
        vspace_unmap_pages(v, shared, 1, seL4_PageBits, VSPACE_FREE);
    }
    if (mine) {
        vspace_unmap_pages(&vspace, mine, 1, seL4_PageBits, VSPACE_FREE);
    }
    /* A copy of a cap to one of our pages, left mapped for tear_down to delete. */
    ok = ok && sel4utils_dup_and_map(&vka, v, vspace_get_cap(&vspace, keep_page), seL4_PageBits) != NULL;
    if (verbose) {
        CHECK("second vspace: new_pages, 2 MiB pages, fixed reservation, stack, IPC buffer, shared memory both ways",
              ok);
    }
    return ok;
}

static void test_second_vspace(void)
{
    keep_page = vspace_new_pages(&vspace, seL4_AllRights, 1, seL4_PageBits);
    struct acct start = acct_now();
    vka_object_t pml4 = pml4_new();
    vspace_t v;
    sel4utils_alloc_data_t d;
    CHECK("sel4utils_get_vspace over a new PML4",
          pml4.cptr && sel4utils_get_vspace(&vspace, &v, &d, &vka, pml4.cptr, NULL, NULL) == 0);
    CHECK("get_root is the PML4", vspace_get_root(&v) == pml4.cptr);
    fill_vspace(&v, true);
    vspace_tear_down(&v, VSPACE_FREE);
    CHECK("after tear_down the vspace refuses to work (no crash)", vspace_new_pages(&v, seL4_AllRights, 1, 12) == NULL);
    vka_free_object(&vka, &pml4);
    CHECK("tear_down(VSPACE_FREE) + PML4 freed: free slots and free memory exactly as before",
          acct_equal(start, acct_now(), "second vspace"));

    /* With an allocated_object callback the paging structures are the caller's. */
    start = acct_now();
    pml4 = pml4_new();
    int reported = 0;
    cb_count = 0;
    sel4utils_get_vspace(&vspace, &v, &d, &vka, pml4.cptr, collect_object, &reported);
    fill_vspace(&v, false);
    CHECK("allocated_object is told about each paging structure", reported > 0 && reported == cb_count);
    vspace_tear_down(&v, VSPACE_FREE);
    for (int i = 0; i < cb_count; i++) {
        vka_free_object(&vka, &cb_objects[i]);
    }
    vka_free_object(&vka, &pml4);
    CHECK("with a callback: tear_down + freeing the reported objects + PML4 returns everything",
          acct_equal(start, acct_now(), "callback vspace"));

    /* Out of memory: all or nothing. */
    start = acct_now();
    pml4 = pml4_new();
    sel4utils_get_vspace(&vspace, &v, &d, &vka, pml4.cptr, NULL, NULL);
    struct acct mid = acct_now();
    void *huge = vspace_new_pages(&v, seL4_AllRights, (start.bytes >> seL4_LargePageBits) + 1, seL4_LargePageBits);
    CHECK("new_pages larger than all free memory fails", huge == NULL);
    size_t tables = 0;
    for (sel4utils_paging_obj_t *o = d.paging_objects; o; o = o->next) {
        tables++;
    }
    struct acct now = acct_now();
    if (mid.bytes - now.bytes != tables * PAGE) {
        printf("  used bytes %zu, %zu page tables\n", mid.bytes - now.bytes, tables);
    }
    CHECK("... and gives back every frame it had made (only page tables remain)", mid.bytes - now.bytes == tables * PAGE);
    CHECK("a reservation of the whole address space fails",
          vspace_reserve_range(&v, 1ul << 47, seL4_AllRights, 1, &huge).res == NULL);
    CHECK("the vspace still works afterwards", fill_vspace(&v, false));
    vspace_tear_down(&v, VSPACE_FREE);
    vka_free_object(&vka, &pml4);
    CHECK("out-of-memory vspace torn down: everything back", acct_equal(start, acct_now(), "oom vspace"));

    /* Many in a row. */
    start = acct_now();
    bool all = true;
    for (int i = 0; i < 20; i++) {
        pml4 = pml4_new();
        all = all && sel4utils_get_vspace(&vspace, &v, &d, &vka, pml4.cptr, NULL, NULL) == 0 && fill_vspace(&v, false);
        vspace_tear_down(&v, VSPACE_FREE);
        vka_free_object(&vka, &pml4);
    }
    CHECK("20 vspaces created, filled and torn down", all);
    CHECK("... free slots and memory exactly as before", acct_equal(start, acct_now(), "20 vspaces"));

    CHECK("get_vspace without a loader refused", sel4utils_get_vspace(NULL, &v, &d, &vka, 1, NULL, NULL) == -1);
    CHECK("get_vspace without a root refused", sel4utils_get_vspace(&vspace, &v, &d, &vka, 0, NULL, NULL) == -1);
}


/* Page tables and 2 MiB pages: our own emptied table is reclaimed, a foreign one is avoided. */
static void test_large_pages_over_tables(void)
{
    struct acct start = acct_now();
    vka_object_t pml4 = pml4_new();
    vspace_t v;
    sel4utils_alloc_data_t d;
    sel4utils_get_vspace(&vspace, &v, &d, &vka, pml4.cptr, NULL, NULL);
    const uintptr_t x = SEL4UTILS_VSPACE_ALLOC_START;

    /* Someone maps a page at x + 4 KiB behind the vspace's back (creating the tables). */
    vka_object_t frame, objs[SEL4UTILS_MAP_PAGING_OBJECTS];
    int nobj = SEL4UTILS_MAP_PAGING_OBJECTS;
    int err = vka_alloc_frame(&vka, seL4_PageBits, &frame) ||
              sel4utils_map_page(&vka, pml4.cptr, frame.cptr, (void *)(x + PAGE), seL4_AllRights, 1, objs, &nobj);
    CHECK("sel4utils_map_page creates the PDPT, PD and PT it needs and returns them", err == 0 && nobj == 3 &&
                                                                                           objs[0].type == seL4_X86_PDPTObject &&
                                                                                           objs[2].type == seL4_X86_PageTableObject);
    int none = 0;
    CHECK("sel4utils_map_page with no room to return a table refused",
          vka_alloc_frame(&vka, seL4_PageBits, &cb_objects[0]) == 0 &&
              sel4utils_map_page(&vka, pml4.cptr, cb_objects[0].cptr, (void *)0x600000000000ul, seL4_AllRights, 1, objs + 3 - 3, &none) == -1);
    vka_free_object(&vka, &cb_objects[0]);
    void *big = vspace_new_pages(&v, seL4_AllRights, 1, seL4_LargePageBits);
    CHECK("a 2 MiB page avoids the window covered by a foreign page table", big == (void *)(x + LARGE));

    /* Our own table, emptied, gives way to a 2 MiB page. */
    void *small = vspace_new_pages(&v, seL4_AllRights, 1, seL4_PageBits);
    uintptr_t w = (uintptr_t)small & ~(LARGE - 1);
    vspace_unmap_pages(&v, small, 1, seL4_PageBits, VSPACE_FREE);
    reservation_t r = vspace_reserve_range_at(&v, (void *)w, LARGE, seL4_AllRights, 1);
    CHECK("a 2 MiB page where our emptied page table was: the table is freed, the page mapped",
          small != NULL && r.res != NULL && vspace_new_pages_at_vaddr(&v, (void *)w, 1, seL4_LargePageBits, r) == 0);
    vspace_tear_down(&v, VSPACE_FREE);
    vka_free_object(&vka, &frame);
    for (int i = nobj - 1; i >= 0; i--) {
        vka_free_object(&vka, &objs[i]);
    }
    vka_free_object(&vka, &pml4);
    CHECK("... everything back after tear_down", acct_equal(start, acct_now(), "tables"));
}

static int access_cb(void *access_addr, void *vaddr, void *cookie)
{
    int *value = cookie;
    if (*value != 0) {
        *(int *)vaddr = *value; /* write */
    } else {
        *value = *(int *)vaddr; /* read */
    }
    return access_addr != vaddr ? 42 : -5;
}

/* The less common entry points. */
static void test_misc(void)
{
    struct acct start = acct_now();
    vka_object_t pml4 = pml4_new();
    vspace_t v;
    sel4utils_alloc_data_t d;
    CHECK("sel4utils_get_empty_vspace", sel4utils_get_empty_vspace(&vspace, &v, &d, &vka, pml4.cptr, NULL, NULL) == 0);
    int *p = vspace_new_pages(&vspace, seL4_AllRights, 1, seL4_PageBits);
    int *theirs = vspace_new_pages(&v, seL4_AllRights, 1, seL4_PageBits);
    int put = 1234, seen = 0;
    CHECK("vspace_access_page_with_callback: write then read a page of another vspace",
          theirs != NULL &&
              vspace_access_page_with_callback(&v, &vspace, &theirs[3], seL4_PageBits, seL4_AllRights, 1, access_cb, &put) == 42 &&
              vspace_access_page_with_callback(&v, &vspace, &theirs[3], seL4_PageBits, seL4_AllRights, 1, access_cb, &seen) == 42 &&
              seen == 1234);

    reservation_t r = vspace_reserve_deferred_rights_range_at(&v, (void *)0x700000000000ul, 2 * PAGE, 1);
    seL4_CPtr cap = vspace_get_cap(&vspace, p), copy[1];
    cspacepath_t src, dst;
    vka_cspace_alloc_path(&vka, &dst);
    vka_cspace_make_path(&vka, cap, &src);
    vka_cnode_copy(&dst, &src, seL4_AllRights);
    copy[0] = dst.capPtr;
    CHECK("a deferred-rights reservation refuses map_pages_at_vaddr / new_pages_at_vaddr",
          r.res && vspace_map_pages_at_vaddr(&v, copy, NULL, (void *)0x700000000000ul, 1, 12, r) == -1 &&
              vspace_new_pages_at_vaddr(&v, (void *)0x700000000000ul, 1, 12, r) == -1);
    CHECK("... and takes deferred_rights_map_pages_at_vaddr",
          vspace_deferred_rights_map_pages_at_vaddr(&v, copy, NULL, (void *)0x700000000000ul, 1, 12, seL4_CanRead, r) == 0 &&
              sel4utils_get_paddr(&v, (void *)0x700000000008ul, seL4_X86_4K, 12) ==
                  sel4utils_get_paddr(&vspace, (char *)p + 8, seL4_X86_4K, 12));

    CHECK("move_resize_reservation: grow over free space",
          sel4utils_move_resize_reservation(&v, r, (void *)0x700000000000ul, 4 * PAGE) == 0 &&
              ((sel4utils_res_t *)r.res)->end == 0x700000004000ul);
    reservation_t r2 = vspace_reserve_range_at(&v, (void *)0x700000005000ul, PAGE, seL4_AllRights, 1);
    CHECK("move_resize_reservation: not over another reservation",
          sel4utils_move_resize_reservation(&v, r, (void *)0x700000000000ul, 6 * PAGE) == -1);
    CHECK("move_resize_reservation: shrink and move (its mapped page stays mapped)",
          sel4utils_move_resize_reservation(&v, r, (void *)0x700000001000ul, PAGE) == 0);
    CHECK("move_resize_reservation: not onto a page mapped outside it",
          sel4utils_move_resize_reservation(&v, r2, (void *)0x700000000000ul, PAGE) == -1);
    vspace_tear_down(&v, VSPACE_FREE);
    vspace_unmap_pages(&vspace, p, 1, seL4_PageBits, VSPACE_FREE);
    vka_free_object(&vka, &pml4);
    CHECK("... everything back", acct_equal(start, acct_now(), "misc"));

    /* A second manager of our own address space knows the image and the frames given. */
    vspace_t own;
    sel4utils_alloc_data_t own_data;
    void *frames[] = { (void *)0x6f0000000000ul, (void *)0x6f0000002000ul, NULL };
    CHECK("sel4utils_bootstrap_vspace reserves the image and the existing frames",
          sel4utils_bootstrap_vspace_leaky(&own, &own_data, simple_get_pd(&simple), &vka, frames) == 0 &&
              vspace_reserve_range_at(&own, __executable_start, 1, seL4_AllRights, 1).res == NULL &&
              vspace_reserve_range_at(&own, frames[1], 1, seL4_AllRights, 1).res == NULL &&
              vspace_reserve_range_at(&own, (void *)0x6f0000001000ul, 1, seL4_AllRights, 1).res != NULL);
    CHECK("bootstrap with a NULL BootInfo refused",
          sel4utils_bootstrap_vspace_with_bootinfo_leaky(&own, &own_data, simple_get_pd(&simple), &vka, NULL) == -1);
}

/* ------------------------------------------------------------ random operations */

static uint64_t rng = 0x9e3779b97f4a7c15ul;
static uint64_t rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

#define MAX_LIVE 96
struct live {
    uintptr_t va;
    size_t n, bits;
    int parent; /* >= 0: a dup of live[parent]'s first page */
    bool used;
};
static struct live live[MAX_LIVE];
struct rres {
    uintptr_t start, end;
    reservation_t r;
    bool used;
};
static struct rres rres[16];

static bool model_overlaps(uintptr_t a, uintptr_t b)
{
    for (int i = 0; i < MAX_LIVE; i++) {
        if (live[i].used && live[i].va < b && live[i].va + (live[i].n << live[i].bits) > a) {
            return true;
        }
    }
    for (int i = 0; i < 16; i++) {
        if (rres[i].used && rres[i].start < b && rres[i].end > a) {
            return true;
        }
    }
    return false;
}

static int free_live_slot(void)
{
    for (int i = 0; i < MAX_LIVE; i++) {
        if (!live[i].used) {
            return i;
        }
    }
    return -1;
}

static void unmap_live(vspace_t *v, int i)
{
    for (int j = 0; j < MAX_LIVE; j++) {
        if (live[j].used && live[j].parent == i) {
            unmap_live(v, j);
        }
    }
    vspace_unmap_pages(v, (void *)live[i].va, live[i].n, live[i].bits, VSPACE_FREE);
    live[i].used = false;
}

static void test_random(void)
{
    struct acct start = acct_now();
    vka_object_t pml4 = pml4_new();
    vspace_t v;
    sel4utils_alloc_data_t d;
    sel4utils_get_vspace(&vspace, &v, &d, &vka, pml4.cptr, NULL, NULL);
    memset(live, 0, sizeof(live));
    memset(rres, 0, sizeof(rres));
    int failures = 0, accounting_failures = 0, refused = 0, accepted = 0;
    const uintptr_t window = 0x300000000000ul;

    for (int op = 1; op <= 1000; op++) {
        unsigned kind = rnd() % 12;
        int i = free_live_slot();
        if (kind <= 3 && i >= 0) { /* new pages anywhere */
            size_t bits = rnd() % 16 == 0 ? seL4_LargePageBits : seL4_PageBits;
            size_t n = bits == seL4_PageBits ? 1 + rnd() % 8 : 1;
            void *p = vspace_new_pages(&v, seL4_AllRights, n, bits);
            if (p == NULL || model_overlaps((uintptr_t)p, (uintptr_t)p + (n << bits)) ||
                ((uintptr_t)p & ((1ul << bits) - 1))) {
                failures++;
                printf("  op %d: new_pages(%zu, %zu) -> %p\n", op, n, bits, p);
            } else {
                live[i] = (struct live){ (uintptr_t)p, n, bits, -1, true };
            }
        } else if (kind <= 6) { /* unmap a random allocation */
            int j = rnd() % MAX_LIVE;
            if (live[j].used) {
                unmap_live(&v, j);
                if (vspace_get_cap(&v, (void *)live[j].va) != 0) {
                    failures++;
                    printf("  op %d: still mapped after unmap\n", op);
                }
            }
        } else if (kind == 7 && i >= 0) { /* map a copy of a page's cap */
            int j = rnd() % MAX_LIVE;
            if (live[j].used && live[j].parent < 0 && live[j].bits == seL4_PageBits) {
                void *p = sel4utils_dup_and_map(&vka, &v, vspace_get_cap(&v, (void *)live[j].va), seL4_PageBits);
                if (p == NULL || model_overlaps((uintptr_t)p, (uintptr_t)p + PAGE)) {
                    failures++;
                    printf("  op %d: dup_and_map -> %p\n", op, p);
                } else {
                    live[i] = (struct live){ (uintptr_t)p, 1, seL4_PageBits, j, true };
                }
            }
        } else if (kind <= 9) { /* reserve at an address near something, or in the window */
            int k = rnd() % 16;
            if (rres[k].used) {
                vspace_free_reservation(&v, rres[k].r);
                rres[k].used = false;
                goto check;
            }
            int j = rnd() % MAX_LIVE;
            uintptr_t near = live[j].used ? live[j].va : window + (rnd() % 64) * PAGE;
            uintptr_t a = near + ((long)(rnd() % 33) - 16) * (long)PAGE;
            size_t len = (1 + rnd() % 8) * PAGE;
            bool expect = !model_overlaps(a, a + len);
            reservation_t r = vspace_reserve_range_at(&v, (void *)a, len, seL4_AllRights, 1);
            if ((r.res != NULL) != expect) {
                failures++;
                printf("  op %d: reserve_range_at(%p, %zu) -> %p, expected %d\n", op, (void *)a, len, r.res, expect);
                if (r.res) {
                    vspace_free_reservation(&v, r);
                }
            } else if (r.res) {
                rres[k] = (struct rres){ a, a + len, r, true };
                accepted++;
            } else {
                refused++;
            }
        } else if (i >= 0) { /* new pages inside a reservation */
            int k = rnd() % 16;
            if (!rres[k].used) {
                goto check;
            }
            size_t pages = (rres[k].end - rres[k].start) / PAGE;
            uintptr_t a = rres[k].start + (rnd() % pages) * PAGE;
            size_t n = 1 + rnd() % 3;
            bool inside = a + n * PAGE <= rres[k].end;
            bool clash = false;
            for (int m = 0; m < MAX_LIVE; m++) {
                clash = clash || (live[m].used && live[m].va < a + n * PAGE && live[m].va + (live[m].n << live[m].bits) > a);
            }
            int err = vspace_new_pages_at_vaddr(&v, (void *)a, n, seL4_PageBits, rres[k].r);
            if ((err == 0) != (inside && !clash)) {
                failures++;
                printf("  op %d: new_pages_at_vaddr(%p, %zu) -> %d, expected %d\n", op, (void *)a, n, err, inside && !clash);
            } else if (err == 0) {
                live[i] = (struct live){ a, n, seL4_PageBits, -1, true };
            }
        }

    check:
        if (op % 100 == 0) {
            /* Exact memory accounting: PML4 + paging structures + frames. Slots: at least one
             * per cap (the allocator also keeps the caps of untypeds it has split). */
            size_t tables = 0, pages4k = 0, pages2m = 0, dups = 0;
            for (sel4utils_paging_obj_t *o = d.paging_objects; o; o = o->next) {
                tables++;
            }
            for (int m = 0; m < MAX_LIVE; m++) {
                if (!live[m].used) {
                    continue;
                }
                if (live[m].parent >= 0) {
                    dups++;
                } else if (live[m].bits == seL4_PageBits) {
                    pages4k += live[m].n;
                } else {
                    pages2m += live[m].n;
                }
                for (size_t p = 0; p < live[m].n; p++) {
                    if (vspace_get_cap(&v, (void *)(live[m].va + (p << live[m].bits))) == 0) {
                        failures++;
                        printf("  op %d: page %p lost\n", op, (void *)(live[m].va + (p << live[m].bits)));
                    }
                }
            }
            struct acct now = acct_now();
            size_t want_slots = 1 + tables + pages4k + pages2m + dups;
            size_t want_bytes = (1 + tables + pages4k) * PAGE + pages2m * LARGE;
            if (start.slots - now.slots < want_slots || start.bytes - now.bytes != want_bytes ||
                d.mapped_pages != pages4k + pages2m + dups) {
                accounting_failures++;
                printf("  op %d: used slots %zu (model %zu), used bytes %zu (model %zu), mapped %zu (model %zu)\n", op,
                       start.slots - now.slots, want_slots, start.bytes - now.bytes, want_bytes, d.mapped_pages,
                       pages4k + pages2m + dups);
            }
        }
    }
    CHECK("1000 random new/map/unmap/reserve operations agree with the model", failures == 0);
    CHECK("... overlapping reservations were both refused and accepted", refused > 0 && accepted > 0);
    CHECK("... exact memory accounting after every 100 operations", accounting_failures == 0);
    vspace_tear_down(&v, VSPACE_FREE);
    vka_free_object(&vka, &pml4);
    CHECK("... tear_down returns everything", acct_equal(start, acct_now(), "random"));
}

int main(void)
{
    seL4_BootInfo *bi = platsupport_get_bootinfo();
    simple_default_init_bootinfo(&simple, bi);
    allocman = bootstrap_use_current_simple(&simple, POOL_SIZE, pool);
    CHECK("allocman bootstrapped", allocman != NULL);
    if (allocman == NULL) {
        return 1;
    }
    allocman_make_vka(&vka, allocman);
    int err = sel4utils_bootstrap_vspace_with_bootinfo_leaky(&vspace, &vspace_data, simple_get_pd(&simple), &vka, bi);
    CHECK("sel4utils_bootstrap_vspace_with_bootinfo_leaky", err == 0);
    void *vaddr = NULL;
    reservation_t vres = vspace_reserve_range(&vspace, VPOOL_SIZE, seL4_AllRights, 1, &vaddr);
    CHECK("a virtual pool for the allocator reserved", vres.res != NULL);
    bootstrap_configure_virtual_pool(allocman, vaddr, VPOOL_SIZE, simple_get_pd(&simple));

    test_bootstrap(bi);
    test_reservations();
    test_pages();
    test_second_vspace();
    test_large_pages_over_tables();
    test_misc();
    test_random();
    printf("lib_vspace: %s\n", check_failures ? "FAILED" : "all passed");
    return 0;
}
