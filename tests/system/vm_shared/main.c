/*
 * Two address spaces sharing memory (abi §5.9): a second VSpace (a PML4 assigned an ASID in
 * the root task's pool) maps the root task's image (copies of its frame caps: the same code
 * and globals) and threads run there on stacks and IPC buffers of their own. A frame mapped
 * in both, at different addresses, shows each side's writes to the other; unmapping it in
 * one leaves the other; what only the root task maps faults in the second space; IPC between
 * the two spaces carries register and IPC-buffer words.
 */
#include <stdio.h>
#include <string.h>
#include <sel4/sel4.h>
#include "../common/check.h"
#include "../common/thread.h"
#include "../common/vspace.h"
#include "../common/vm_probe.h"

#define A 0x20000000000ul /* the shared pages in the root task's space */
#define B 0x30000000000ul /* ... and in the second space */
#define NPAGES 8
#define DEF seL4_X86_Default_VMAttributes

static seL4_CPtr srv_ep, srv_reply;
static volatile seL4_Word server_stack_seen;

/* A server in the second space: (op, index, value) -> the word at B + 8 * index. */
static void server(seL4_Word a0, seL4_Word a1)
{
    (void)a0, (void)a1;
    int local;
    server_stack_seen = (seL4_Word)&local;
    seL4_Word badge;
    seL4_MessageInfo_t info = seL4_Recv(srv_ep, &badge, srv_reply);
    for (;;) {
        seL4_Word op = seL4_GetMR(0), i = seL4_GetMR(1), v = seL4_GetMR(2), n = seL4_MessageInfo_get_length(info);
        volatile seL4_Word *b = (volatile seL4_Word *)B;
        seL4_Word result = 0;
        if (op == 1)
            result = b[i];
        else if (op == 2)
            b[i] = v;
        else { /* echo: every word + 1, back in as many MRs */
            for (seL4_Word k = 0; k < n; k++)
                seL4_SetMR(k, seL4_GetMR(k) + 1);
            info = seL4_ReplyRecv(srv_ep, seL4_MessageInfo_new(0, 0, 0, n), &badge, srv_reply);
            continue;
        }
        seL4_SetMR(0, result);
        info = seL4_ReplyRecv(srv_ep, seL4_MessageInfo_new(0, 0, 0, 1), &badge, srv_reply);
    }
}

/* A passive server in the second space (Calls to it take the fastpath): returns the word at
 * P, an address both spaces map, each to a frame of its own, plus the argument. */
#define P 0x40000000000ul
static seL4_CPtr fast_ep, fast_reply;
static void private_server(seL4_Word a0, seL4_Word a1)
{
    (void)a0, (void)a1;
    seL4_Word badge;
    seL4_Recv(fast_ep, &badge, fast_reply);
    for (;;) {
        seL4_Word v = *(volatile seL4_Word *)P + seL4_GetMR(0);
        seL4_SetMR(0, v);
        seL4_ReplyRecv(fast_ep, seL4_MessageInfo_new(0, 0, 0, 1), &badge, fast_reply);
    }
}

static seL4_Word call(seL4_Word op, seL4_Word i, seL4_Word v)
{
    seL4_SetMR(0, op);
    seL4_SetMR(1, i);
    seL4_SetMR(2, v);
    seL4_Call(srv_ep, seL4_MessageInfo_new(0, 0, 0, 3));
    return seL4_GetMR(0);
}

