/*
 * The seL4 "interrupts" tutorial, completed, as a root task on the MCS kernel on x86_64.
 *
 * The tutorial has two processes set up by the capDL loader: a timer driver, which is also
 * an RPC server, and a client, which asks it to sleep for 2 seconds. The driver gets a
 * capability for the timer's interrupt from IRQControl, binds a notification to it with
 * IRQHandler_SetNotification, programs the timer to interrupt every millisecond, then waits
 * on the notification, Acks each interrupt and replies to the client after 2000 of them.
 *
 * On the tutorial's ARM board the timer is a memory-mapped device with a fixed IRQ number
 * (IRQControl_Get). Here it is the PC's 8254 timer (PIT), channel 0, reached through I/O
 * ports (an IOPort cap for ports 0x40..0x43 plays the part of the tutorial's device frame),
 * and its interrupt comes through the IOAPIC: IRQControl_GetIOAPIC names the IOAPIC pin.
 * The PIT is ISA IRQ 0, which the ACPI MADT's interrupt source override moves to GSI 2, pin
 * 2 of the first IOAPIC; the kernel's boot log lists the overrides it found.
 *
 * The two processes are threads in the root task's address space (made with sel4utils),
 * each with a CSpace of its own holding the caps the tutorial's capDL spec gives it.
 * IRQControl cannot be copied: the root task moves it into the driver's CSpace. MCS: the
 * driver receives with a reply object and replies through it.
 */
#include <assert.h>
#include <stdbool.h>
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

/* The CSpaces (CNodes of 16 slots, used at depth 64). */
#define CSPACE_BITS 4
enum { TIMER_ENDPOINT = 1, TIMER_NTFN, TIMER_IRQ_CONTROL, TIMER_IRQ_HANDLER, TIMER_CNODE, TIMER_PORTS, TIMER_REPLY };
enum { CLIENT_ENDPOINT = 1, CLIENT_DONE };

/* constants */
#define EP_BADGE 61     /* arbitrary (but unique) number for a badge */
#define MSG_DATA 0x2    /* arbitrary data to send: the seconds to sleep */
#define IRQ_BADGE 0x1   /* the badge of the notification cap the IRQ signals */
#define PIT_IOAPIC 0
#define PIT_GSI 2       /* ISA IRQ 0 after the MADT override: IOAPIC 0, pin 2 */
#define PIT_VECTOR 0    /* the IRQ's vector argument: CPU vector 48, kernel IRQ 16 */

/* ---- a small PIT driver (the tutorial's timer_driver) ---- */

#define PIT_CH0 0x40
#define PIT_CMD 0x43
#define PIT_HZ 1193182
#define NS_IN_MS 1000000ull

typedef struct {
    seL4_CPtr ports;
} timer_drv_t;

static int timer_init(timer_drv_t *t, seL4_CPtr ports)
{
    t->ports = ports;
    /* channel 0, mode 0 with nothing loaded: stopped, output low */
    return seL4_X86_IOPort_Out8(t->ports, PIT_CMD, 0x30);
}

/* A periodic interrupt every ns nanoseconds: channel 0, low/high byte, mode 2 (rate generator). */
static int timer_set_timeout(timer_drv_t *t, uint64_t ns, bool periodic)
{
    assert(periodic);
    uint64_t count = ns * PIT_HZ / 1000000000ull;
    if (count < 2 || count > 0xffff)
        return -1;
    int error = seL4_X86_IOPort_Out8(t->ports, PIT_CMD, 0x34);
    error |= seL4_X86_IOPort_Out8(t->ports, PIT_CH0, count & 0xff);
    error |= seL4_X86_IOPort_Out8(t->ports, PIT_CH0, count >> 8);
    return error;
}

/* The PIT needs nothing done per interrupt (the IOAPIC pin is edge-triggered). */
static void timer_handle_irq(timer_drv_t *t) { (void)t; }

static int timer_stop(timer_drv_t *t) { return timer_init(t, t->ports); }

/* ---- the client ---- */

