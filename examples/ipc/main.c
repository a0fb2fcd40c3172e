/*
 * The seL4 "ipc" tutorial, completed, as a root task on the MCS kernel.
 *
 * The tutorial has a server and two clients, three processes set up by the capDL loader,
 * each with its own CSpace and VSpace and a cap to one endpoint. Here they are three
 * threads in the root task's address space, made with sel4utils; each still gets a CSpace
 * of its own (a CNode holding the endpoint, the CNode itself, and the empty slot the
 * tutorial names), so the cap transfer really moves a cap between CSpaces.
 *
 * What the program does, as the tutorial's completed exercises: each client Calls the
 * server with its id; the server, seeing badge 0, mints a badged copy of the endpoint and
 * sends it back by cap transfer; from then on the client Calls through its badged cap,
 * one word per message (a character per message register), and the server prints them,
 * one message from each client in turn.
 *
 * MCS differences: there is no seL4_Reply and no CNode_SaveCaller. A server receives with
 * a reply object (seL4_Recv(ep, &badge, reply)) and answers through it (seL4_Send on the
 * reply object, or seL4_ReplyRecv). To answer the clients in turn, the server keeps one
 * client's reply object linked (that client waits) while it takes the other client's
 * message with a second reply object. The clients end with an empty message, so that the
 * example can finish (the tutorial's system just hangs at the end).
 */
#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include <sel4/sel4.h>
#include <sel4platsupport/bootinfo.h>
#include <simple/simple.h>
#include <simple-default/simple-default.h>
#include <vka/object.h>
#include <allocman/allocman.h>
#include <allocman/bootstrap.h>
#include <allocman/vka.h>
#include <vspace/vspace.h>
#include <sel4utils/vspace.h>
#include <sel4utils/thread.h>
#include <sel4utils/api.h>
#include <utils/util.h>

/* The slots of the CSpaces (CNodes of 16 slots, used at depth 64). */
#define CSPACE_BITS 4
enum { SERVER_ENDPOINT = 1, SERVER_CNODE, SERVER_FREE_SLOT, SERVER_REPLY_1, SERVER_REPLY_2 };
enum { CLIENT_ENDPOINT = 1, CLIENT_CNODE, CLIENT_BADGED_ENDPOINT, CLIENT_DONE, CLIENT_PARK };

static const char *const messages_1[] = { "quick", "fox", "over", "lazy" };
static const char *const messages_2[] = { "the", "brown", "jumps", "the", "dog" };

static void server(void *unused0, void *unused1, void *ipc_buffer)
{
    (void)unused0, (void)unused1, (void)ipc_buffer;
    seL4_CPtr reply = SERVER_REPLY_1; /* the reply object of the message being handled */
    seL4_CPtr held = seL4_CapNull;    /* a reply object whose client waits for its turn */
    seL4_Word sender;
    seL4_MessageInfo_t info = seL4_Recv(SERVER_ENDPOINT, &sender, reply);
    while (1) {
        seL4_Error error;
        if (sender == 0) {
            /* No badge! give this sender a badged copy of the endpoint */
            seL4_Word badge = seL4_GetMR(0);
            error = seL4_CNode_Mint(SERVER_CNODE, SERVER_FREE_SLOT, seL4_WordBits, SERVER_CNODE, SERVER_ENDPOINT,
                                    seL4_WordBits, seL4_AllRights, badge);
            ZF_LOGF_IF(error, "Failed to mint a badged endpoint cap");
            printf("Badged %lu\n", (unsigned long)badge);

            /* use cap transfer to send the badged cap in the reply */
            seL4_SetCap(0, SERVER_FREE_SLOT);
            seL4_Send(reply, seL4_MessageInfo_new(0, 0, 1, 0));

            /* now delete the transferred cap */
            error = seL4_CNode_Delete(SERVER_CNODE, SERVER_FREE_SLOT, seL4_WordBits);
            ZF_LOGF_IF(error, "Failed to delete the transferred cap");

            /* wait for the next message */
            info = seL4_Recv(SERVER_ENDPOINT, &sender, reply);
        } else if (seL4_MessageInfo_get_length(info) == 0) {
            /* A client is done: let the waiting one go on, answer this one, wait for more. */
            if (held != seL4_CapNull) {
                seL4_Send(held, seL4_MessageInfo_new(0, 0, 0, 0));
                held = seL4_CapNull;
            }
            info = seL4_ReplyRecv(SERVER_ENDPOINT, seL4_MessageInfo_new(0, 0, 0, 0), &sender, reply);
        } else {
            for (seL4_Word i = 0; i < seL4_MessageInfo_get_length(info); i++)
                printf("%c", (char)seL4_GetMR(i));
            printf("\n");
            /* One message from each client in turn: answer the client held back so far, hold
             * this one back, and take the next message with the other reply object. */
            if (held != seL4_CapNull)
                seL4_Send(held, seL4_MessageInfo_new(0, 0, 0, 0));
            held = reply;
            reply = reply == SERVER_REPLY_1 ? SERVER_REPLY_2 : SERVER_REPLY_1;
            info = seL4_Recv(SERVER_ENDPOINT, &sender, reply);
        }
    }
}

