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
 * Cairn has no VSpace invocations (no Page_Map) yet, so the producers are threads in the
 * root task's address space, each with a CSpace of its own holding the caps the tutorial
 * gives it, and the consumer is the root task itself. The shared buffers are two pages of
 * the root task; as in the tutorial, the consumer sends each producer its buffer's address
 * over the endpoint. MCS: the producers wait for that message with seL4_Wait (an endpoint
 * receive without a reply object, since the consumer only Sends).
 */
#include <assert.h>
#include <stdio.h>
#include <stdint.h>
#include <sel4/sel4.h>
#include <sel4platsupport/bootinfo.h>
#include <cairn/alloc.h>
#include <cairn/runtime.h>
#include <utils/util.h>

/* The producers' CSpaces (CNodes of 16 slots, used at depth 64). */
#define CSPACE_BITS 4
enum { PRODUCER_EMPTY = 1, PRODUCER_FULL, PRODUCER_ENDPOINT };

static void producer(seL4_Word id, seL4_Word unused)
{
    (void)unused;
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

#define STACK_SIZE 16384
static char ipc_buffers[2][4096] __attribute__((aligned(4096)));
static char stacks[2][STACK_SIZE] __attribute__((aligned(16)));
static char tls_blocks[2][1024] __attribute__((aligned(64)));
static char buf1_frame[4096] __attribute__((aligned(4096)));
static char buf2_frame[4096] __attribute__((aligned(4096)));
extern char __ehdr_start[];
static cairn_alloc_t alloc;

static seL4_CPtr new_object(seL4_Word type, seL4_Word size_bits)
{
    seL4_CPtr cap;
    seL4_Error error = cairn_alloc_object(&alloc, type, size_bits, &cap);
    ZF_LOGF_IF(error, "Failed to allocate an object of type %lu", (unsigned long)type);
    return cap;
}

/* Copy root-CNode cap src (with rights and badge) into slot `index` of a CNode. */
static void give(seL4_CPtr cnode, seL4_Word index, seL4_CPtr src, seL4_CapRights_t rights, seL4_Word badge)
{
    seL4_Error error = seL4_CNode_Mint(cnode, index, CSPACE_BITS, seL4_CapInitThreadCNode, src, seL4_WordBits,
                                       rights, badge);
    ZF_LOGF_IF(error, "Failed to put a cap into a producer's CSpace");
}

/* A thread running fn(arg) at prio in our address space, with the CSpace `cnode`. */
static void start_thread(int i, const char *name, seL4_CPtr cnode, int prio, void (*fn)(seL4_Word, seL4_Word),
                         seL4_Word arg)
{
    seL4_BootInfo *info = platsupport_get_bootinfo();
    seL4_CPtr tcb = new_object(seL4_TCBObject, 0);
    seL4_Word page = ((seL4_Word)ipc_buffers[i] - ((seL4_Word)__ehdr_start & ~4095ul)) / 4096;
    seL4_Word guard = seL4_CNode_CapData_new(0, seL4_WordBits - CSPACE_BITS).words[0];
    seL4_Error error = seL4_TCB_Configure(tcb, cnode, guard, seL4_CapInitThreadVSpace, 0, (seL4_Word)ipc_buffers[i],
                                          info->userImageFrames.start + page);
    ZF_LOGF_IF(error, "Failed to configure %s", name);
    seL4_CPtr sc = new_object(seL4_SchedContextObject, seL4_MinSchedContextBits);
    error = seL4_SchedControl_Configure(info->schedcontrol.start, sc, 5000, 5000, 0, 0);
    ZF_LOGF_IF(error, "Failed to configure a scheduling context");
    error = seL4_TCB_SetSchedParams(tcb, seL4_CapInitThreadTCB, prio, prio, sc, seL4_CapNull);
    ZF_LOGF_IF(error, "Failed to set the scheduling parameters of %s", name);
    seL4_DebugNameThread(tcb, name);

    uintptr_t tp = cairn_tls_init(tls_blocks[i], sizeof(tls_blocks[i]));
    *(seL4_IPCBuffer **)cairn_tls_variable(tp, &__sel4_ipc_buffer) = (seL4_IPCBuffer *)ipc_buffers[i];
    seL4_UserContext regs = { 0 };
    regs.rip = (seL4_Word)fn;
    regs.rsp = (seL4_Word)(stacks[i] + STACK_SIZE - 8);
    regs.rdi = arg;
    regs.fs_base = tp;
    error = seL4_TCB_WriteRegisters(tcb, 1, 0, sizeof(regs) / sizeof(seL4_Word), &regs);
    ZF_LOGF_IF(error, "Failed to start %s", name);
}

int main(int argc, char *argv[])
{
    (void)argc, (void)argv;
    seL4_Word badge;
    cairn_alloc_init(&alloc, platsupport_get_bootinfo());
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
        start_thread(n - 1, n == 1 ? "producer_1" : "producer_2", cnode, 102 - n, producer, (seL4_Word)n);
    }
    seL4_Error error = seL4_TCB_SetPriority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, 50);
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