static void client(void *unused0, void *unused1, void *ipc_buffer)
{
    (void)unused0, (void)unused1, (void)ipc_buffer;
    seL4_MessageInfo_t tag;
    seL4_Word msg;

    printf("timer client: hey hey hey\n");

    /* send a message to the timer server, and wait for a reply */
    tag = seL4_MessageInfo_new(0, 0, 0, 1);
    seL4_SetMR(0, MSG_DATA);
    tag = seL4_Call(CLIENT_ENDPOINT, tag);

    /* check that we got the expected reply */
    assert(seL4_MessageInfo_get_length(tag) == 1);
    msg = seL4_GetMR(0);
    assert(msg == 0);

    printf("timer client wakes up\n");
    seL4_Signal(CLIENT_DONE);
    for (;;)
        seL4_Wait(CLIENT_DONE, NULL);
}

/* ---- the timer driver and server ---- */

static void timer(void *unused0, void *unused1, void *ipc_buffer)
{
    (void)unused0, (void)unused1, (void)ipc_buffer;
    /* wait for a message */
    seL4_Word sender_badge;
    seL4_MessageInfo_t tag = seL4_Recv(TIMER_ENDPOINT, &sender_badge, TIMER_REPLY);

    /* make sure the message is what we expected */
    assert(sender_badge == EP_BADGE);
    assert(seL4_MessageInfo_get_length(tag) == 1);

    /* get the message stored in the first message register */
    seL4_Word msg = seL4_GetMR(0);
    printf("timer: got a message from %lu to sleep %lu seconds\n", (unsigned long)sender_badge, (unsigned long)msg);

    timer_drv_t timer_drv = { 0 };

    /* put the interrupt handler for the PIT's IOAPIC pin in the irq_handler cslot */
    seL4_Error error = seL4_IRQControl_GetIOAPIC(TIMER_IRQ_CONTROL, TIMER_CNODE, TIMER_IRQ_HANDLER, seL4_WordBits,
                                                 PIT_IOAPIC, PIT_GSI, 0 /* edge */, 0 /* active high */, PIT_VECTOR);
    ZF_LOGF_IF(error, "Failed to get irq capability");

    /* set ntfn as the notification for irq_handler */
    error = seL4_IRQHandler_SetNotification(TIMER_IRQ_HANDLER, TIMER_NTFN);
    ZF_LOGF_IF(error, "Failed to set notification");

    /* set up the timer driver */
    int timer_err = timer_init(&timer_drv, TIMER_PORTS);
    ZF_LOGF_IF(timer_err, "Failed to init timer");

    /* ack the irq in case of any pending interrupts in the driver */
    error = seL4_IRQHandler_Ack(TIMER_IRQ_HANDLER);
    ZF_LOGF_IF(error, "Failed to ack irq");
    seL4_Word stale;
    seL4_Poll(TIMER_NTFN, &stale); /* a tick the BIOS's timer setting may have sent */

    timer_err = timer_set_timeout(&timer_drv, NS_IN_MS, true);
    ZF_LOGF_IF(timer_err, "Failed to set timeout");

    int count = 0;
    seL4_Word badges = 0;
    while (1) {
        /* Handle the timer interrupt */
        seL4_Word badge;
        seL4_Wait(TIMER_NTFN, &badge);
        badges |= badge;
        timer_handle_irq(&timer_drv);
        if (count == 0) {
            printf("Tick\n");
        }
        /* ack the interrupt */
        error = seL4_IRQHandler_Ack(TIMER_IRQ_HANDLER);
        ZF_LOGF_IF(error, "Failed to ack irq");

        count++;
        if (count == 1000 * (int)msg) {
            break;
        }
    }

    // stop the timer
    timer_stop(&timer_drv);
    printf("timer: %d interrupts received, signalled with badge 0x%lx\n", count, (unsigned long)badges);

    /* modify the message */
    seL4_SetMR(0, 0);

    /* send the modified message back */
    seL4_ReplyRecv(TIMER_ENDPOINT, tag, &sender_badge, TIMER_REPLY);
    for (;;)
        seL4_Wait(TIMER_NTFN, NULL);
}