static void client(void *arg, void *unused, void *ipc_buffer)
{
    (void)unused, (void)ipc_buffer;
    seL4_Word id = (seL4_Word)arg;
    printf("Client %lu: waiting for badged endpoint\n", (unsigned long)id);
    seL4_SetCapReceivePath(CLIENT_CNODE, CLIENT_BADGED_ENDPOINT, seL4_WordBits);
    seL4_SetMR(0, id);
    seL4_MessageInfo_t info = seL4_Call(CLIENT_ENDPOINT, seL4_MessageInfo_new(0, 0, 0, 1));
    ZF_LOGF_IF(seL4_MessageInfo_get_extraCaps(info) != 1, "Client %lu: no cap received", (unsigned long)id);
    printf("Client %lu: received badged endpoint\n", (unsigned long)id);

    const char *const *messages = id == 1 ? messages_1 : messages_2;
    size_t count = id == 1 ? ARRAY_SIZE(messages_1) : ARRAY_SIZE(messages_2);
    for (size_t i = 0; i < count; i++) {
        int j;
        for (j = 0; messages[i][j] != '\0'; j++)
            seL4_SetMR(j, messages[i][j]);
        seL4_Call(CLIENT_BADGED_ENDPOINT, seL4_MessageInfo_new(0, 0, 0, j));
    }
    seL4_Call(CLIENT_BADGED_ENDPOINT, seL4_MessageInfo_new(0, 0, 0, 0)); /* done */
    seL4_Signal(CLIENT_DONE);
    while (1)
        seL4_Wait(CLIENT_PARK, NULL);
}

/* ---- the root task: what the capDL loader does for the tutorial ---- */

#define ALLOCATOR_STATIC_POOL_SIZE (BIT(seL4_PageBits) * 10)
static char allocator_mem_pool[ALLOCATOR_STATIC_POOL_SIZE];
static simple_t simple;
static vka_t vka;
static vspace_t vspace;
static sel4utils_alloc_data_t vspace_data;

static seL4_CPtr new_object(seL4_Word type, seL4_Word size_bits)
{
    seL4_CPtr cap = vka_alloc_object_leaky(&vka, type, size_bits);
    ZF_LOGF_IF(cap == seL4_CapNull, "Failed to allocate an object of type %lu", (unsigned long)type);
    return cap;
}

/* Copy root-CNode cap src into slot `index` of a thread's CNode (badge 0: a plain copy). */
static void give(seL4_CPtr cnode, seL4_Word index, seL4_CPtr src, seL4_CapRights_t rights, seL4_Word badge)
{
    seL4_Error error = seL4_CNode_Mint(cnode, index, CSPACE_BITS, seL4_CapInitThreadCNode, src, seL4_WordBits,
                                       rights, badge);
    ZF_LOGF_IF(error, "Failed to put a cap into a thread's CSpace");
}

