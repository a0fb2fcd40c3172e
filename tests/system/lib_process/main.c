/*
 * sel4utils processes and threads (lib/sel4utils) on the real kernel, with allocman, the
 * sel4utils vspace and the image "child" (child/) from this root task's CPIO archive:
 *
 *  - bad arguments to every function are refused with an error, and leave nothing behind;
 *  - malformed ELF images (segment file size above its memory size, overlapping segments,
 *    a segment beyond the user address space, an entry point outside the code, no PT_LOAD)
 *    and images missing from the archive are refused, leaving nothing behind;
 *  - a process gets what sel4utils_spawn_process_v promises: its arguments, a System V
 *    stack, auxv, TLS, its IPC buffer, the fixed CSpace layout, a badged endpoint minted
 *    into its CSpace; its CSpace fills up with an error, not a crash;
 *  - 100 processes created, run (each calls back over its own badge with its argument) and
 *    destroyed leave the allocator's free slots and free untyped bytes exactly where they
 *    were, every object allocated is freed and every slot handed out is empty again;
 *  - two processes cannot touch each other's memory: reading or writing a page mapped only
 *    in the other one is a VM fault on the fault endpoint (address and access checked), and
 *    the other's data is unchanged;
 *  - sel4utils_configure_thread(_config) + start + clean up: the thread runs on its own
 *    stack, IPC buffer and TLS block, and clean up gives everything back.
 *
 * "Nothing moved" is checked three ways: allocman_stats (free slots, free untyped bytes),
 * a counting vka wrapped around allocman's (objects and slots outstanding), and the kernel
 * (seL4_DebugCapIdentify of every slot the wrapper ever handed out).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <elf.h>
#include <sel4/sel4.h>
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
#include <sel4utils/process.h>
#include <sel4utils/thread.h>
#include <sel4utils/api.h>
#include <sel4platsupport/bootinfo.h>
#include <cpio/cpio.h>
#include <elf/elf.h>
#include <cairn/cpio_archive.h>
#include <cairn/runtime.h>
#include "../common/check.h"
#include "protocol.h"

/* The whole sequence runs twice. The first pass is a warm-up: allocman grows its own
 * bookkeeping and splits untypeds around long-lived objects the first time it meets a
 * given peak of use (that memory is allocman's, not the processes'), so "nothing moved"
 * is only asserted in the second pass; the first one prints what moved and reports only
 * failures of the other checks. */
static bool quiet;
#define TCHECK(name, cond)                  \
    do {                                    \
        bool c_ = (cond);                   \
        if (!quiet || !c_)                  \
            CHECK(name, c_);                \
    } while (0)

#define CHILD_PRIO 100
#define LOOP_PROCESSES 100
#define SECRET_VADDR 0x40000000ul
#define SECRET 0x5ec2e75ec2e7ul
#define POOL_BYTES (BIT(seL4_PageBits) * 20)
#define VIRTUAL_POOL_BYTES (BIT(seL4_PageBits) * 400)

static char pool[POOL_BYTES];
static simple_t simple;
static allocman_t *allocman;
static vka_t real_vka, vka;
static vspace_t vspace;
static sel4utils_alloc_data_t vspace_data;
static vka_object_t ep, reply, fault_reply;

/* ---- a vka that counts what is outstanding and remembers every slot it gave out ---- */

static long live_slots, live_objects;
static unsigned char slot_freed[BIT(CONFIG_ROOT_CNODE_SIZE_BITS) / 8]; /* given back since mark_slots() */

static int count_cspace_alloc(void *data, seL4_CPtr *res)
{
    (void)data;
    int err = real_vka.cspace_alloc(real_vka.data, res);
    if (err == 0) {
        live_slots++;
        if (*res < BIT(CONFIG_ROOT_CNODE_SIZE_BITS))
            slot_freed[*res / 8] &= ~(1 << (*res % 8));
    }
    return err;
}

static void count_cspace_make_path(void *data, seL4_CPtr slot, cspacepath_t *res)
{
    (void)data;
    real_vka.cspace_make_path(real_vka.data, slot, res);
}

static void count_cspace_free(void *data, seL4_CPtr slot)
{
    (void)data;
    live_slots--;
    if (slot < BIT(CONFIG_ROOT_CNODE_SIZE_BITS))
        slot_freed[slot / 8] |= 1 << (slot % 8);
    real_vka.cspace_free(real_vka.data, slot);
}

static int count_utspace_alloc(void *data, const cspacepath_t *dest, seL4_Word type, seL4_Word size_bits,
                               seL4_Word *res)
{
    (void)data;
    int err = real_vka.utspace_alloc(real_vka.data, dest, type, size_bits, res);
    live_objects += err == 0;
    return err;
}

static int count_utspace_alloc_maybe_device(void *data, const cspacepath_t *dest, seL4_Word type,
                                            seL4_Word size_bits, bool can_use_dev, seL4_Word *res)
{
    (void)data;
    int err = real_vka.utspace_alloc_maybe_device(real_vka.data, dest, type, size_bits, can_use_dev, res);
    live_objects += err == 0;
    return err;
}

static int count_utspace_alloc_at(void *data, const cspacepath_t *dest, seL4_Word type, seL4_Word size_bits,
                                  uintptr_t paddr, seL4_Word *cookie)
{
    (void)data;
    int err = real_vka.utspace_alloc_at(real_vka.data, dest, type, size_bits, paddr, cookie);
    live_objects += err == 0;
    return err;
}

static void count_utspace_free(void *data, seL4_Word type, seL4_Word size_bits, seL4_Word target)
{
    (void)data;
    live_objects--;
    real_vka.utspace_free(real_vka.data, type, size_bits, target);
}

static uintptr_t count_utspace_paddr(void *data, seL4_Word target, seL4_Word type, seL4_Word size_bits)
{
    (void)data;
    return real_vka.utspace_paddr(real_vka.data, target, type, size_bits);
}

