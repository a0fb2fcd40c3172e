/*
 * The runtime's process side (lib/runtime, contract 2), proven without sel4utils: this root
 * task finds the image "child" in its CPIO archive (lib/cpio), reads it with lib/elf, and
 * starts it by hand with the raw seL4 API: a CNode of its own, a PML4 with an ASID, frames
 * for its PT_LOAD segments, a stack holding argc/argv/envp/auxv, an IPC buffer, a TCB and
 * an SC. The child reports over IPC what the runtime gave it (arguments, environment, TLS,
 * an aligned stack, a working IPC buffer) and returns from main, which must suspend it
 * (AT_SEL4_TCB); a second child without AT_SEL4_TCB must only yield forever, not stop QEMU.
 */
#include <stdio.h>
#include <string.h>
#include <sel4/sel4.h>
#include <sel4runtime/auxv.h>
#include <cpio/cpio.h>
#include <elf/elf.h>
#include <cairn/cpio_archive.h>
#include "../common/check.h"
#include "../common/thread.h"
#include "../common/vspace.h"

#define CHILD_CNODE_BITS 5
#define CHILD_EP_SLOT 1
#define CHILD_TCB_SLOT 2
#define CHILD_STACK_TOP 0x20000000ul
#define CHILD_STACK_PAGES 4
#define CHILD_IPC_BUFFER (CHILD_STACK_TOP + 4096) /* a guard page between */
#define SCRATCH 0x300000000000ul                  /* where we fill the child's frames */
#define MAX_PAGES 2048
#define EP_BADGE 0x61
#define FAULT_BADGE 0xfa

static seL4_CPtr ep, reply;

struct child {
    seL4_CPtr tcb, sc;
    bool loaded;
};

/* A frame mapped at `scratch` here (zeroed by the kernel) that will go to `vaddr` there. */
struct page {
    seL4_CPtr frame;
    seL4_Word vaddr;
    bool writable;
};
static struct page pages[MAX_PAGES];
static unsigned npages;

static seL4_CPtr new_page(seL4_Word vaddr, seL4_Word scratch, bool writable)
{
    if (npages == MAX_PAGES) {
        printf("FAIL: loader: more than %d pages\n", MAX_PAGES);
        return 0;
    }
    seL4_CPtr f = test_new_mapped_frame(seL4_CapInitThreadVSpace, seL4_X86_4K, scratch, seL4_ReadWrite);
    pages[npages++] = (struct page){ f, vaddr, writable };
    return f;
}

/* Move every page from our scratch window to the child's VSpace. */
static bool map_pages_in(seL4_CPtr vspace)
{
    bool ok = true;
    for (unsigned i = 0; i < npages; i++) {
        ok = ok && seL4_X86_Page_Unmap(pages[i].frame) == seL4_NoError &&
             test_map_frame(vspace, pages[i].frame, pages[i].vaddr, pages[i].writable ? seL4_ReadWrite : seL4_CanRead,
                            seL4_X86_Default_VMAttributes) == seL4_NoError;
    }
    npages = 0;
    return ok;
}

/* The PT_LOAD segments: pages for [min, max) at SCRATCH + (v - min) here, the file bytes
 * copied in; the rest stays zero (bss). Pages shared by two segments are made once. */
static bool load_segments(const elf_t *elf, seL4_Word *min_out)
{
    uintptr_t min, max;
    if (!elf_getMemoryBounds(elf, VIRTUAL, &min, &max) || min >= max)
        return false;
    min &= ~4095ul;
    max = (max + 4095) & ~4095ul;
    static bool have[MAX_PAGES];
    if ((max - min) / 4096 > MAX_PAGES)
        return false;
    memset(have, 0, sizeof(have));
    for (size_t i = 0; i < elf_getNumProgramHeaders(elf); i++) {
        if (elf_getProgramHeaderType(elf, i) != PT_LOAD)
            continue;
        seL4_Word v = elf_getProgramHeaderVaddr(elf, i), memsz = elf_getProgramHeaderMemorySize(elf, i);
        bool w = elf_getProgramHeaderFlags(elf, i) & PF_W;
        for (seL4_Word p = v & ~4095ul; p < v + memsz; p += 4096) {
            unsigned k = (p - min) / 4096;
            if (!have[k]) {
                if (!new_page(p, SCRATCH + (p - min), w))
                    return false;
                have[k] = true;
            } else if (w) {
                for (unsigned j = 0; j < npages; j++)
                    if (pages[j].vaddr == p)
                        pages[j].writable = true;
            }
        }
        const void *data = elf_getProgramSegment(elf, i);
        if (!data)
            return false;
        memcpy((void *)(SCRATCH + (v - min)), data, elf_getProgramHeaderFileSize(elf, i));
    }
    *min_out = min;
    return true;
}