/* A CNode of 2^CSPACE_BITS slots, with a cap to itself at `self` (guarded so that cptrs
 * are resolved at depth 64, as in the root CSpace). Returns its cap in the root CNode. */
static seL4_CPtr new_cspace(seL4_Word self)
{
    seL4_CPtr cnode = new_object(seL4_CapTableObject, CSPACE_BITS);
    give(cnode, self, cnode, seL4_AllRights, api_make_guard_skip_word(seL4_WordBits - CSPACE_BITS));
    return cnode;
}

/* A thread running fn(arg) at prio in our address space, with the CSpace `cnode`: sel4utils
 * gives it a stack, an IPC buffer, TLS and a 5 ms round-robin scheduling context. */
static void start_thread(const char *name, seL4_CPtr cnode, int prio, sel4utils_thread_entry_fn fn, seL4_Word arg)
{
    sel4utils_thread_config_t config = thread_config_new(&simple);
    config = thread_config_cspace(config, cnode, api_make_guard_skip_word(seL4_WordBits - CSPACE_BITS));
    config = thread_config_priority(config, prio);
    config.sched_params = sched_params_round_robin(config.sched_params, &simple, 0, 5000);
    sel4utils_thread_t thread;
    int error = sel4utils_configure_thread_config(&vka, &vspace, &vspace, config, &thread);
    ZF_LOGF_IF(error, "Failed to configure %s", name);
    NAME_THREAD(thread.tcb.cptr, name);
    error = sel4utils_start_thread(&thread, fn, (void *)arg, NULL, 1);
    ZF_LOGF_IF(error, "Failed to start %s", name);
}

int main(int argc, char *argv[])
{
    (void)argc, (void)argv;
    seL4_BootInfo *info = platsupport_get_bootinfo();
    simple_default_init_bootinfo(&simple, info);
    allocman_t *allocman = bootstrap_use_current_simple(&simple, ALLOCATOR_STATIC_POOL_SIZE, allocator_mem_pool);
    ZF_LOGF_IF(allocman == NULL, "Failed to create the allocator");
    allocman_make_vka(&vka, allocman);
    int error = sel4utils_bootstrap_vspace_with_bootinfo_leaky(&vspace, &vspace_data, simple_get_pd(&simple), &vka,
                                                               info);
    ZF_LOGF_IF(error, "Failed to bootstrap the vspace manager");

    seL4_CPtr endpoint = new_object(seL4_EndpointObject, 0);
    seL4_CPtr done = new_object(seL4_NotificationObject, 0);
    seL4_CPtr park = new_object(seL4_NotificationObject, 0);

    seL4_CPtr server_cnode = new_cspace(SERVER_CNODE);
    give(server_cnode, SERVER_ENDPOINT, endpoint, seL4_AllRights, 0);
    give(server_cnode, SERVER_REPLY_1, new_object(seL4_ReplyObject, 0), seL4_AllRights, 0);
    give(server_cnode, SERVER_REPLY_2, new_object(seL4_ReplyObject, 0), seL4_AllRights, 0);
    start_thread("server", server_cnode, 200, server, 0);

    /* Client 2 runs at a higher priority than client 1, so the order is always the same. */
    for (seL4_Word id = 2; id >= 1; id--) {
        seL4_CPtr cnode = new_cspace(CLIENT_CNODE);
        give(cnode, CLIENT_ENDPOINT, endpoint, seL4_CapRights_new(1, 1, 1, 1), 0);
        give(cnode, CLIENT_DONE, done, seL4_CanWrite, 0);
        give(cnode, CLIENT_PARK, park, seL4_CanRead, 0);
        start_thread(id == 1 ? "client_1" : "client_2", cnode, 99 + (int)id, client, id);
    }

    seL4_Wait(done, NULL);
    seL4_Wait(done, NULL);
    printf("Both clients are done.\n");
    return 0;
}
