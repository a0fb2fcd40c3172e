/*
 * The seL4 "mcs" tutorial, completed, on Cairn.
 *
 * The tutorial runs four processes under the capDL loader: mcs (this main), spinner,
 * sender and server; the last three start without a scheduling context. Here all four are
 * threads of the root task in its address space, the three helpers made with sel4utils,
 * passive (no SC) and already resumed, at priority 254 like main. One SC, sched_context (2^8 bytes), moves
 * between them:
 *   - round robin (budget = period), bound to spinner: spinner and main Yield to each
 *     other: "Yield", "Tick 0", "Yield", "Tick 1", ...;
 *   - made periodic (90% of its period), then unbound: the spinner stops where it is;
 *   - bound to sender, sporadic with 6 extra refills: main receives its messages "Tock n";
 *   - bound to server (priority 253) until it has initialised, then unbound: the server is
 *     passive and runs on main's SC, donated by each seL4_Call ("running", "passive",
 *     "echo server" are printed by the server);
 *   - 500 us budget and badge 5, bound to spinner again with main's endpoint as its timeout
 *     fault handler: the spinner overruns its budget and main receives a timeout fault
 *     carrying the badge 5.
 * Times are 1/100 of the tutorial's (1 s periods become 10 ms) so that the example runs in a
 * fraction of a second. On real hardware printing "Yield" over a 115200-baud serial line
 * costs more than 500 us; QEMU's serial port is instant, so the spinner also does 1 ms of
 * work per line: that is what overruns the 500 us budget.
 */
#include <stdio.h>
#include <stdbool.h>
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
#include <utils/util.h>

#define US_IN_S 10000 /* the tutorial's second, scaled down 100 times */

static seL4_CPtr endpoint, reply, reply2, sched_control, sched_context;

/* ---- libraries, objects, and threads without a scheduling context ---- */
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

/* A passive thread running fn() at priority 254 (and MCP 254, so that it may lower its own
 * priority), resumed: without a scheduling context it runs only once it is given one. */
static seL4_CPtr new_passive_thread(const char *name, sel4utils_thread_entry_fn fn)
{
    sel4utils_thread_config_t config = thread_config_new(&simple);
    config = thread_config_priority(config, 254);
    config = thread_config_mcp(config, 254);
    sel4utils_thread_t thread;
    int error = sel4utils_configure_thread_config(&vka, &vspace, &vspace, config, &thread);
    ZF_LOGF_IF(error, "Failed to configure %s", name);
    NAME_THREAD(thread.tcb.cptr, name);
    error = sel4utils_start_thread(&thread, fn, NULL, NULL, 1);
    ZF_LOGF_IF(error, "Failed to start %s", name);
    return thread.tcb.cptr;
}

static inline uint64_t rdtsc(void)
{
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}

/* The TSC frequency (MHz) from the extra BootInfo. */
static uint32_t tsc_mhz(void)
{
    seL4_BootInfo *bi = platsupport_get_bootinfo();
    const char *p = (const char *)bi + 4096, *end = p + bi->extraLen;
    while (p + sizeof(seL4_BootInfoHeader) <= end) {
        const seL4_BootInfoHeader *h = (const seL4_BootInfoHeader *)p;
        if (h->id == SEL4_BOOTINFO_HEADER_X86_TSC_FREQ)
            return *(const uint32_t *)(p + sizeof(*h));
        if (h->len < sizeof(*h))
            break;
        p += h->len;
    }
    return 1000;
}

/* ---- the three helper programs ---- */

static void spinner(void *unused0, void *unused1, void *ipc_buffer)
{
    (void)unused0, (void)unused1, (void)ipc_buffer;
    uint64_t work = 1000ull * tsc_mhz();
    while (1) {
        printf("Yield\n");
        for (uint64_t start = rdtsc(); rdtsc() - start < work;)
            ; /* the time a slow serial line would take */
        seL4_Yield();
    }
}

static void sender(void *unused0, void *unused1, void *ipc_buffer)
{
    (void)unused0, (void)unused1, (void)ipc_buffer;
    int i = 0;
    while (1) {
        seL4_MessageInfo_t info = seL4_MessageInfo_new(0, 0, 0, 1);
        seL4_SetMR(0, i);
        seL4_Send(endpoint, info);
        i++;
    }
}

static void server(void *unused0, void *unused1, void *ipc_buffer)
{
    (void)unused0, (void)unused1, (void)ipc_buffer;
    printf("Server initialising\n");
    seL4_MessageInfo_t info = seL4_NBSendRecv(endpoint, seL4_MessageInfo_new(0, 0, 0, 0), endpoint, NULL, reply);
    while (1) {
        seL4_Word i = 0;
        for (; i < seL4_MsgMaxLength && i < seL4_MessageInfo_get_length(info); i++)
            seL4_DebugPutChar((char)seL4_GetMR(i));
        seL4_DebugPutChar('\n');
        seL4_SetMR(0, i);
        info = seL4_ReplyRecv(endpoint, seL4_MessageInfo_new(0, 0, 0, i), NULL, reply);
    }
}

