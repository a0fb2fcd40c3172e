/*
 * dynamic-2: IPC between two threads of one root task. The root task starts thread_2 in its
 * own CSpace and VSpace (as in dynamic-1, this time with an IPC buffer it maps by hand, and
 * TLS so that thread_2 can find that buffer), then calls it over an endpoint through a
 * badged copy of the endpoint cap. thread_2 checks the badge, inverts the word it received
 * and replies.
 *
 * This is the scenario of seL4's "dynamic-2" tutorial with every task done, using the same
 * library calls. Cairn is an MCS kernel:
 *  - seL4_TCB_Configure takes no fault endpoint (one argument fewer than in the tutorial);
 *  - thread_2 needs a scheduling context to run at all;
 *  - receiving on an endpoint needs a reply object, so thread_2's seL4_Recv and
 *    seL4_ReplyRecv pass one (the non-MCS tutorial passes none).
 */
#include <autoconf.h>
#include <stdio.h>
#include <inttypes.h>
#include <sel4/sel4.h>
#include <sel4runtime.h>
#include <sel4runtime/gen_config.h>
#include <simple/simple.h>
#include <simple-default/simple-default.h>
#include <vka/object.h>
#include <vka/object_capops.h>
#include <allocman/allocman.h>
#include <allocman/bootstrap.h>
#include <allocman/vka.h>
#include <vspace/vspace.h>
#include <sel4utils/vspace.h>
#include <sel4utils/mapping.h>
#include <sel4utils/thread.h>
#include <utils/arith.h>
#include <utils/zf_log.h>
#include <sel4utils/sel4_zf_logif.h>
#include <sel4platsupport/bootinfo.h>

#define IPCBUF_FRAME_SIZE_BITS seL4_PageBits   /* one 4 KiB frame holds the IPC buffer */
#define IPCBUF_VADDR 0x7000000                 /* a free spot in our address space */

#define EP_BADGE 0x61     /* identifies the root task's calls to thread_2 */
#define MSG_DATA 0x6161   /* the word the root task sends */

#define ALLOCATOR_STATIC_POOL_SIZE (BIT(seL4_PageBits) * 10)
static char allocator_mem_pool[ALLOCATOR_STATIC_POOL_SIZE];

static seL4_BootInfo *info;
static simple_t simple;
static vka_t vka;
static allocman_t *allocman;

/* Shared with thread_2 (same CSpace): the endpoint it serves, the badged cap we call it
 * through, and the reply object it receives with (MCS). */
static vka_object_t ep_object;
static cspacepath_t ep_cap_path;
static vka_object_t reply_object;

#define THREAD_2_STACK_WORDS 512
static seL4_Word thread_2_stack[THREAD_2_STACK_WORDS] __attribute__((aligned(16)));

/* thread_2's TLS: a copy of the program's TLS image, holding its own __sel4_ipc_buffer. */
static char tls_region[CONFIG_SEL4RUNTIME_STATIC_TLS];

#define THREAD_2_PERIOD_US (CONFIG_BOOT_THREAD_TIME_SLICE * 1000)

static void thread_2(void)
{
    seL4_Word sender_badge = 0;

    printf("thread_2: hallo wereld\n");

    /* Wait for the root task's call; MCS: the reply object receives the right to answer. */
    seL4_MessageInfo_t tag = seL4_Recv(ep_object.cptr, &sender_badge, reply_object.cptr);
    ZF_LOGF_IF(sender_badge != EP_BADGE, "thread_2: the call came with badge %#" PRIxPTR ", not %#x.",
               sender_badge, EP_BADGE);
    ZF_LOGF_IF(seL4_MessageInfo_get_length(tag) != 1, "thread_2: the call carried %u words, not 1.",
               (unsigned)seL4_MessageInfo_get_length(tag));

    seL4_Word msg = seL4_GetMR(0);
    printf("thread_2: got a message %#" PRIxPTR " from %#" PRIxPTR "\n", msg, sender_badge);

    /* Answer with the word inverted, then wait for the next call (none comes). */
    seL4_SetMR(0, ~msg);
    for (;;)
        tag = seL4_ReplyRecv(ep_object.cptr, tag, &sender_badge, reply_object.cptr);
}