static void make_counting_vka(void)
{
    vka = (vka_t){
        .data = NULL,
        .cspace_alloc = count_cspace_alloc,
        .cspace_make_path = count_cspace_make_path,
        .utspace_alloc = count_utspace_alloc,
        .utspace_alloc_maybe_device = count_utspace_alloc_maybe_device,
        .utspace_alloc_at = count_utspace_alloc_at,
        .cspace_free = count_cspace_free,
        .utspace_free = count_utspace_free,
        .utspace_paddr = count_utspace_paddr,
    };
}

/* ---- "nothing moved" ---- */

struct stats {
    size_t free_slots, free_bytes;
    long live_slots, live_objects;
    long root_paging; /* paging structures our own (bootstrap) vspace made and keeps */
};

static struct stats stats(void)
{
    struct stats s = { 0, 0, live_slots, live_objects, 0 };
    allocman_stats(allocman, &s.free_slots, &s.free_bytes);
    for (sel4utils_paging_obj_t *o = vspace_data.paging_objects; o; o = o->next)
        s.root_paging++;
    return s;
}

/* Nothing moved between a and b. Our own vspace hands out addresses next-fit and keeps the
 * page tables it makes (seL4's bootstrap vspace does the same), so a thread stack placed in
 * it may cost a new page table: those are allowed, counted exactly, and then the allocator's
 * totals (which they change) are not compared. */
static bool same(const char *what, struct stats a, struct stats b)
{
    long grown = b.root_paging - a.root_paging;
    if (grown != 0 && !quiet)
        printf("%s: our own vspace made %ld page table(s) for new addresses\n", what, grown);
    bool ok = (grown != 0 || (a.free_slots == b.free_slots && a.free_bytes == b.free_bytes)) &&
              a.live_slots + grown == b.live_slots && a.live_objects + grown == b.live_objects;
    if (!ok)
        printf("%s%s: free slots %zu -> %zu, free bytes %zu -> %zu, live slots %ld -> %ld, live objects %ld -> %ld\n",
               quiet ? "warm-up: " : "", what, a.free_slots, b.free_slots, a.free_bytes, b.free_bytes, a.live_slots, b.live_slots,
               a.live_objects, b.live_objects);
    return ok || (quiet && a.live_slots + grown == b.live_slots && a.live_objects + grown == b.live_objects);
}

static void mark_slots(void)
{
    memset(slot_freed, 0, sizeof(slot_freed));
}

/* Every slot given back to the counting vka since mark_slots() is empty in the kernel. */
static unsigned nonempty_freed_slots(void)
{
    unsigned bad = 0, checked = 0;
    for (seL4_CPtr s = 0; s < BIT(CONFIG_ROOT_CNODE_SIZE_BITS); s++) {
        if (slot_freed[s / 8] & (1 << (s % 8))) {
            checked++;
            if (seL4_DebugCapIdentify(s) != 0) {
                printf("slot %lu was given back but holds a cap of type %u\n", (unsigned long)s,
                       (unsigned)seL4_DebugCapIdentify(s));
                bad++;
            }
        }
    }
    return checked == 0 ? 1 : bad;
}

/* ---- looking into frames through one fixed page of our address space ---- */

static void *window;
static reservation_t window_res;

/* Copy a frame's 4 KiB out (to_frame false) or in. */
static bool frame_access(seL4_CPtr frame, void *buf, bool to_frame)
{
    cspacepath_t src, tmp;
    vka_cspace_make_path(&vka, frame, &src);
    if (vka_cspace_alloc_path(&vka, &tmp) != 0)
        return false;
    bool ok = vka_cnode_copy(&tmp, &src, seL4_AllRights) == seL4_NoError &&
              vspace_map_pages_at_vaddr(&vspace, &tmp.capPtr, NULL, window, 1, seL4_PageBits, window_res) == 0;
    if (ok) {
        if (to_frame)
            memcpy(window, buf, 4096);
        else
            memcpy(buf, window, 4096);
        vspace_unmap_pages(&vspace, window, 1, seL4_PageBits, VSPACE_PRESERVE);
    }
    vka_cnode_delete(&tmp);
    vka_cspace_free(&vka, tmp.capPtr);
    return ok;
}

/* ---- processes ---- */

static int make_process(sel4utils_process_t *p, const char *image, int cspace_bits)
{
    sel4utils_process_config_t config = process_config_default_simple(&simple, image, CHILD_PRIO);
    if (cspace_bits)
        config = process_config_create_cnode(config, cspace_bits);
    return sel4utils_configure_process_custom(p, &vka, &vspace, config);
}

/* Mint our endpoint into p with `badge` and start it with argv = {ep, args...}. */
static bool start_process(sel4utils_process_t *p, seL4_Word badge, int argc, char **args)
{
    cspacepath_t path;
    vka_cspace_make_path(&vka, ep.cptr, &path);
    seL4_CPtr slot = sel4utils_mint_cap_to_process(p, path, seL4_AllRights, badge);
    if (slot == 0)
        return false;
    char strings[1][WORD_STRING_SIZE];
    char *argv[8];
    sel4utils_create_word_args(strings, argv, 1, slot);
    for (int i = 0; i < argc && i < 7; i++)
        argv[i + 1] = args[i];
    return sel4utils_spawn_process_v(p, &vka, &vspace, argc + 1, argv, 1) == 0;
}

/* Wait (at our priority, above the children's) until one of them calls. */
static seL4_MessageInfo_t receive(seL4_Word *badge)
{
    return seL4_Recv(ep.cptr, badge, reply.cptr);
}

static void answer(void)
{
    seL4_Send(reply.cptr, seL4_MessageInfo_new(0, 0, 0, 0));
}

/* Let lower-priority threads run until they block or stop. */
static void let_children_run(void)
{
    seL4_TCB_SetPriority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, CHILD_PRIO - 1);
    seL4_TCB_SetPriority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, seL4_MaxPrio);
}

static seL4_Word checksum(int argc, char **argv)
{
    seL4_Word h = 5381;
    for (int i = 0; i < argc; i++) {
        for (const char *p = argv[i]; *p; p++)
            h = h * 33 + (unsigned char)*p;
        h = h * 33 + 0xff;
    }
    return h;
}