int main(int c, char *argv[])
{
    (void)c, (void)argv;
    int error;
    seL4_BootInfo *info = platsupport_get_bootinfo();
    simple_default_init_bootinfo(&simple, info);
    allocman_t *allocman = bootstrap_use_current_simple(&simple, ALLOCATOR_STATIC_POOL_SIZE, allocator_mem_pool);
    ZF_LOGF_IF(allocman == NULL, "Failed to create the allocator");
    allocman_make_vka(&vka, allocman);
    error = sel4utils_bootstrap_vspace_with_bootinfo_leaky(&vspace, &vspace_data, simple_get_pd(&simple), &vka, info);
    ZF_LOGF_IF(error, "Failed to bootstrap the vspace manager");

    sched_control = simple_get_sched_ctrl(&simple, 0);
    sched_context = new_object(seL4_SchedContextObject, 8);
    endpoint = new_object(seL4_EndpointObject, 0);
    reply = new_object(seL4_ReplyObject, 0);
    reply2 = new_object(seL4_ReplyObject, 0);
    error = seL4_TCB_SetPriority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, 254);
    ZF_LOGF_IF(error, "Failed to set our priority");
    seL4_CPtr spinner_tcb = new_passive_thread("spinner", spinner);
    seL4_CPtr sender_tcb = new_passive_thread("sender", sender);
    seL4_CPtr server_tcb = new_passive_thread("server", server);

    // configure sc
    error = seL4_SchedControl_Configure(sched_control, sched_context, US_IN_S, US_IN_S, 0, 0);
    ZF_LOGF_IF(error != seL4_NoError, "Failed to configure schedcontext");
    // bind it to `spinner_tcb`
    error = seL4_SchedContext_Bind(sched_context, spinner_tcb);
    ZF_LOGF_IF(error != seL4_NoError, "Failed to bind sched_context to round_robin_tcb");

    int i = 0;
    for (; i < 9; i++) {
        seL4_Yield();
        printf("Tick %d\n", i);
    }

    // reconfigure sched_context to be periodic
    error = seL4_SchedControl_Configure(sched_control, sched_context, 0.9 * US_IN_S, 1 * US_IN_S, 0, 0);
    ZF_LOGF_IF(error != seL4_NoError, "Failed to configure schedcontext");
    // unbind sched_context to stop the yielding thread
    error = seL4_SchedContext_Unbind(sched_context);
    ZF_LOGF_IF(error, "Failed to unbind sched_context");
    // bind sched_context to sender_tcb
    error = seL4_SchedContext_Bind(sched_context, sender_tcb);
    ZF_LOGF_IF(error != seL4_NoError, "Failed to bind schedcontext");
    // reconfigure sched_context to be periodic with 6 extra refills
    error = seL4_SchedControl_Configure(sched_control, sched_context, 0.9 * US_IN_S, 1 * US_IN_S, 6, 0);
    ZF_LOGF_IF(error != seL4_NoError, "Failed to configure schedcontext");

    for (int i = 0; i < 9; i++) {
        seL4_Wait(endpoint, NULL);
        printf("Tock %d\n", (int)seL4_GetMR(0));
    }

    error = seL4_SchedContext_UnbindObject(sched_context, sender_tcb);
    ZF_LOGF_IF(error, "Failed to unbind sched_context from sender_tcb");

    /* suspend the sender to get them off endpoint */
    error = seL4_TCB_Suspend(sender_tcb);
    ZF_LOGF_IF(error, "Failed to suspend sender_tcb");

    error = seL4_TCB_SetPriority(server_tcb, server_tcb, 253);
    ZF_LOGF_IF(error, "Failed to decrease server's priority");
    printf("Starting server\n");
    // bind the servers sched context
    error = seL4_SchedContext_Bind(sched_context, server_tcb);
    ZF_LOGF_IF(error != seL4_NoError, "Failed to bind sched_context to server_tcb");
    // wait for it to initialise
    printf("Wait for server\n");
    seL4_Wait(endpoint, NULL);

    // convert to passive
    error = seL4_SchedContext_Unbind(sched_context);
    ZF_LOGF_IF(error != seL4_NoError, "Failed to unbind sched context");

    const char *messages[] = {
        "running",
        "passive",
        "echo server",
        NULL,
    };

    for (int i = 0; messages[i] != NULL; i++) {
        int m = 0;
        for (; m < (int)strlen(messages[i]) && m < seL4_MsgMaxLength; m++)
            seL4_SetMR(m, messages[i][m]);
        seL4_Call(endpoint, seL4_MessageInfo_new(0, 0, 0, m));
    }

    // reconfigure sched_context with a 1s period, 500 microsecond budget, 0 extra refills and data of 5.
    error = seL4_SchedControl_Configure(sched_control, sched_context, 500, US_IN_S, 0, 5);
    ZF_LOGF_IF(error != seL4_NoError, "Failed to configure sched_context");
    // set endpoint as the timeout fault handler for spinner_tcb
    error = seL4_TCB_SetTimeoutEndpoint(spinner_tcb, endpoint);
    ZF_LOGF_IF(error != seL4_NoError, "Failed to set timeout fault endpoint for spinner");

    error = seL4_SchedContext_Bind(sched_context, spinner_tcb);
    ZF_LOGF_IF(error, "Failed to bind sched_context to spinner_tcb");

    seL4_MessageInfo_t msg = seL4_Recv(endpoint, NULL, reply2);
    /* parse the fault info from the message */
    seL4_Fault_t fault = seL4_getFault(msg);
    ZF_LOGF_IF(seL4_Fault_get_seL4_FaultType(fault) != seL4_Fault_Timeout, "Not a timeout fault");
    printf("Received timeout fault\n");
    ZF_LOGF_IF(seL4_Fault_Timeout_get_data(fault) != 5, "Incorrect data");

    printf("Success!\n");

    return 0;
}