/* The initial stack (contract 2): strings at the top, then auxv, envp and argv arrays, argc
 * at the 16-byte aligned stack pointer. Built at `top` in our scratch view of the top page. */
static seL4_Word build_stack(char *view_top, seL4_Word top, int argc, const char **argv, const char *env,
                             const seL4_Word *auxv, int nauxv)
{
    char *s = view_top;
    seL4_Word str_addr[8], env_addr;
    for (int i = argc - 1; i >= 0; i--) {
        size_t n = strlen(argv[i]) + 1;
        s -= n;
        memcpy(s, argv[i], n);
        str_addr[i] = top - (view_top - s);
    }
    size_t n = strlen(env) + 1;
    s -= n;
    memcpy(s, env, n);
    env_addr = top - (view_top - s);
    seL4_Word words = 1 + argc + 1 + 2 + 2 * (nauxv + 1);
    seL4_Word *sp = (seL4_Word *)(((uintptr_t)s - words * 8) & ~15ul);
    seL4_Word *w = sp;
    *w++ = argc;
    for (int i = 0; i < argc; i++)
        *w++ = str_addr[i];
    *w++ = 0;
    *w++ = env_addr;
    *w++ = 0;
    for (int i = 0; i < 2 * nauxv; i++)
        *w++ = auxv[i];
    *w++ = AT_NULL;
    *w++ = 0;
    return top - (view_top - (char *)sp);
}

static struct child spawn(const char *image_name, const char *arg1, bool give_tcb, int prio)
{
    struct child c = { 0 };
    unsigned long size = 0;
    void *file = cpio_get_file(_cpio_archive, CAIRN_CPIO_ARCHIVE_LEN, image_name, &size);
    elf_t elf;
    if (!file || elf_newFile(file, size, &elf) != 0) {
        printf("FAIL: %s: no valid ELF image in the archive\n", image_name);
        return c;
    }

    /* CSpace: a CNode of 2^5 slots, guard 59, so cptrs resolve at depth 64. */
    seL4_CPtr cnode = test_alloc_obj(seL4_CapTableObject, CHILD_CNODE_BITS);
    seL4_CPtr vspace = test_vspace_new();
    c.tcb = test_alloc_obj(seL4_TCBObject, 0);
    c.sc = test_alloc_obj(seL4_SchedContextObject, 8);
    bool ok = seL4_CNode_Mint(cnode, CHILD_EP_SLOT, CHILD_CNODE_BITS, seL4_CapInitThreadCNode, ep, 64, seL4_AllRights,
                              EP_BADGE) == seL4_NoError;
    if (give_tcb)
        ok = ok && seL4_CNode_Copy(cnode, CHILD_TCB_SLOT, CHILD_CNODE_BITS, seL4_CapInitThreadCNode, c.tcb, 64,
                                   seL4_AllRights) == seL4_NoError;