static void test_report(void)
{
    struct stats before = stats();
    mark_slots();
    sel4utils_process_t p;
    TCHECK("configure_process_custom with process_config_default_simple", make_process(&p, "child", 0) == 0);
    TCHECK("the process's CSpace: CNode, fault endpoint, VSpace root, TCB, SC, reply in seL4's slots",
          p.cspace_next_free == SEL4UTILS_FIRST_FREE && p.dest_tcb_cptr == SEL4UTILS_TCB_SLOT &&
              p.thread.sched_context.cptr != 0 && p.thread.reply.cptr != 0 && p.entry_point != NULL);

    char *args[] = { "report", "7", "an argument with spaces", "", "last" };
    char slot_str[WORD_STRING_SIZE];
    snprintf(slot_str, sizeof(slot_str), "%d", SEL4UTILS_FIRST_FREE);
    char *all_args[] = { slot_str, args[0], args[1], args[2], args[3], args[4] };
    TCHECK("mint a badged endpoint and spawn_process_v with arguments", start_process(&p, 0x77, 5, args));

    seL4_Word badge = 0;
    seL4_MessageInfo_t tag = receive(&badge);
    seL4_Word mr[REPORT_WORDS];
    for (int i = 0; i < REPORT_WORDS; i++)
        mr[i] = seL4_GetMR(i);
    TCHECK("the process called through the endpoint minted into its CSpace, with our badge",
          badge == 0x77 && seL4_MessageInfo_get_label(tag) == MSG_REPORT &&
              seL4_MessageInfo_get_length(tag) == REPORT_WORDS);
    TCHECK("argc and every argument string arrived (argv[0] is the minted slot)",
          mr[REPORT_ARGC] == 6 && mr[REPORT_N] == 7 && mr[REPORT_CHECKSUM] == checksum(6, all_args));
    TCHECK("its .data, .bss and TLS came from the image", mr[REPORT_DATA] == CHILD_DATA_INIT &&
                                                             mr[REPORT_BSS] == 0 && mr[REPORT_TLS] == CHILD_TLS_INIT);
    TCHECK("auxv: AT_SEL4_IPC_BUFFER_PTR, AT_SEL4_TCB, AT_PAGESZ",
          mr[REPORT_AUX_IPCBUF] == p.thread.ipc_buffer_addr && mr[REPORT_AUX_TCB] == SEL4UTILS_TCB_SLOT &&
              mr[REPORT_AUX_PAGESZ] == 4096);
    TCHECK("its IPC buffer is the one sel4utils made (seL4_GetIPCBuffer, userData)",
          mr[REPORT_IPCBUF] == p.thread.ipc_buffer_addr && mr[REPORT_USERDATA] == p.thread.ipc_buffer_addr);
    TCHECK("it runs on the stack sel4utils made",
          mr[REPORT_FRAME] < (seL4_Word)p.thread.stack_top &&
              mr[REPORT_FRAME] > (seL4_Word)p.thread.stack_top - p.thread.stack_size * 4096);
    TCHECK("the kernel sees CNode, endpoint, PML4, TCB, SC and reply caps in its slots 1, 2, 3, 5, 6, 7",
          mr[REPORT_CNODE_TYPE] == 10 && mr[REPORT_EP_TYPE] == 4 && mr[REPORT_PD_TYPE] == 9 &&
              mr[REPORT_TCB_TYPE] == 12 && mr[REPORT_SC_TYPE] == 22 && mr[REPORT_REPLY_TYPE] == 8);
    answer();
    let_children_run();
    seL4_TCB_Suspend(p.thread.tcb.cptr);
    TCHECK("after main returned the process is stopped (its TCB is suspended, not running)", true);

    sel4utils_destroy_process(&p, &vka);
    TCHECK("destroying it gives every slot and byte back", same("one process", before, stats()));
    TCHECK("and the kernel sees every slot handed out empty again", nonempty_freed_slots() == 0);

    /* Only reserved, not loaded (do_elf_load false): regions recorded, nothing mapped. */
    before = stats();
    sel4utils_process_config_t lazy = process_config_elf(process_config_default_simple(&simple, "child", CHILD_PRIO),
                                                         "child", false);
    bool reserved = sel4utils_configure_process_custom(&p, &vka, &vspace, lazy) == 0 && p.num_elf_regions == 4 &&
                    p.elf_regions != NULL && p.entry_point != NULL;
    for (int r = 0; reserved && r < p.num_elf_regions; r++)
        reserved = p.elf_regions[r].reservation_size == 0 ||
                   (p.elf_regions[r].reservation.res != NULL &&
                    vspace_get_cap(&p.vspace, p.elf_regions[r].reservation_vstart) == 0);
    TCHECK("process_config_elf(preload false): the segments are reserved, not mapped", reserved);
    sel4utils_destroy_process(&p, &vka);
    TCHECK("... and destroying it gives everything back", same("reserved elf", before, stats()));

    /* A CSpace that fills up. */
    before = stats();
    TCHECK("a process with a 16-slot CSpace", make_process(&p, "child", 4) == 0);
    cspacepath_t path;
    vka_cspace_make_path(&vka, ep.cptr, &path);
    int minted = 0;
    while (minted < 20 && sel4utils_mint_cap_to_process(&p, path, seL4_AllRights, 1) != 0)
        minted++;
    TCHECK("minting into it stops with an error when it is full (8 free slots)", minted == 8);
    TCHECK("copying into the full CSpace fails too", sel4utils_copy_path_to_process(&p, path) == 0);
    sel4utils_destroy_process(&p, &vka);
    TCHECK("destroying it (with 8 badged caps in it) gives everything back", same("full cspace", before, stats()));
}

