/*
 * The seL4 "notifications" tutorial, completed, as a root task on the MCS kernel.
 *
 * The tutorial has a consumer and two producers, processes set up by the capDL loader; the
 * consumer shares one page with each producer (mapping a frame into the producer's VSpace)
 * and the three synchronise with notifications: each producer waits on its own "empty"
 * notification, writes its id into its buffer and signals "full" through a cap badged with
 * its bit (0b01, 0b10); the consumer waits on "full", and the badge says which buffer(s)
 * hold data, possibly both at once, since signals are OR-ed into the badge.
 *
 * Here the producers are threads in the root task's address space (made with sel4utils),
 * each with a CSpace of its own holding the caps the tutorial gives it, and the consumer is
 * the root task itself. The shared buffers are two pages of
 * the root task; as in the tutorial, the consumer sends each producer its buffer's address
 * over the endpoint. MCS: the producers wait for that message with seL4_Wait (an endpoint
 * receive without a reply object, since the consumer only Sends).
 */
#include <assert.h>
#include <stdio.h>
#include <stdint.h>
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

/* The producers' CSpaces (CNodes of 16 slots, used at depth 64). */
#define CSPACE_BITS 4
enum { PRODUCER_EMPTY = 1, PRODUCER_FULL, PRODUCER_ENDPOINT };

static void producer(void *arg, void *unused, void *ipc_buffer)
{
    (void)unused, (void)ipc_buffer;
    seL4_Word id = (seL4_Word)arg;
    seL4_Wait(PRODUCER_ENDPOINT, NULL);
    volatile long *buf = (volatile long *)seL4_GetMR(0);

    for (int i = 0; i < 100; i++) {
        seL4_Wait(PRODUCER_EMPTY, NULL);
        printf("%lu: produce\n", (unsigned long)id);
        *buf = (long)id;
        seL4_Signal(PRODUCER_FULL);
    }
    while (1)
        seL4_Wait(PRODUCER_EMPTY, NULL);
}

/* ---- setting up what the capDL loader sets up for the tutorial ---- */

static char buf1_frame[4096] __attribute__((aligned(4096)));
static char buf2_frame[4096] __attribute__((aligned(4096)));

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

/* Copy root-CNode cap src (with rights and badge) into slot `index` of a CNode. */
static void give(seL4_CPtr cnode, seL4_Word index, seL4_CPtr src, seL4_CapRights_t rights, seL4_Word badge)
{
    seL4_Error error = seL4_CNode_Mint(cnode, index, CSPACE_BITS, seL4_CapInitThreadCNode, src, seL4_WordBits,
                                       rights, badge);
    ZF_LOGF_IF(error, "Failed to put a cap into a producer's CSpace");
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
    seL4_Word badge;
    seL4_BootInfo *info = platsupport_get_bootinfo();
    simple_default_init_bootinfo(&simple, info);
    allocman_t *allocman = bootstrap_use_current_simple(&simple, ALLOCATOR_STATIC_POOL_SIZE, allocator_mem_pool);
    ZF_LOGF_IF(allocman == NULL, "Failed to create the allocator");
    allocman_make_vka(&vka, allocman);
    int error = sel4utils_bootstrap_vspace_with_bootinfo_leaky(&vspace, &vspace_data, simple_get_pd(&simple), &vka,
                                                               info);
    ZF_LOGF_IF(error, "Failed to bootstrap the vspace manager");

    seL4_CPtr buf1_empty = new_object(seL4_NotificationObject, 0);
    seL4_CPtr buf2_empty = new_object(seL4_NotificationObject, 0);
    seL4_CPtr full = new_object(seL4_NotificationObject, 0);
    seL4_CPtr endpoint = new_object(seL4_EndpointObject, 0);

    /* Producer n gets its "empty" notification, "full" badged with bit n-1, the endpoint.
     * Both wait on the endpoint first: producer 1 (higher priority) is first in its queue
     * and gets the first message, which carries buffer 1. The consumer (this thread) runs
     * below both producers. */
    seL4_CPtr empties[2] = { buf1_empty, buf2_empty };
    for (int n = 1; n <= 2; n++) {
        seL4_CPtr cnode = new_object(seL4_CapTableObject, CSPACE_BITS);
        give(cnode, PRODUCER_EMPTY, empties[n - 1], seL4_ReadWrite, 0);
        give(cnode, PRODUCER_FULL, full, seL4_ReadWrite, n == 1 ? 0b01 : 0b10);
        give(cnode, PRODUCER_ENDPOINT, endpoint, seL4_ReadWrite, 0);
        start_thread(n == 1 ? "producer_1" : "producer_2", cnode, 102 - n, producer, (seL4_Word)n);
    }
    error = seL4_TCB_SetPriority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, 50);
    ZF_LOGF_IF(error, "Failed to lower our priority");

    /* send IPCs with the buffer address to both producers */
    seL4_SetMR(0, (seL4_Word)buf1_frame);
    seL4_Send(endpoint, seL4_MessageInfo_new(0, 0, 0, 1));
    seL4_SetMR(0, (seL4_Word)buf2_frame);
    seL4_Send(endpoint, seL4_MessageInfo_new(0, 0, 0, 1));

    /* start single buffer producer consumer */
    volatile long *buf1 = (long *)buf1_frame;
    volatile long *buf2 = (long *)buf2_frame;

    *buf1 = 0;
    *buf2 = 0;

    seL4_Signal(buf1_empty);
    seL4_Signal(buf2_empty);
    printf("Waiting for producer\n");
    for (int i = 0; i < 10; i++) {
        seL4_Wait(full, &badge);
        printf("Got badge: %lx\n", (unsigned long)badge);
        if (badge & 0b01) {
            assert(*buf1 == 1);
            *buf1 = 0;
            seL4_Signal(buf1_empty);
        }
        if (badge & 0b10) {
            assert(*buf2 == 2);
            *buf2 = 0;
            seL4_Signal(buf2_empty);
        }
    }

    printf("Success!\n");
    return 0;
}