    /* Image, stack and IPC buffer. */
    seL4_Word min = 0;
    ok = ok && load_segments(&elf, &min);
    seL4_Word scratch_stack = SCRATCH + 0x10000000ul;
    for (int i = 0; i < CHILD_STACK_PAGES; i++)
        new_page(CHILD_STACK_TOP - (CHILD_STACK_PAGES - i) * 4096ul, scratch_stack + i * 4096ul, true);
    const Elf64_Ehdr *eh = file;
    seL4_Word auxv[] = {
        AT_PAGESZ, 4096,
        AT_PHDR, min + eh->e_phoff,
        AT_PHENT, sizeof(Elf64_Phdr),
        AT_PHNUM, elf_getNumProgramHeaders(&elf),
        AT_SEL4_IPC_BUFFER_PTR, CHILD_IPC_BUFFER,
        AT_SEL4_TCB, give_tcb ? CHILD_TCB_SLOT : 0,
    };
    char ep_arg[8];
    snprintf(ep_arg, sizeof(ep_arg), "%d", CHILD_EP_SLOT);
    const char *argv[] = { "child", arg1, ep_arg };
    seL4_Word sp = build_stack((char *)(scratch_stack + CHILD_STACK_PAGES * 4096ul), CHILD_STACK_TOP, 3, argv,
                               "CAIRN_TEST=1", auxv, give_tcb ? 6 : 5);
    seL4_CPtr ipc = new_page(CHILD_IPC_BUFFER, scratch_stack + 0x100000, true);
    ok = ok && map_pages_in(vspace);

    /* The thread: its CSpace, VSpace, IPC buffer, an SC, a fault endpoint (a badged copy of
     * ours, so a crash shows up here), then registers: entry point and stack. */
    seL4_CPtr fault_ep = 0;
    ok = ok && cairn_alloc_slot(&test_alloc, &fault_ep) == seL4_NoError;
    ok = ok && seL4_CNode_Mint(seL4_CapInitThreadCNode, fault_ep, 64, seL4_CapInitThreadCNode, ep, 64, seL4_AllRights,
                               FAULT_BADGE) == seL4_NoError;
    ok = ok && seL4_TCB_Configure(c.tcb, cnode, seL4_CNode_CapData_new(0, 64 - CHILD_CNODE_BITS).words[0], vspace, 0,
                                  CHILD_IPC_BUFFER, ipc) == seL4_NoError;
    ok = ok && test_sc_configure(c.sc, 5000, 5000) == seL4_NoError;
    ok = ok && seL4_TCB_SetSchedParams(c.tcb, seL4_CapInitThreadTCB, prio, prio, c.sc, fault_ep) == seL4_NoError;
    seL4_DebugNameThread(c.tcb, give_tcb ? "child" : "child-no-tcb");
    seL4_UserContext regs = { 0 };
    regs.rip = elf_getEntryPoint(&elf);
    regs.rsp = sp;
    ok = ok && seL4_TCB_WriteRegisters(c.tcb, true, 0, sizeof(regs) / sizeof(seL4_Word), &regs) == seL4_NoError;
    c.loaded = ok;
    return c;
}

/* Serve one child's two Calls; false (and FAILs) if it faulted instead. */
static bool serve(const char *who)
{
    seL4_Word badge;
    seL4_MessageInfo_t info = seL4_Recv(ep, &badge, reply);
    if (badge == FAULT_BADGE) {
        printf("FAIL: %s faulted: fault label %lu, MR0 0x%lx MR1 0x%lx\n", who,
               (unsigned long)seL4_MessageInfo_get_label(info), (unsigned long)seL4_GetMR(0),
               (unsigned long)seL4_GetMR(1));
        return false;
    }
    seL4_Word mr[7];
    for (int i = 0; i < 7; i++)
        mr[i] = seL4_GetMR(i);
    char name[160];
    snprintf(name, sizeof(name), "%s: its Call arrives with our badge and 7 words", who);
    CHECK(name, badge == EP_BADGE && seL4_MessageInfo_get_label(info) == 1 && seL4_MessageInfo_get_length(info) == 7);
    snprintf(name, sizeof(name), "%s: main(argc, argv) got argc 3 and our argv, NULL-terminated", who);
    CHECK(name, mr[0] == 3 && mr[1] == 1);
    snprintf(name, sizeof(name), "%s: envp follows argv", who);
    CHECK(name, mr[2] == 1);
    snprintf(name, sizeof(name), "%s: __thread variables start from the image's TLS template and are writable", who);
    CHECK(name, mr[3] == 1);
    snprintf(name, sizeof(name), "%s: main runs on a 16-byte aligned stack", who);
    CHECK(name, mr[4] == 1);
    snprintf(name, sizeof(name), "%s: the auxiliary vector is readable (AT_PAGESZ 4096)", who);
    CHECK(name, mr[5] == 4096);
    snprintf(name, sizeof(name), "%s: its IPC buffer is at AT_SEL4_IPC_BUFFER_PTR (words 4-6 came through it)", who);
    CHECK(name, mr[6] == CHILD_IPC_BUFFER);
    for (int i = 0; i < 7; i++)
        seL4_SetMR(i, ~mr[i]);
    info = seL4_ReplyRecv(ep, seL4_MessageInfo_new(0, 0, 0, 7), &badge, reply);
    snprintf(name, sizeof(name), "%s: our 7-word reply reached it intact", who);
    CHECK(name, badge == EP_BADGE && seL4_MessageInfo_get_label(info) == 2 && seL4_GetMR(0) == 1);
    seL4_Send(reply, seL4_MessageInfo_new(0, 0, 0, 0));
    return true;
}

