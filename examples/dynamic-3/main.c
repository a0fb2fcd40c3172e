/*
 * dynamic-3: a root task that starts a second process from an ELF image in its CPIO archive
 * and talks to it over a badged endpoint. The process gets its own CSpace and VSpace
 * (sel4utils), so the root task must place a cap to the endpoint in the child's CSpace and
 * tell the child where it is (as an argument).
 *
 * This is the scenario of seL4's "dynamic-3" tutorial with every task done, written with
 * the same library calls a tutorial solution uses. Cairn is an MCS kernel, so receiving
 * needs a reply object (the non-MCS tutorial passes none).
 */
#include <autoconf.h>
#include <stdio.h>
#include <sel4/sel4.h>
#include <simple/simple.h>
#include <simple-default/simple-default.h>
#include <vka/object.h>
#include <allocman/allocman.h>
#include <allocman/bootstrap.h>
#include <allocman/vka.h>
#include <vspace/vspace.h>
#include <sel4utils/vspace.h>
#include <sel4utils/mapping.h>
#include <sel4utils/process.h>
#include <utils/arith.h>
#include <utils/zf_log.h>
#include <sel4utils/sel4_zf_logif.h>
#include <sel4platsupport/bootinfo.h>

#define EP_BADGE 0x61       /* tells the root task who is calling */
#define APP_PRIORITY seL4_MaxPrio
#define APP_IMAGE_NAME "app"

/* The allocator starts from this static pool and grows into ALLOCATOR_VIRTUAL_POOL_SIZE
 * bytes of virtual memory that the vspace manager reserves for it. */
#define ALLOCATOR_STATIC_POOL_SIZE (BIT(seL4_PageBits) * 10)
#define ALLOCATOR_VIRTUAL_POOL_SIZE (BIT(seL4_PageBits) * 100)
static char allocator_mem_pool[ALLOCATOR_STATIC_POOL_SIZE];

static seL4_BootInfo *info;
static simple_t simple;
static vka_t vka;
static allocman_t *allocman;
static vspace_t vspace;
static sel4utils_alloc_data_t vspace_data;

int main(void)
{
    int error;

    info = platsupport_get_bootinfo();
    ZF_LOGF_IF(info == NULL, "No BootInfo.");
    zf_log_set_tag_prefix("dynamic-3:");
    NAME_THREAD(seL4_CapInitThreadTCB, "dynamic-3");

    /* BootInfo as a simple_t, an allocator over its untypeds and empty slots. */
    simple_default_init_bootinfo(&simple, info);
    simple_print(&simple);
    allocman = bootstrap_use_current_simple(&simple, ALLOCATOR_STATIC_POOL_SIZE, allocator_mem_pool);
    ZF_LOGF_IF(allocman == NULL, "Could not create the allocator from the static pool.");
    allocman_make_vka(&vka, allocman);

    /* A manager for our own VSpace: the regions the kernel set up for us are reserved. */
    error = sel4utils_bootstrap_vspace_with_bootinfo_leaky(&vspace, &vspace_data, simple_get_pd(&simple),
                                                           &vka, info);
    ZF_LOGF_IFERR(error, "Could not bootstrap the root task's vspace manager.");

    void *pool;
    reservation_t pool_reservation = vspace_reserve_range(&vspace, ALLOCATOR_VIRTUAL_POOL_SIZE,
                                                          seL4_AllRights, 1, &pool);
    ZF_LOGF_IF(pool_reservation.res == NULL, "Could not reserve virtual memory for the allocator.");
    bootstrap_configure_virtual_pool(allocman, pool, ALLOCATOR_VIRTUAL_POOL_SIZE, simple_get_pd(&simple));

    /* The new process: image "app" from the archive, a CSpace and VSpace of its own. */
    sel4utils_process_t app;
    sel4utils_process_config_t config = process_config_default_simple(&simple, APP_IMAGE_NAME, APP_PRIORITY);
    error = sel4utils_configure_process_custom(&app, &vka, &vspace, config);
    ZF_LOGF_IFERR(error, "Could not create the process from image \"%s\".", APP_IMAGE_NAME);
    NAME_THREAD(app.thread.tcb.cptr, "dynamic-3: process_2");

    /* An endpoint we listen on, and a badged copy of it in the child's CSpace. */
    vka_object_t ep = { 0 };
    error = vka_alloc_endpoint(&vka, &ep);
    ZF_LOGF_IFERR(error, "Could not allocate the endpoint.");
    cspacepath_t ep_path;
    vka_cspace_make_path(&vka, ep.cptr, &ep_path);
    seL4_CPtr child_ep = sel4utils_mint_cap_to_process(&app, ep_path, seL4_AllRights, EP_BADGE);
    ZF_LOGF_IF(child_ep == 0, "Could not mint the badged endpoint into the child's CSpace.");
    printf("NEW CAP SLOT: %" PRIxPTR ".\n", ep_path.capPtr);

    /* Start the child; its only argument is where its endpoint cap is. */
    enum { ARGC = 1 };
    char arg_strings[ARGC][WORD_STRING_SIZE];
    char *argv[ARGC];
    sel4utils_create_word_args(arg_strings, argv, ARGC, child_ep);
    error = sel4utils_spawn_process_v(&app, &vka, &vspace, ARGC, argv, 1);
    ZF_LOGF_IFERR(error, "Could not start the process.");
    printf("main: hello world\n");

    /* Serve: take the child's call, check who sent it, answer with the inverted word. */
    vka_object_t reply = { 0 };
    error = vka_alloc_reply(&vka, &reply);
    ZF_LOGF_IFERR(error, "Could not allocate a reply object.");
    seL4_Word badge = 0;
    seL4_MessageInfo_t tag = seL4_Recv(ep_path.capPtr, &badge, reply.cptr);
    ZF_LOGF_IF(badge != EP_BADGE, "The call came with badge %#lx, not %#x.", (unsigned long)badge, EP_BADGE);
    ZF_LOGF_IF(seL4_MessageInfo_get_length(tag) != 1, "The call carried %lu words, not 1.",
               (unsigned long)seL4_MessageInfo_get_length(tag));
    seL4_Word msg = seL4_GetMR(0);
    printf("main: got a message %#" PRIxPTR " from %#" PRIxPTR "\n", msg, badge);
    seL4_SetMR(0, ~msg);
    seL4_ReplyRecv(ep_path.capPtr, tag, &badge, reply.cptr);
    return 0;
}