int main(void)
{
    int error;

    info = platsupport_get_bootinfo();
    ZF_LOGF_IF(info == NULL, "No BootInfo.");
    zf_log_set_tag_prefix("dynamic-2:");
    NAME_THREAD(seL4_CapInitThreadTCB, "dynamic-2");

    simple_default_init_bootinfo(&simple, info);
    simple_print(&simple);

    allocman = bootstrap_use_current_simple(&simple, ALLOCATOR_STATIC_POOL_SIZE, allocator_mem_pool);
    ZF_LOGF_IF(allocman == NULL, "Could not create the allocator (is the static pool big enough?).");
    allocman_make_vka(&vka, allocman);

    seL4_CPtr cspace_cap = simple_get_cnode(&simple);
    seL4_CPtr pd_cap = simple_get_pd(&simple);

    vka_object_t tcb_object = { 0 };
    error = vka_alloc_tcb(&vka, &tcb_object);
    ZF_LOGF_IFERR(error, "Could not allocate a TCB.");

    /* thread_2's IPC buffer: a frame we map ourselves at IPCBUF_VADDR. */
    vka_object_t ipc_frame_object = { 0 };
    error = vka_alloc_frame(&vka, IPCBUF_FRAME_SIZE_BITS, &ipc_frame_object);
    ZF_LOGF_IFERR(error, "Could not allocate a frame for the IPC buffer.");
    seL4_Word ipc_buffer_vaddr = IPCBUF_VADDR;
    error = seL4_ARCH_Page_Map(ipc_frame_object.cptr, pd_cap, ipc_buffer_vaddr, seL4_AllRights,
                               seL4_ARCH_Default_VMAttributes);
    if (error != seL4_NoError) {
        /* No page table covers that address yet: add one, then map the frame again. */
        vka_object_t pt_object = { 0 };
        error = vka_alloc_page_table(&vka, &pt_object);
        ZF_LOGF_IFERR(error, "Could not allocate a page table.");
        error = seL4_ARCH_PageTable_Map(pt_object.cptr, pd_cap, ipc_buffer_vaddr, seL4_ARCH_Default_VMAttributes);
        ZF_LOGF_IFERR(error, "Could not map the page table at %#lx.", (unsigned long)ipc_buffer_vaddr);
        error = seL4_ARCH_Page_Map(ipc_frame_object.cptr, pd_cap, ipc_buffer_vaddr, seL4_AllRights,
                                   seL4_ARCH_Default_VMAttributes);
        ZF_LOGF_IFERR(error, "Could not map the IPC buffer frame even with a page table.");
    }

    /* The endpoint thread_2 serves, and our badged cap to it. */
    error = vka_alloc_endpoint(&vka, &ep_object);
    ZF_LOGF_IFERR(error, "Could not allocate an endpoint.");
    error = vka_mint_object(&vka, &ep_object, &ep_cap_path, seL4_AllRights, EP_BADGE);
    ZF_LOGF_IFERR(error, "Could not mint a badged copy of the endpoint cap.");
    error = vka_alloc_reply(&vka, &reply_object);
    ZF_LOGF_IFERR(error, "Could not allocate a reply object.");

    /* thread_2 lives in our CSpace and VSpace, with the IPC buffer mapped above. */
    error = seL4_TCB_Configure(tcb_object.cptr, cspace_cap, seL4_NilData, pd_cap, seL4_NilData,
                               ipc_buffer_vaddr, ipc_frame_object.cptr);
    ZF_LOGF_IFERR(error, "Could not configure the new TCB.");

    /* MCS: time to run on. Its priority stays 0: it runs whenever we block. */
    vka_object_t sc_object = { 0 };
    error = vka_alloc_sched_context(&vka, &sc_object);
    ZF_LOGF_IFERR(error, "Could not allocate a scheduling context.");
    error = seL4_SchedControl_Configure(simple_get_sched_ctrl(&simple, 0), sc_object.cptr,
                                        THREAD_2_PERIOD_US, THREAD_2_PERIOD_US, 0, 0);
    ZF_LOGF_IFERR(error, "Could not configure the scheduling context.");
    error = seL4_SchedContext_Bind(sc_object.cptr, tcb_object.cptr);
    ZF_LOGF_IFERR(error, "Could not bind the scheduling context to the new thread.");

    NAME_THREAD(tcb_object.cptr, "dynamic-2: thread_2");

    /* All registers zero except the instruction and stack pointers. */
    seL4_UserContext regs = { 0 };
    sel4utils_set_instruction_pointer(&regs, (seL4_Word)thread_2);
    uintptr_t stack_top = (uintptr_t)thread_2_stack + sizeof(thread_2_stack);
    ZF_LOGF_IF(stack_top % (2 * sizeof(seL4_Word)) != 0, "The stack top %#lx is not 16-byte aligned.",
               (unsigned long)stack_top);
    sel4utils_set_stack_pointer(&regs, stack_top - sizeof(seL4_Word)); /* room for a return address */
    error = seL4_TCB_WriteRegisters(tcb_object.cptr, 0, 0, sizeof(regs) / sizeof(seL4_Word), &regs);
    ZF_LOGF_IFERR(error, "Could not write the new thread's registers.");

    /* TLS for thread_2, with its IPC buffer pointer; then the TLS base register. */
    uintptr_t tls = sel4runtime_write_tls_image(tls_region);
    ZF_LOGF_IF(tls == 0, "Could not lay out thread_2's TLS.");
    seL4_IPCBuffer *ipcbuf = (seL4_IPCBuffer *)ipc_buffer_vaddr;
    error = sel4runtime_set_tls_variable(tls, __sel4_ipc_buffer, ipcbuf);
    ZF_LOGF_IF(error, "Could not set the IPC buffer pointer in thread_2's TLS.");
    error = seL4_TCB_SetTLSBase(tcb_object.cptr, tls);
    ZF_LOGF_IFERR(error, "Could not set thread_2's TLS base.");

    error = seL4_TCB_Resume(tcb_object.cptr);
    ZF_LOGF_IFERR(error, "Could not start the new thread.");
    printf("main: hello world\n");

    /* One word to thread_2 through the badged cap; the reply comes back in MR 0. */
    seL4_MessageInfo_t tag = seL4_MessageInfo_new(0, 0, 0, 1);
    seL4_SetMR(0, MSG_DATA);
    tag = seL4_Call(ep_cap_path.capPtr, tag);
    seL4_Word msg = seL4_GetMR(0);

    ZF_LOGF_IF(seL4_MessageInfo_get_length(tag) != 1, "The reply carried %u words, not 1.",
               (unsigned)seL4_MessageInfo_get_length(tag));
    ZF_LOGF_IF(msg != ~(seL4_Word)MSG_DATA, "The reply was %#" PRIxPTR ", not the inverted message.", msg);
    printf("main: got a reply: %#" PRIxPTR "\n", msg);
    return 0;
}