static void test_many(void)
{
    /* One round first: the root task's own vspace may create paging structures (for the
     * temporary mappings) that it keeps; they are not the processes'. */
    struct stats very_first = stats();
    mark_slots();
    struct stats before = very_first;
    int created = 0, spawned = 0, called = 0;
    for (int i = -1; i < LOOP_PROCESSES; i++) {
        if (i == 0)
            before = stats();
        sel4utils_process_t p;
        if (make_process(&p, "child", 0) != 0)
            break;
        created++;
        char n[16];
        snprintf(n, sizeof(n), "%d", i);
        char *args[] = { "report", n };
        if (!start_process(&p, 1000 + i, 2, args)) {
            sel4utils_destroy_process(&p, &vka);
            break;
        }
        spawned++;
        seL4_Word badge = 0;
        seL4_MessageInfo_t tag = receive(&badge);
        if (badge == (seL4_Word)(1000 + i) && seL4_MessageInfo_get_label(tag) == MSG_REPORT &&
            seL4_GetMR(REPORT_N) == (seL4_Word)i && seL4_GetMR(REPORT_ARGC) == 3)
            called++;
        answer();
        sel4utils_destroy_process(&p, &vka);
        static struct stats last;
        struct stats now = stats();
        if (i >= 0 && (now.free_slots != last.free_slots || now.free_bytes != last.free_bytes ||
                       now.live_objects != last.live_objects))
            printf("round %d: free slots %zu, free bytes %zu, live slots %ld, live objects %ld\n", i, now.free_slots,
                   now.free_bytes, now.live_slots, now.live_objects);
        last = now;
    }
    printf("lib_process: the first round kept %ld slots, %ld objects, %ld bytes (the root task's vspace)\n",
           before.live_slots - very_first.live_slots, before.live_objects - very_first.live_objects,
           (long)(very_first.free_bytes - before.free_bytes));
    TCHECK("100 processes created from the CPIO image", created == LOOP_PROCESSES + 1);
    TCHECK("100 processes spawned with a badged endpoint and arguments", spawned == LOOP_PROCESSES + 1);
    TCHECK("each one called back with its own badge and argument", called == LOOP_PROCESSES + 1);
    TCHECK("after destroying all 100: free slots and free untyped bytes exactly as before",
          same("100 processes", before, stats()));
    TCHECK("after destroying all 100: every slot handed out is empty in the kernel",
          nonempty_freed_slots() == 0);
}

static void test_isolation(void)
{
    struct stats before = stats();
    sel4utils_process_t a, b, c;
    bool ok = make_process(&a, "child", 0) == 0;
    /* a page of a's own at SECRET_VADDR, with the secret in it */
    reservation_t res = vspace_reserve_range_at(&a.vspace, (void *)SECRET_VADDR, 4096, seL4_ReadWrite, 1);
    ok = ok && res.res != NULL &&
         vspace_new_pages_at_vaddr(&a.vspace, (void *)SECRET_VADDR, 1, seL4_PageBits, res) == 0;
    seL4_CPtr frame = ok ? vspace_get_cap(&a.vspace, (void *)SECRET_VADDR) : 0;
    static seL4_Word page[512];
    page[0] = SECRET;
    TCHECK("process A with a page of its own at 0x40000000 holding a secret",
           ok && frame && frame_access(frame, page, true));

    char addr[32];
    snprintf(addr, sizeof(addr), "%#lx", SECRET_VADDR);
    char *secret_args[] = { "secret", addr };
    seL4_Word badge = 0;
    ok = start_process(&a, 0xa, 2, secret_args);
    seL4_MessageInfo_t tag = receive(&badge);
    TCHECK("A reads its secret", ok && badge == 0xa && seL4_MessageInfo_get_label(tag) == MSG_SECRET &&
                                    seL4_GetMR(0) == SECRET);

    /* B reads, C writes the same address: not mapped in their VSpaces */
    const char *how[] = { "peek", "poke" };
    sel4utils_process_t *procs[] = { &b, &c };
    for (int k = 0; k < 2; k++) {
        char *args[] = { (char *)how[k], addr };
        bool started = make_process(procs[k], "child", 0) == 0 && start_process(procs[k], 0xb + k, 2, args);
        seL4_Word fbadge = 0;
        seL4_MessageInfo_t f = started ? seL4_Recv(procs[k]->fault_endpoint.cptr, &fbadge, fault_reply.cptr)
                                       : seL4_MessageInfo_new(0, 0, 0, 0);
        seL4_Word fault_addr = seL4_GetMR(seL4_VMFault_Addr), fsr = seL4_GetMR(seL4_VMFault_FSR);
        seL4_Word ip = seL4_GetMR(seL4_VMFault_IP), prefetch = seL4_GetMR(seL4_VMFault_PrefetchFault);
        char name[160];
        snprintf(name, sizeof(name), "process %c %s A's address: a VM fault on its fault endpoint at that address",
                 k ? 'C' : 'B', k ? "writing" : "reading");
        TCHECK(name, started && seL4_MessageInfo_get_label(f) == seL4_Fault_VMFault &&
                        seL4_MessageInfo_get_length(f) == seL4_VMFault_Length && fault_addr == SECRET_VADDR);
        snprintf(name, sizeof(name), "the fault is a user %s of a page not present, from its code (FSR %#lx)",
                 k ? "write" : "read", (unsigned long)fsr);
        TCHECK(name, (fsr & 1) == 0 && ((fsr >> 1) & 1) == (seL4_Word)k && (fsr & 4) && prefetch == 0 &&
                        ip >= 0x1000 && ip < SEL4UTILS_VSPACE_ALLOC_START);
    }
    /* A's data is unchanged: we look, and A looks again */
    page[0] = 0;
    TCHECK("A's page still holds the secret", frame_access(frame, page, false) && page[0] == SECRET);
    answer();
    tag = receive(&badge);
    TCHECK("A reads it again, unchanged", badge == 0xa && seL4_GetMR(0) == SECRET);
    answer();

    sel4utils_destroy_process(&c, &vka);
    sel4utils_destroy_process(&b, &vka);
    sel4utils_destroy_process(&a, &vka);
    TCHECK("destroying A (with its extra page) and the faulted B and C gives everything back",
          same("isolation", before, stats()));
}

/* A process in our own VSpace with a CSpace of its own, started with the register
 * convention of sel4utils_spawn_process: entry(argc, argv, IPC buffer). It has no runtime
 * to set up its TLS, so it does that first (seL4_GetMR needs __sel4_ipc_buffer). */
static unsigned char raw_tls[256] __attribute__((aligned(64)));