int main(void)
{
    test_init();
    seL4_CPtr vs2 = test_vspace_new();
    unsigned pages = test_vspace_share_image(vs2);
    CHECK("the second VSpace maps every page of the image",
          pages == cairn_bootinfo()->userImageFrames.end - cairn_bootinfo()->userImageFrames.start && pages > 0);

    /* NPAGES frames at A in the root task's space, copies at B in the second. */
    seL4_CPtr frames[NPAGES], copies[NPAGES];
    bool ok = true;
    for (int i = 0; i < NPAGES; i++) {
        frames[i] = test_new_mapped_frame(seL4_CapInitThreadVSpace, seL4_X86_4K, A + i * 4096ul, seL4_ReadWrite);
        copies[i] = test_copy_cap(frames[i], seL4_AllRights);
        ok = ok && test_map_frame(vs2, copies[i], B + i * 4096ul, seL4_ReadWrite, DEF) == seL4_NoError;
    }
    CHECK("8 frames map at A here and (copies) at B there", ok && frames[NPAGES - 1] && copies[NPAGES - 1]);

    srv_ep = test_alloc_obj(seL4_EndpointObject, 0);
    srv_reply = test_alloc_obj(seL4_ReplyObject, 0);
    test_thread_in(vs2, "server", 200, server, 0, 0, false, true);
    volatile seL4_Word *a = (volatile seL4_Word *)A;
    a[0] = 0x1234;
    a[512 * 7 + 5] = 0xabcd;
    CHECK("the server in the second space reads our writes through B", call(1, 0, 0) == 0x1234 &&
                                                                           call(1, 512 * 7 + 5, 0) == 0xabcd);
    call(2, 1, 0x5678);
    call(2, 512 * 3 + 9, 0x9999);
    CHECK("we read the server's writes through A", a[1] == 0x5678 && a[512 * 3 + 9] == 0x9999);
    CHECK("the server runs on its own stack (the page below TEST_VSPACE_THREAD_BASE + 5 pages)",
          server_stack_seen > TEST_VSPACE_THREAD_BASE && server_stack_seen < TEST_VSPACE_THREAD_BASE + 5 * 4096ul);
    seL4_Word words[12];
    for (int i = 0; i < 12; i++)
        seL4_SetMR(i, words[i] = 0x100 + (seL4_Word)i);
    seL4_MessageInfo_t r = seL4_Call(srv_ep, seL4_MessageInfo_new(0, 0, 0, 12));
    ok = seL4_MessageInfo_get_length(r) == 12;
    for (int i = 0; i < 12; i++)
        ok = ok && seL4_GetMR(i) == words[i] + 1;
    CHECK("a 12-word Call across the spaces comes back +1 (register and IPC-buffer words)", ok);

    /* Private pages at P: the fastpath switches address spaces both ways. */
    test_new_mapped_frame(seL4_CapInitThreadVSpace, seL4_X86_4K, P, seL4_ReadWrite);
    test_new_mapped_frame(vs2, seL4_X86_4K, P, seL4_ReadWrite);
    fast_ep = test_alloc_obj(seL4_EndpointObject, 0);
    fast_reply = test_alloc_obj(seL4_ReplyObject, 0);
    struct test_thread ps = test_thread_in(vs2, "private-server", 200, private_server, 0, 0, false, true);
    /* Let it reach its Recv on its own SC (we drop below it for a moment), then make it
     * passive: from then on Calls to it take the fastpath. */
    seL4_TCB_SetPriority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, 150);
    seL4_TCB_SetPriority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, 255);
    seL4_SchedContext_UnbindObject(ps.sc, ps.tcb);
    *(volatile seL4_Word *)P = 1000;
    ok = true;
    for (seL4_Word i = 0; i < 1000 && ok; i++) {
        seL4_SetMR(0, i);
        seL4_Call(fast_ep, seL4_MessageInfo_new(0, 0, 0, 1));
        ok = seL4_GetMR(0) == i && *(volatile seL4_Word *)P == 1000;
    }
    CHECK("1000 Calls of the fastpath kind (1 word, a passive server in the second space): it reads its own page "
          "at P (0), we ours (1000)", ok);

    /* A probe in the second space: what is mapped there, and what is not. */
    probe_start(vs2);
    CHECK("the probe in the second space reads the shared page at B", probe_reads(B + 8, 0x5678));
    CHECK("A is not mapped in the second space: FSR 4", probe_faults(PROBE_READ, A, FSR_USER));
    CHECK("nor is the root task's IPC buffer", probe_faults(PROBE_READ, (seL4_Word)cairn_bootinfo()->ipcBuffer, FSR_USER));
    CHECK("the image is: the probe reads a global of ours", probe_reads((seL4_Word)&server_stack_seen, server_stack_seen));
    CHECK("the probe writes the shared page; we see it", probe_writes(B + 16, 0x7777) && a[2] == 0x7777);
    CHECK("unmapping the copy at B: the probe's next read faults, ours still works",
          seL4_X86_Page_Unmap(copies[0]) == 0 && probe_faults(PROBE_READ, B + 8, FSR_USER) && a[1] == 0x5678);
    CHECK("remapped read-only at B: reads work, writes fault with FSR 7",
          seL4_X86_Page_Map(copies[0], vs2, B, seL4_CanRead, DEF) == 0 && probe_reads(B + 8, 0x5678) &&
              probe_faults(PROBE_WRITE, B + 8, FSR_PRESENT | FSR_WRITE | FSR_USER));
    a[1] = 0x4321;
    CHECK("we still write at A, and the probe sees it", probe_reads(B + 8, 0x4321));
    CHECK("unmapping at A leaves B", seL4_X86_Page_Unmap(frames[0]) == 0 && probe_reads(B + 8, 0x4321));
    CHECK("the same frame mapped at A + 64 KiB here shows the same words",
          seL4_X86_Page_Map(frames[0], seL4_CapInitThreadVSpace, A + 0x10000, seL4_ReadWrite, DEF) == 0 &&
              ((volatile seL4_Word *)(A + 0x10000))[1] == 0x4321);
    CHECK("deleting the copy's cap unmaps it in the second space only",
          seL4_CNode_Delete(seL4_CapInitThreadCNode, copies[1], 64) == 0 &&
              probe_faults(PROBE_READ, B + 4096, FSR_USER) && a[512 + 0] == 0);
    return 0;
}