static void check_archive(void)
{
    struct cpio_info info;
    const char *name = NULL;
    unsigned long size = 0;
    CHECK("the root task's archive is linked in, 8-byte aligned",
          CAIRN_CPIO_ARCHIVE_LEN > 0 && ((uintptr_t)_cpio_archive & 7) == 0);
    CHECK("cpio_info: one member", cpio_info(_cpio_archive, CAIRN_CPIO_ARCHIVE_LEN, &info) == 0 &&
                                       info.file_count == 1 && info.max_path_sz == 5);
    void *data = cpio_get_entry(_cpio_archive, CAIRN_CPIO_ARCHIVE_LEN, 0, &name, &size);
    CHECK("cpio_get_entry(0) is \"child\", an ELF file", data && strcmp(name, "child") == 0 && size > 64 &&
                                                             elf_check_magic(data) == 0);
    CHECK("cpio_get_file finds it by name, not a missing name",
          cpio_get_file(_cpio_archive, CAIRN_CPIO_ARCHIVE_LEN, "child", &size) == data &&
              cpio_get_file(_cpio_archive, CAIRN_CPIO_ARCHIVE_LEN, "chil", &size) == NULL);
    elf_t elf;
    CHECK("elf_newFile accepts it; its entry point lies in an executable PT_LOAD segment",
          elf_newFile(data, size, &elf) == 0 && ({
              bool in = false;
              for (size_t i = 0; i < elf_getNumProgramHeaders(&elf); i++)
                  in = in || (elf_getProgramHeaderType(&elf, i) == PT_LOAD &&
                              (elf_getProgramHeaderFlags(&elf, i) & PF_X) &&
                              elf_vaddrInProgramHeader(&elf, i, elf_getEntryPoint(&elf)));
              in;
          }));
    CHECK("the image was stripped of debug info (no .debug_info section)",
          elf_getSectionNamed(&elf, ".debug_info", NULL) == NULL && elf_getSectionNamed(&elf, ".text", NULL) != NULL);
}

int main(void)
{
    test_init();
    check_archive();
    ep = test_alloc_obj(seL4_EndpointObject, 0);
    reply = test_alloc_obj(seL4_ReplyObject, 0);

    /* A child below us: it runs while we wait in Recv. */
    struct child c = spawn("child", "with-tcb", true, 100);
    CHECK("the loader built the child (CNode, VSpace, segments, stack, IPC buffer, TCB)", c.loaded);
    if (c.loaded && serve("child")) {
        /* It returns from main now. Below it, we run again only once it stops running: a
         * child that spun (yielding) instead of suspending would starve us until the timeout. */
        seL4_TCB_SetPriority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, 50);
        seL4_TCB_SetPriority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, 255);
        CHECK("after main returned the child stopped running (it suspended itself)", true);
    }

    /* Without AT_SEL4_TCB: exit can only yield forever; at our priority we share the CPU. */
    struct child d = spawn("child", "no-tcb", false, 100);
    CHECK("the loader built a second child without a TCB cap", d.loaded);
    if (d.loaded && serve("child without a TCB cap")) {
        seL4_TCB_SetPriority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, 100);
        for (int i = 0; i < 20; i++)
            seL4_Yield();
        seL4_TCB_SetPriority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, 255);
        CHECK("a child without a TCB cap yields forever after exit: we still run, QEMU still runs",
              seL4_TCB_Suspend(d.tcb) == seL4_NoError);
    }
    return check_failures ? 1 : 0;
}