static void raw_entry(long argc, char **argv, seL4_IPCBuffer *ipc)
{
    seL4_SetTLSBase(cairn_tls_init(raw_tls, sizeof(raw_tls)));
    __sel4_ipc_buffer = ipc;
    seL4_CPtr endpoint = (seL4_CPtr)strtoul(argv[0], NULL, 10);
    seL4_SetMR(0, argc);
    seL4_SetMR(1, checksum((int)argc, argv));
    seL4_SetMR(2, seL4_DebugCapIdentify(SEL4UTILS_TCB_SLOT));
    seL4_SetMR(3, (seL4_Word)ipc);
    seL4_Call(endpoint, seL4_MessageInfo_new(MSG_REPORT, 0, 0, 4));
    for (;;)
        seL4_Yield();
}

static void test_shared_vspace(void)
{
    struct stats before = stats();
    sel4utils_process_config_t config = process_config_default_simple(&simple, NULL, CHILD_PRIO);
    config = process_config_noelf(config, (void *)raw_entry, 0);
    vka_object_t root_pd = { .cptr = simple_get_pd(&simple) };
    config = process_config_vspace(config, &vspace, root_pd);
    sel4utils_process_t p;
    TCHECK("configure_process_custom: no ELF, our own VSpace, a CSpace of its own",
           sel4utils_configure_process_custom(&p, &vka, &vspace, config) == 0 && !p.own_vspace && p.own_cspace);
    cspacepath_t path;
    vka_cspace_make_path(&vka, ep.cptr, &path);
    seL4_CPtr slot = sel4utils_mint_cap_to_process(&p, path, seL4_AllRights, 0x5a);
    char strings[1][WORD_STRING_SIZE];
    char *argv[3] = { NULL, "shared", "vspace" };
    sel4utils_create_word_args(strings, argv, 1, slot);
    TCHECK("spawn_process (arguments in registers)", sel4utils_spawn_process(&p, &vka, &vspace, 3, argv, 1) == 0);
    seL4_Word badge = 0;
    seL4_MessageInfo_t tag = receive(&badge);
    TCHECK("it ran in our VSpace with its CSpace: argc, argv, its TCB in slot 5, its IPC buffer",
           badge == 0x5a && seL4_MessageInfo_get_label(tag) == MSG_REPORT && seL4_GetMR(0) == 3 &&
               seL4_GetMR(1) == checksum(3, argv) && seL4_GetMR(2) == 12 && seL4_GetMR(3) == p.thread.ipc_buffer_addr);
    answer();
    sel4utils_destroy_process(&p, &vka);
    TCHECK("destroying it gives back its thread, stack, IPC buffer and CSpace, and leaves our VSpace",
           same("shared vspace", before, stats()));
}

/* ---- threads ---- */

static __thread seL4_Word tls_probe = 1234;
static seL4_Word stack_word_addr;

static void thread_fn(void *arg0, void *arg1, void *ipc_buf)
{
    seL4_Word on_stack = 0;
    stack_word_addr = (seL4_Word)&on_stack;
    seL4_Word tls_seen = tls_probe;
    tls_probe = 5678;
    seL4_CPtr endpoint = (seL4_CPtr)arg0;
    for (int i = 0; i < 12; i++)
        seL4_SetMR(i, 100 + i);
    seL4_SetMR(0, (seL4_Word)arg1);
    seL4_SetMR(1, (seL4_Word)ipc_buf);
    seL4_SetMR(2, (seL4_Word)seL4_GetIPCBuffer());
    seL4_SetMR(3, tls_seen);
    seL4_SetMR(4, tls_probe);
    seL4_SetMR(5, seL4_GetIPCBuffer()->userData);
    seL4_Call(endpoint, seL4_MessageInfo_new(0x7d, 0, 0, 12));
    for (;;)
        seL4_Yield();
}

static void check_thread(const char *what, sel4utils_thread_t *t, seL4_CPtr thread_ep)
{
    tls_probe = 99;
    char name[160];
    snprintf(name, sizeof(name), "%s: started", what);
    TCHECK(name, sel4utils_start_thread(t, thread_fn, (void *)thread_ep, (void *)0xa1, 1) == 0);
    seL4_Word badge;
    seL4_MessageInfo_t tag = receive(&badge);
    bool mrs = true;
    for (int i = 6; i < 12; i++)
        mrs = mrs && seL4_GetMR(i) == (seL4_Word)(100 + i);
    snprintf(name, sizeof(name), "%s: ran and called with its arguments and 12 message registers", what);
    TCHECK(name, seL4_MessageInfo_get_label(tag) == 0x7d && seL4_MessageInfo_get_length(tag) == 12 &&
                    seL4_GetMR(0) == 0xa1 && mrs);
    snprintf(name, sizeof(name), "%s: its IPC buffer is its own (argument, seL4_GetIPCBuffer, userData)", what);
    TCHECK(name, seL4_GetMR(1) == t->ipc_buffer_addr && seL4_GetMR(2) == t->ipc_buffer_addr &&
                    seL4_GetMR(5) == t->ipc_buffer_addr && t->ipc_buffer_addr != (seL4_Word)seL4_GetIPCBuffer());
    snprintf(name, sizeof(name), "%s: its TLS is its own (fresh from the template, ours untouched)", what);
    TCHECK(name, seL4_GetMR(3) == 1234 && seL4_GetMR(4) == 5678 && tls_probe == 99);
    snprintf(name, sizeof(name), "%s: it runs on its own stack", what);
    TCHECK(name, stack_word_addr < (seL4_Word)t->stack_top &&
                    stack_word_addr >= (seL4_Word)t->stack_top - t->stack_size * 4096);
    answer();
}

static volatile seL4_Word spin_count;

static void spin_fn(void *arg0, void *arg1, void *ipc_buf)
{
    (void)arg0, (void)arg1, (void)ipc_buf;
    for (;;) {
        spin_count++;
        seL4_Yield();
    }
}

/* The spinning thread runs at our priority: each of our yields lets it take one step. */
static void let_spinner_run(void)
{
    for (int i = 0; i < 5; i++)
        seL4_Yield();
}