/* ---- setting up what the capDL loader sets up for the tutorial ---- */

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
    ZF_LOGF_IF(error, "Failed to put a cap into a CSpace");
}

/* A thread running fn at prio in our address space, with the CSpace `cnode`: sel4utils
 * gives it a stack, an IPC buffer, TLS and a 5 ms round-robin scheduling context. */
static void start_thread(const char *name, seL4_CPtr cnode, int prio, sel4utils_thread_entry_fn fn)
{
    sel4utils_thread_config_t config = thread_config_new(&simple);
    config = thread_config_cspace(config, cnode, api_make_guard_skip_word(seL4_WordBits - CSPACE_BITS));
    config = thread_config_priority(config, prio);
    config.sched_params = sched_params_round_robin(config.sched_params, &simple, 0, 5000);
    sel4utils_thread_t thread;
    int error = sel4utils_configure_thread_config(&vka, &vspace, &vspace, config, &thread);
    ZF_LOGF_IF(error, "Failed to configure %s", name);
    NAME_THREAD(thread.tcb.cptr, name);
    error = sel4utils_start_thread(&thread, fn, NULL, NULL, 1);
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
    seL4_CPtr ntfn = new_object(seL4_NotificationObject, 0);
    seL4_CPtr reply = new_object(seL4_ReplyObject, 0);
    seL4_CPtr done = new_object(seL4_NotificationObject, 0);
    seL4_CPtr ports;
    error = vka_cspace_alloc(&vka, &ports);
    ZF_LOGF_IF(error, "Failed to allocate a slot");

    /* The timer's CSpace: the endpoint, the notification the IRQ signals (badged), IRQControl
     * (moved: it cannot be copied), an empty slot for the IRQHandler, its own CNode (the
     * root for GetIOAPIC's destination, with the guard that makes depth 64 work), the PIT's
     * I/O ports and a reply object. */
    seL4_CPtr timer_cnode = new_object(seL4_CapTableObject, CSPACE_BITS);
    give(timer_cnode, TIMER_ENDPOINT, endpoint, seL4_AllRights, 0);
    give(timer_cnode, TIMER_NTFN, ntfn, seL4_AllRights, IRQ_BADGE);
    error = seL4_CNode_Move(timer_cnode, TIMER_IRQ_CONTROL, CSPACE_BITS, seL4_CapInitThreadCNode, seL4_CapIRQControl,
                            seL4_WordBits);
    ZF_LOGF_IF(error, "Failed to move IRQControl");
    give(timer_cnode, TIMER_CNODE, timer_cnode, seL4_AllRights, api_make_guard_skip_word(seL4_WordBits - CSPACE_BITS));
    error = seL4_X86_IOPortControl_Issue(seL4_CapIOPortControl, PIT_CH0, PIT_CMD, seL4_CapInitThreadCNode, ports,
                                         seL4_WordBits);
    ZF_LOGF_IF(error, "Failed to issue the PIT's I/O ports");
    error = seL4_CNode_Move(timer_cnode, TIMER_PORTS, CSPACE_BITS, seL4_CapInitThreadCNode, ports, seL4_WordBits);
    ZF_LOGF_IF(error, "Failed to move the I/O port cap");
    give(timer_cnode, TIMER_REPLY, reply, seL4_AllRights, 0);

    /* The client's CSpace: the endpoint badged 61, and a way to tell us it is done. */
    seL4_CPtr client_cnode = new_object(seL4_CapTableObject, CSPACE_BITS);
    give(client_cnode, CLIENT_ENDPOINT, endpoint, seL4_AllRights, EP_BADGE);
    give(client_cnode, CLIENT_DONE, done, seL4_AllRights, 0);

    start_thread("tcb_timer", timer_cnode, 200, timer);
    start_thread("tcb_client", client_cnode, 100, client);
    seL4_Wait(done, NULL);
    return 0;
}
