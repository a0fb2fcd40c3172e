/*
 * The root task of an out-of-tree Cairn project: sets up seL4's allocator and vspace
 * libraries from BootInfo, starts the process "hello" from its CPIO archive with a badged
 * endpoint cap, and answers its message.
 */
#include <stdio.h>
#include <sel4/sel4.h>
#include <simple/simple.h>
#include <simple-default/simple-default.h>
#include <allocman/allocman.h>
#include <allocman/bootstrap.h>
#include <allocman/vka.h>
#include <vka/object.h>
#include <vspace/vspace.h>
#include <sel4utils/vspace.h>
#include <sel4utils/process.h>
#include <sel4platsupport/bootinfo.h>
#include <utils/util.h>

#define BADGE 0x42
#define POOL_SIZE (BIT(seL4_PageBits) * 10)
#define VIRTUAL_POOL_SIZE (BIT(seL4_PageBits) * 100)

static char pool[POOL_SIZE];
static sel4utils_alloc_data_t vspace_data;

int main(void)
{
    seL4_BootInfo *info = platsupport_get_bootinfo();
    simple_t simple;
    vka_t vka;
    vspace_t vspace;
    void *vaddr;

    zf_log_set_tag_prefix("sdk-example:");
    simple_default_init_bootinfo(&simple, info);
    allocman_t *allocman = bootstrap_use_current_simple(&simple, POOL_SIZE, pool);
    ZF_LOGF_IF(allocman == NULL, "no allocator");
    allocman_make_vka(&vka, allocman);
    int error = sel4utils_bootstrap_vspace_with_bootinfo_leaky(&vspace, &vspace_data, simple_get_pd(&simple), &vka,
                                                               info);
    ZF_LOGF_IF(error, "no vspace");
    reservation_t res = vspace_reserve_range(&vspace, VIRTUAL_POOL_SIZE, seL4_AllRights, 1, &vaddr);
    ZF_LOGF_IF(res.res == NULL, "no virtual memory for the allocator");
    bootstrap_configure_virtual_pool(allocman, vaddr, VIRTUAL_POOL_SIZE, simple_get_pd(&simple));

    /* The process: its own CSpace and VSpace, loaded from the archive member "hello". */
    sel4utils_process_t process;
    sel4utils_process_config_t config = process_config_default_simple(&simple, "hello", seL4_MaxPrio - 1);
    error = sel4utils_configure_process_custom(&process, &vka, &vspace, config);
    ZF_LOGF_IF(error, "cannot configure the process");

    /* An endpoint for it (badged), a reply object for us. */
    vka_object_t ep, reply;
    error = vka_alloc_endpoint(&vka, &ep) || vka_alloc_reply(&vka, &reply);
    ZF_LOGF_IF(error, "cannot allocate an endpoint and a reply object");
    cspacepath_t ep_path;
    vka_cspace_make_path(&vka, ep.cptr, &ep_path);
    seL4_CPtr slot = sel4utils_mint_cap_to_process(&process, ep_path, seL4_AllRights, BADGE);
    ZF_LOGF_IF(slot == 0, "cannot give the process its endpoint");

    /* Its one argument: where that cap is in its CSpace. */
    char arg_strings[1][WORD_STRING_SIZE];
    char *argv[1];
    sel4utils_create_word_args(arg_strings, argv, 1, slot);
    error = sel4utils_spawn_process_v(&process, &vka, &vspace, 1, argv, 1);
    ZF_LOGF_IF(error, "cannot start the process");
    printf("root: started process \"hello\"\n");

    seL4_Word badge;
    seL4_MessageInfo_t tag = seL4_Recv(ep.cptr, &badge, reply.cptr);
    printf("root: message %#lx from badge %#lx\n", (unsigned long)seL4_GetMR(0), (unsigned long)badge);
    seL4_SetMR(0, seL4_GetMR(0) + 1);
    tag = seL4_ReplyRecv(ep.cptr, seL4_MessageInfo_new(0, 0, 0, 1), &badge, reply.cptr);
    printf("root: the process says goodbye (%lu word)\n", (unsigned long)seL4_MessageInfo_get_length(tag));
    return 0;
}