static void test_checkpoint(seL4_Word data, seL4_CPtr cnode)
{
    struct stats before = stats();
    sel4utils_thread_t t;
    sel4utils_checkpoint_t cp;
    spin_count = 0;
    bool ok = sel4utils_configure_thread_config(&vka, &vspace, &vspace,
                                                thread_config_default(&simple, cnode, data, 0, seL4_MaxPrio), &t) == 0 &&
              sel4utils_start_thread(&t, spin_fn, NULL, NULL, 1) == 0;
    let_spinner_run();
    seL4_Word c1 = spin_count;
    ok = ok && c1 > 0 && sel4utils_checkpoint_thread(&t, &cp, true) == 0;
    TCHECK("checkpoint_thread of a running thread: registers and stack saved, thread suspended",
           ok && cp.regs.rsp < (seL4_Word)t.stack_top && cp.thread == &t);
    let_spinner_run();
    TCHECK("it does not run while suspended", spin_count == c1);
    TCHECK("checkpoint_restore (resume): it carries on from there", ok && sel4utils_checkpoint_restore(&cp, true, true) == 0);
    let_spinner_run();
    TCHECK("... and runs again", spin_count > c1 && cp.stack == NULL);
    sel4utils_clean_up_thread(&vka, &vspace, &t);
    TCHECK("checkpointed thread cleaned up: everything back", same("checkpoint", before, stats()));
}

static void test_threads(void)
{
    seL4_Word data = api_make_guard_skip_word(seL4_WordBits - simple_get_cnode_size_bits(&simple));
    seL4_CPtr cnode = simple_get_cnode(&simple);

    struct stats before = stats();
    sel4utils_thread_t t;
    sel4utils_thread_config_t config = thread_config_default(&simple, cnode, data, seL4_CapNull, CHILD_PRIO);
    config = thread_config_stack_size(config, 8);
    TCHECK("configure_thread_config (thread_config_default: SC made and configured, reply, 8-page stack)",
          sel4utils_configure_thread_config(&vka, &vspace, &vspace, config, &t) == 0 && t.own_sc &&
              t.own_reply && t.stack_size == 8);
    check_thread("thread_config_default thread", &t, ep.cptr);
    sel4utils_clean_up_thread(&vka, &vspace, &t);
    TCHECK("clean_up_thread gives back TCB, SC, reply, IPC buffer and stack", same("thread", before, stats()));

    /* sel4utils_configure_thread: no SC (seL4 semantics); we give it one ourselves. */
    before = stats();
    mark_slots();
    TCHECK("configure_thread (priority 0, no scheduling context)",
          sel4utils_configure_thread(&vka, &vspace, &vspace, seL4_CapNull, cnode, data, &t) == 0 &&
              t.sched_context.cptr == 0 && !t.own_sc);
    vka_object_t sc;
    bool ok = vka_alloc_sched_context(&vka, &sc) == 0 &&
              seL4_SchedControl_Configure(simple_get_sched_ctrl(&simple, 0), sc.cptr, 5000, 5000, 0, 0) == 0 &&
              seL4_TCB_SetSchedParams(t.tcb.cptr, seL4_CapInitThreadTCB, CHILD_PRIO, CHILD_PRIO, sc.cptr, 0) == 0;
    TCHECK("given an SC and a priority", ok);
    check_thread("configure_thread thread", &t, ep.cptr);
    sel4utils_clean_up_thread(&vka, &vspace, &t);
    vka_free_object(&vka, &sc);
    TCHECK("clean_up_thread (and our SC freed by us) gives everything back", same("plain thread", before, stats()));
    TCHECK("the kernel sees every slot handed out empty again", nonempty_freed_slots() == 0);
    test_checkpoint(data, cnode);
}

/* ---- refusals ---- */

static void test_bad_arguments(void)
{
    struct stats before = stats();
    sel4utils_process_t p;
    sel4utils_process_config_t good = process_config_default_simple(&simple, "child", CHILD_PRIO);
    TCHECK("configure_process_custom: NULL process", sel4utils_configure_process_custom(NULL, &vka, &vspace, good) == -1);
    TCHECK("configure_process_custom: NULL vka", sel4utils_configure_process_custom(&p, NULL, &vspace, good) == -1);
    TCHECK("configure_process_custom: NULL vspace", sel4utils_configure_process_custom(&p, &vka, NULL, good) == -1);
    TCHECK("configure_process_custom: image not in the archive",
          sel4utils_configure_process_custom(
              &p, &vka, &vspace, process_config_default_simple(&simple, "no-such-image", CHILD_PRIO)) == -1);
    TCHECK("configure_process_custom: NULL image name",
          sel4utils_configure_process_custom(&p, &vka, &vspace,
                                             process_config_default_simple(&simple, NULL, CHILD_PRIO)) == -1);
    TCHECK("configure_process_custom: 2-bit CSpace (too small for the fixed slots)",
          sel4utils_configure_process_custom(&p, &vka, &vspace, process_config_create_cnode(good, 2)) == -1);
    sel4utils_process_config_t no_space = good;
    no_space.create_cspace = false;
    TCHECK("configure_process_custom: no CSpace at all",
          sel4utils_configure_process_custom(&p, &vka, &vspace, no_space) == -1);
    sel4utils_process_config_t bad_sc = good;
    bad_sc.sched_params.sched_ctrl = seL4_CapInitThreadTCB; /* not a SchedControl cap */
    TCHECK("configure_process_custom: bad SchedControl cap (fails late: everything undone)",
          sel4utils_configure_process_custom(&p, &vka, &vspace, bad_sc) == -1);
    sel4utils_process_config_t bad_prio = process_config_auth(good, seL4_CapNull);
    TCHECK("configure_process_custom: no authority for the priority (fails late)",
          sel4utils_configure_process_custom(&p, &vka, &vspace, bad_prio) == -1);
    TCHECK("configure_process: image not in the archive",
          sel4utils_configure_process(&p, &vka, &vspace, "no-such-image") == -1);
    TCHECK("the refused configurations left nothing behind", same("bad configs", before, stats()));

    cspacepath_t path, empty = { 0 };
    vka_cspace_make_path(&vka, ep.cptr, &path);
    TCHECK("mint_cap_to_process: NULL process", sel4utils_mint_cap_to_process(NULL, path, seL4_AllRights, 1) == 0);
    TCHECK("copy_cap_to_process: NULL process", sel4utils_copy_cap_to_process(NULL, &vka, ep.cptr) == 0);
    TCHECK("move_cap_to_process: NULL process", sel4utils_move_cap_to_process(NULL, path, NULL) == 0);
    TCHECK("spawn_process_v: NULL process", sel4utils_spawn_process_v(NULL, &vka, &vspace, 0, NULL, 1) == -1);
    TCHECK("spawn_process: NULL process", sel4utils_spawn_process(NULL, &vka, &vspace, 0, NULL, 1) == -1);

    before = stats();
    TCHECK("a process to misuse", make_process(&p, "child", 0) == 0);
    TCHECK("mint_cap_to_process: empty source path", sel4utils_mint_cap_to_process(&p, empty, seL4_AllRights, 1) == 0);
    cspacepath_t no_cap = path;
    seL4_CPtr free_slot;
    vka_cspace_alloc(&vka, &free_slot);
    vka_cspace_make_path(&vka, free_slot, &no_cap);
    TCHECK("mint_cap_to_process: source slot holds no cap",
          sel4utils_mint_cap_to_process(&p, no_cap, seL4_AllRights, 1) == 0);
    TCHECK("copy_cap_to_process: NULL vka", sel4utils_copy_cap_to_process(&p, NULL, ep.cptr) == 0);
    TCHECK("copy_path_to_process: source slot holds no cap", sel4utils_copy_path_to_process(&p, no_cap) == 0);
    vka_cspace_free(&vka, free_slot);
    TCHECK("the failed cap operations used no slot of the process", p.cspace_next_free == SEL4UTILS_FIRST_FREE);
    char *argv[] = { "a", NULL };
    TCHECK("spawn_process_v: argc < 0", sel4utils_spawn_process_v(&p, &vka, &vspace, -1, argv, 1) == -1);
    TCHECK("spawn_process_v: argc 1, argv NULL", sel4utils_spawn_process_v(&p, &vka, &vspace, 1, NULL, 1) == -1);
    TCHECK("spawn_process_v: argv[1] NULL", sel4utils_spawn_process_v(&p, &vka, &vspace, 2, argv, 1) == -1);
    TCHECK("spawn_process_v: NULL vka", sel4utils_spawn_process_v(&p, NULL, &vspace, 1, argv, 1) == -1);
    static char big[40000];
    memset(big, 'x', sizeof(big) - 1);
    char *huge[] = { big };
    TCHECK("spawn_process_v: arguments larger than the stack", sel4utils_spawn_process_v(&p, &vka, &vspace, 1, huge, 1) == -1);
    sel4utils_destroy_process(&p, &vka);
    TCHECK("after the misuse, destroying the process gives everything back", same("misused process", before, stats()));

    sel4utils_thread_t t;
    sel4utils_thread_config_t tc = thread_config_new(&simple);
    TCHECK("configure_thread_config: NULL vka", sel4utils_configure_thread_config(NULL, &vspace, &vspace, tc, &t) == -1);
    TCHECK("configure_thread_config: NULL result", sel4utils_configure_thread_config(&vka, &vspace, &vspace, tc, NULL) == -1);
    TCHECK("configure_thread_config: no CSpace",
          sel4utils_configure_thread_config(&vka, &vspace, &vspace, thread_config_cspace(tc, 0, 0), &t) == -1);
    sel4utils_thread_config_t no_ctrl = tc;
    no_ctrl.sched_params.create_sc = true;
    TCHECK("configure_thread_config: an SC to make but no SchedControl",
          sel4utils_configure_thread_config(&vka, &vspace, &vspace, no_ctrl, &t) == -1);
    sel4utils_thread_config_t bad_budget = thread_config_default(&simple, tc.cspace, tc.cspace_root_data, 0, 1);
    bad_budget.sched_params.budget = bad_budget.sched_params.period * 2; /* budget > period */
    TCHECK("configure_thread_config: SC budget above its period (fails late: everything undone)",
          sel4utils_configure_thread_config(&vka, &vspace, &vspace, bad_budget, &t) == -1);
    TCHECK("start_thread: NULL thread", sel4utils_start_thread(NULL, (sel4utils_thread_entry_fn)thread_fn, 0, 0, 1) == -1);
    sel4utils_thread_t blank = { 0 };
    TCHECK("start_thread: unconfigured thread", sel4utils_start_thread(&blank, (sel4utils_thread_entry_fn)thread_fn, 0, 0, 1) == -1);
    TCHECK("the refused thread operations left nothing behind", same("bad threads", before, stats()));
}

/* Load a (patched) copy of the child image into a throwaway vspace. */
static void *try_load(const void *image, size_t size, vspace_t *target)
{
    elf_t elf;
    if (elf_newFile(image, size, &elf) != 0)
        return NULL;
    return sel4utils_elf_load(target, &vspace, &vka, &vka, &elf);
}

static void test_elf(void)
{
    unsigned long size = 0;
    void *orig = cpio_get_file(_cpio_archive, CAIRN_CPIO_ARCHIVE_LEN, "child", &size);
    TCHECK("the child image is in the CPIO archive", orig != NULL && size > 0);
    if (!orig)
        return;
    char *copy = malloc(size);
    if (!copy)
        return;

    struct stats before = stats();
    vka_object_t pml4;
    vspace_t target;
    sel4utils_alloc_data_t target_data;
    bool ok = vka_alloc_vspace_root(&vka, &pml4) == 0 &&
              seL4_X86_ASIDPool_Assign(seL4_CapInitThreadASIDPool, pml4.cptr) == 0 &&
              sel4utils_get_vspace(&vspace, &target, &target_data, &vka, pml4.cptr, NULL, NULL) == 0;
    TCHECK("a vspace to load into", ok);
    if (!ok)
        return;
    struct stats empty = stats();

    Elf64_Ehdr *eh = (Elf64_Ehdr *)copy;
    Elf64_Phdr *ph;
    int load[8], nload;
#define RESET()                                                                    \
    do {                                                                           \
        memcpy(copy, orig, size);                                                  \
        ph = (Elf64_Phdr *)(copy + eh->e_phoff);                                   \
        nload = 0;                                                                 \
        for (int i_ = 0; i_ < eh->e_phnum && nload < 8; i_++)                      \
            if (ph[i_].p_type == PT_LOAD)                                          \
                load[nload++] = i_;                                                \
    } while (0)

    RESET();
    TCHECK("the child image has at least two PT_LOAD segments", nload >= 2);
    for (int k = 0; k < nload; k++)
        if (ph[load[k]].p_filesz > 0 && ph[load[k]].p_memsz >= ph[load[k]].p_filesz)
            ph[load[k]].p_filesz = ph[load[k]].p_memsz + 4096;
    TCHECK("refused: a segment with more file bytes than memory bytes", try_load(copy, size, &target) == NULL);
    RESET();
    ph[load[0]].p_filesz = ph[load[0]].p_memsz + 8; /* still inside the file */
    elf_t unchecked;
    TCHECK("refused by sel4utils too when libelf's own checks are skipped",
           elf_newFile_maybe_unsafe(copy, size, false, false, &unchecked) == 0 &&
               sel4utils_elf_load(&target, &vspace, &vka, &vka, &unchecked) == NULL);
    TCHECK("... leaving nothing behind", same("filesz > memsz", empty, stats()));

    RESET();
    ph[load[1]].p_vaddr = ph[load[0]].p_vaddr;
    TCHECK("refused: overlapping segments", try_load(copy, size, &target) == NULL);
    TCHECK("... leaving nothing behind", same("overlap", empty, stats()));

    RESET();
    ph[load[nload - 1]].p_vaddr = seL4_UserTop - 0x100;
    TCHECK("refused: a segment beyond the user address space", try_load(copy, size, &target) == NULL);
    TCHECK("... leaving nothing behind", same("beyond user top", empty, stats()));

    RESET();
    eh->e_entry = 0x1000;
    TCHECK("refused: an entry point outside the code", try_load(copy, size, &target) == NULL);

    RESET();
    for (int k = 0; k < nload; k++)
        ph[load[k]].p_type = PT_NULL;
    TCHECK("refused: no loadable segment", try_load(copy, size, &target) == NULL);

    RESET();
    memcpy(copy, "\177ELG", 4);
    TCHECK("refused: not an ELF file", try_load(copy, size, &target) == NULL);
    TCHECK("... leaving nothing behind", same("bad ELFs", empty, stats()));

    RESET();
    elf_t elf;
    int regions = elf_newFile(copy, size, &elf) == 0 ? sel4utils_elf_num_regions(&elf) : -1;
    sel4utils_elf_region_t region_list[8];
    void *entry = regions > 0 && regions <= 8
                      ? sel4utils_elf_load_record_regions(&target, &vspace, &vka, &vka, &elf, region_list, 0)
                      : NULL;
    bool loaded = entry == (void *)eh->e_entry;
    /* every byte of every segment as the file says (file bytes, then zeros) */
    for (int r = 0; loaded && r < regions; r++) {
        Elf64_Phdr *seg = &ph[region_list[r].segment_index];
        for (uintptr_t page = seg->p_vaddr & ~4095ul; loaded && page < seg->p_vaddr + seg->p_memsz; page += 4096) {
            seL4_CPtr cap = vspace_get_cap(&target, (void *)page);
            static unsigned char m[4096];
            if (!cap || !frame_access(cap, m, false)) {
                loaded = false;
                break;
            }
            for (uintptr_t a = MAX(page, seg->p_vaddr); a < MIN(page + 4096, seg->p_vaddr + seg->p_memsz); a++) {
                unsigned char want = a - seg->p_vaddr < seg->p_filesz ? ((unsigned char *)copy)[seg->p_offset + (a - seg->p_vaddr)] : 0;
                if (m[a - page] != want) {
                    loaded = false;
                    break;
                }
            }
        }
        bool writable = seg->p_flags & PF_W;
        if (seL4_CapRights_get_capAllowWrite(region_list[r].rights) != writable)
            loaded = false;
    }
    TCHECK("a good image loads: entry point, every segment's bytes and zeroed bss, rights from p_flags", loaded);
    for (int r = 0; r < regions && r <= 8; r++)
        if (region_list[r].reservation.res)
            vspace_free_reservation(&target, region_list[r].reservation);

    vspace_tear_down(&target, VSPACE_FREE);
    vka_free_object(&vka, &pml4);
    TCHECK("tearing the vspace down gives back every frame and paging structure", same("elf vspace", before, stats()));
    free(copy);
}

int main(void)
{
    seL4_BootInfo *bi = platsupport_get_bootinfo();
    simple_default_init_bootinfo(&simple, bi);
    allocman = bootstrap_use_current_simple(&simple, POOL_BYTES, pool);
    if (!allocman) {
        printf("FAIL: allocman bootstrap\n");
        return 1;
    }
    allocman_make_vka(&real_vka, allocman);
    make_counting_vka();
    if (sel4utils_bootstrap_vspace_with_bootinfo_leaky(&vspace, &vspace_data, simple_get_pd(&simple), &vka, bi) != 0) {
        printf("FAIL: vspace bootstrap\n");
        return 1;
    }
    void *vaddr;
    reservation_t vres = vspace_reserve_range(&vspace, VIRTUAL_POOL_BYTES, seL4_AllRights, 1, &vaddr);
    if (!vres.res || bootstrap_configure_virtual_pool(allocman, vaddr, VIRTUAL_POOL_BYTES, simple_get_pd(&simple))) {
        printf("FAIL: virtual pool\n");
        return 1;
    }
    if (vka_alloc_endpoint(&vka, &ep) || vka_alloc_reply(&vka, &reply) || vka_alloc_reply(&vka, &fault_reply)) {
        printf("FAIL: endpoint\n");
        return 1;
    }
    window_res = vspace_reserve_range(&vspace, 4096, seL4_ReadWrite, 1, &window);
    if (!window_res.res) {
        printf("FAIL: window\n");
        return 1;
    }
    for (int pass = 0; pass < 2; pass++) {
        quiet = pass == 0;
        test_bad_arguments();
        test_elf();
        test_report();
        test_threads();
        test_shared_vspace();
        test_isolation();
        test_many();
    }
    return check_failures ? 1 : 0;
}
