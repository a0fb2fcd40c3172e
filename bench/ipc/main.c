/*
 * Cairn's microbenchmarks (make bench): cycles by rdtsc, hot caches (warm-up first), the
 * median/min/max of ITERATIONS runs with the cost of reading the counter subtracted. One-way
 * IPC figures take the timestamp in the sender before the syscall and in the receiver after
 * it, as seL4's benchmark suite does. Under QEMU -icount shift=0 a TSC tick is one guest
 * instruction, so the figures are deterministic instruction counts.
 */
#define CONFIG_ENABLE_BENCHMARKS 1 /* for the seL4_Benchmark* stubs */
#include <stdio.h>
#include <stdlib.h>
#include <sel4/sel4.h>
#include "../../tests/system/common/thread.h"
#include "../../tests/system/common/vspace.h"
#include "../../tests/system/common/pci.h"

#define WARMUP 100
#define ITERATIONS 1001

static inline uint64_t rdtsc(void)
{
    uint32_t lo, hi;
    __asm__ volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi)::"memory");
    return ((uint64_t)hi << 32) | lo;
}

static uint64_t samples[ITERATIONS];
static volatile uint64_t stamp;   /* written by one thread, read by the other */
static volatile uint64_t arrival; /* Call one-way time, measured by the server */
static uint64_t overhead;
static seL4_CPtr ep, reply, ntfn;

static int cmp(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static void bench_irq_latency(void);
static void bench_msi_latency(void);

static void report(const char *name)
{
    qsort(samples, ITERATIONS, sizeof(samples[0]), cmp);
    uint64_t med = samples[ITERATIONS / 2], lo = samples[0], hi = samples[ITERATIONS - 1];
    med = med > overhead ? med - overhead : 0;
    lo = lo > overhead ? lo - overhead : 0;
    hi = hi > overhead ? hi - overhead : 0;
    printf("| %-61s | %8lu | %8lu | %8lu |\n", name, (unsigned long)med, (unsigned long)lo, (unsigned long)hi);
}

/* Passive server for the Call/ReplyRecv benchmarks: records when each message arrived and
 * stamps just before replying. */
static void server(seL4_Word words, seL4_Word a1)
{
    (void)a1;
    seL4_Word badge;
    seL4_MessageInfo_t info = seL4_Recv(ep, &badge, reply);
    for (;;) {
        uint64_t t = rdtsc();
        arrival = t - stamp; /* Call one-way: arrival minus the client's stamp */
        seL4_MessageInfo_t r = seL4_MessageInfo_new(0, 0, 0, words);
        (void)info;
        stamp = rdtsc();
        info = seL4_ReplyRecvWithMRs(ep, r, &badge, NULL, NULL, NULL, NULL, reply);
    }
}

static void waiter(seL4_Word a0, seL4_Word a1)
{
    (void)a0, (void)a1;
    for (;;) {
        seL4_Word badge;
        seL4_Wait(ntfn, &badge);
        stamp = rdtsc() - stamp;
    }
}

/* Below the root task: it tells the root it is back in Wait with one syscall (NBSendWait:
 * signal `ack`, then wait on ntfn), so the root's next Signal again finds it waiting. */
static seL4_CPtr ack;
static void low_waiter(seL4_Word a0, seL4_Word a1)
{
    (void)a0, (void)a1;
    seL4_Word badge;
    for (;;)
        seL4_NBSendWait(ack, seL4_MessageInfo_new(0, 0, 0, 0), ntfn, &badge);
}

/* Fault round trip, as sel4bench's fault benchmark: the faulter (below the handler) executes
 * ud2; the UserException goes as a message to a passive handler waiting on the faulter's
 * fault endpoint, which replies (ReplyRecv, label 0) with MR0 = FaultIP + 2, so the faulter
 * goes on after the instruction. Stamps as for Call/ReplyRecv: the faulter before ud2 and
 * after it, the handler on arrival and before its reply. */
static seL4_CPtr fault_ep, fault_reply, fault_done, fault_park;
static uint64_t fault_there[ITERATIONS], fault_back[ITERATIONS];

static void fault_handler(seL4_Word a0, seL4_Word a1)
{
    (void)a0, (void)a1;
    seL4_Word badge, ip; /* MR0: seL4_UserException_FaultIP */
    seL4_RecvWithMRs(fault_ep, &badge, &ip, NULL, NULL, NULL, fault_reply);
    for (;;) {
        arrival = rdtsc() - stamp;
        ip += 2; /* past the ud2 */
        stamp = rdtsc();
        seL4_ReplyRecvWithMRs(fault_ep, seL4_MessageInfo_new(0, 0, 0, 1), &badge, &ip, NULL, NULL, NULL,
                              fault_reply);
    }
}

static void faulter(seL4_Word a0, seL4_Word a1)
{
    (void)a0, (void)a1;
    for (int i = -WARMUP; i < ITERATIONS; i++) {
        stamp = rdtsc();
        uint64_t a = stamp;
        __asm__ volatile("ud2" ::: "memory");
        uint64_t b = rdtsc();
        if (i >= 0) {
            fault_there[i] = arrival;
            fault_back[i] = b - stamp;
            samples[i] = b - a;
        }
    }
    seL4_Signal(fault_done);
    for (;;)
        seL4_Wait(fault_park, NULL); /* nobody signals it */
}

static void bench_fault(void)
{
    fault_ep = test_alloc_obj(seL4_EndpointObject, 0);
    fault_reply = test_alloc_obj(seL4_ReplyObject, 0);
    fault_done = test_alloc_obj(seL4_NotificationObject, 0);
    fault_park = test_alloc_obj(seL4_NotificationObject, 0);
    /* The handler runs to its Recv on its own SC, then becomes passive: it runs on the SC the
     * fault message donates. */
    struct test_thread h = test_thread_new("bench-fault-handler", 200, fault_handler, 0, 0, false, true);
    seL4_SchedContext_UnbindObject(h.sc, h.tcb);
    struct test_thread f = test_thread_new("bench-faulter", 150, faulter, 0, 0, false, false);
    if (seL4_TCB_SetSchedParams(f.tcb, seL4_CapInitThreadTCB, 150, 150, f.sc, fault_ep) || seL4_TCB_Resume(f.tcb)) {
        printf("fault benchmark: starting the faulter failed\n");
        return;
    }
    seL4_Word badge;
    seL4_Wait(fault_done, &badge);
    report("Fault round trip (faulter -> handler -> faulter), ud2");
    for (int i = 0; i < ITERATIONS; i++)
        samples[i] = fault_there[i];
    report("Fault one-way, faulter -> handler (UserException)");
    for (int i = 0; i < ITERATIONS; i++)
        samples[i] = fault_back[i];
    report("Fault reply one-way, handler -> faulter (ReplyRecv)");
}

static void receiver(seL4_Word a0, seL4_Word a1)
{
    (void)a0, (void)a1;
    for (;;) {
        seL4_Word badge;
        seL4_Recv(ep, &badge, reply);
        stamp = rdtsc() - stamp;
    }
}

/* Call + ReplyRecv with a passive server in `vspace` (ours, or another that maps our image):
 * round trip and both one-way figures (the fastpath), `words` message words each way. */
static void bench_call_reply(seL4_CPtr vspace, seL4_Word words)
{
    const char *space = vspace == seL4_CapInitThreadVSpace ? "same address space" : "cross address space";
    seL4_CPtr ep_saved = ep;
    ep = test_alloc_obj(seL4_EndpointObject, 0);
    reply = test_alloc_obj(seL4_ReplyObject, 0);
    /* The server runs to its Recv on its own SC, then becomes passive: from then on it runs on
     * the SC each Call donates (the fastpath case). */
    struct test_thread s = vspace == seL4_CapInitThreadVSpace
                               ? test_thread_new("bench-server", 200, server, words, 0, false, true)
                               : test_thread_in(vspace, "bench-server-as2", 200, server, words, 0, false, true);
    seL4_SchedContext_UnbindObject(s.sc, s.tcb);
    seL4_MessageInfo_t m = seL4_MessageInfo_new(0, 0, 0, words);
    static uint64_t oneway_call[ITERATIONS], oneway_reply[ITERATIONS];
    for (int i = -WARMUP; i < ITERATIONS; i++) {
        stamp = rdtsc();
        uint64_t a = stamp;
        seL4_CallWithMRs(ep, m, NULL, NULL, NULL, NULL);
        uint64_t b = rdtsc();
        if (i >= 0) {
            oneway_call[i] = arrival;
            oneway_reply[i] = b - stamp;
            samples[i] = b - a;
        }
    }
    /* Beyond the 4 register MRs the message goes through the IPC buffers: the general path. */
    const char *path = words <= 4 ? "fastpath" : "slow path";
    char name[80];
    snprintf(name, sizeof(name), "Call + ReplyRecv round trip, %s, %lu words", space, (unsigned long)words);
    report(name);
    for (int i = 0; i < ITERATIONS; i++)
        samples[i] = oneway_call[i];
    snprintf(name, sizeof(name), "Call one-way (%s), %s, %lu words", path, space, (unsigned long)words);
    report(name);
    for (int i = 0; i < ITERATIONS; i++)
        samples[i] = oneway_reply[i];
    snprintf(name, sizeof(name), "ReplyRecv one-way (%s), %s, %lu words", path, space, (unsigned long)words);
    report(name);
    ep = ep_saved;
}

/* Page_Map and Page_Unmap of one 4 KiB frame where the page table already exists. */
static void bench_map_unmap(void)
{
    const seL4_Word v = 0x200000000000ul;
    seL4_CPtr frame = test_alloc_obj(seL4_X86_4K, 0);
    if (test_map_frame(seL4_CapInitThreadVSpace, frame, v, seL4_ReadWrite, seL4_X86_Default_VMAttributes) ||
        seL4_X86_Page_Unmap(frame)) {
        printf("map/unmap benchmark: setting up the page tables failed\n");
        return;
    }
    static uint64_t unmaps[ITERATIONS];
    for (int i = -WARMUP; i < ITERATIONS; i++) {
        uint64_t a = rdtsc();
        seL4_X86_Page_Map(frame, seL4_CapInitThreadVSpace, v, seL4_ReadWrite, seL4_X86_Default_VMAttributes);
        uint64_t b = rdtsc();
        seL4_X86_Page_Unmap(frame);
        uint64_t c = rdtsc();
        if (i >= 0) {
            samples[i] = b - a;
            unmaps[i] = c - b;
        }
    }
    report("map a 4 KiB page (seL4_X86_Page_Map, page table present)");
    for (int i = 0; i < ITERATIONS; i++)
        samples[i] = unmaps[i];
    report("unmap a 4 KiB page (seL4_X86_Page_Unmap)");
    for (int i = -WARMUP; i < ITERATIONS; i++) {
        uint64_t a = rdtsc();
        seL4_X86_Page_GetAddress(frame);
        uint64_t b = rdtsc();
        if (i >= 0)
            samples[i] = b - a;
    }
    report("Page_GetAddress (the cost of a minimal invocation)");
}

int main(void)
{
    test_init();
    /* Run below the threads we measure against, so that "higher priority" means something. */
    seL4_TCB_SetPriority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, 100);
    for (int i = 0; i < ITERATIONS; i++) {
        uint64_t a = rdtsc(), b = rdtsc();
        samples[i] = b - a;
    }
    qsort(samples, ITERATIONS, sizeof(samples[0]), cmp);
    overhead = samples[ITERATIONS / 2];
    printf("Cairn benchmarks: rdtsc cycles, median/min/max of %d runs after %d warm-up runs,\n", ITERATIONS, WARMUP);
    printf("timer-read overhead %lu subtracted. %s\n", (unsigned long)overhead,
           "(Under QEMU -icount shift=0 one cycle = one instruction.)");
    printf("| %-61s | %8s | %8s | %8s |\n", "benchmark", "median", "min", "max");
    printf("|---------------------------------------------------------------|----------|----------|----------|\n");

    for (int i = -WARMUP; i < ITERATIONS; i++) {
        uint64_t a = rdtsc();
        seL4_BenchmarkNullSyscall();
        uint64_t b = rdtsc();
        if (i >= 0)
            samples[i] = b - a;
    }
    report("null syscall (seL4_BenchmarkNullSyscall), round trip");

    for (int i = -WARMUP; i < ITERATIONS; i++) {
        uint64_t a = rdtsc();
        seL4_Yield();
        uint64_t b = rdtsc();
        if (i >= 0)
            samples[i] = b - a;
    }
    report("seL4_Yield, no other thread ready");

    ep = test_alloc_obj(seL4_EndpointObject, 0);
    reply = test_alloc_obj(seL4_ReplyObject, 0);
    ntfn = test_alloc_obj(seL4_NotificationObject, 0);
    for (seL4_Word words = 0; words <= 4; words += 4)
        bench_call_reply(seL4_CapInitThreadVSpace, words);
    /* The server in a second address space: its own PML4 (an ASID from our pool) mapping our
     * image (the same program and globals), its own stack and IPC buffer pages. */
    seL4_CPtr vs2 = test_vspace_new();
    test_vspace_share_image(vs2);
    for (seL4_Word words = 0; words <= 4; words += 4)
        bench_call_reply(vs2, words);
    bench_call_reply(vs2, 10);

    /* Send to a higher-priority thread waiting in Recv (the general path). */
    ep = test_alloc_obj(seL4_EndpointObject, 0);
    reply = test_alloc_obj(seL4_ReplyObject, 0);
    test_thread_new("bench-receiver", 250, receiver, 0, 0, false, true);
    for (int i = -WARMUP; i < ITERATIONS; i++) {
        stamp = rdtsc();
        seL4_Send(ep, seL4_MessageInfo_new(0, 0, 0, 0));
        if (i >= 0)
            samples[i] = stamp;
    }
    report("Send to a higher-priority thread in Recv, one-way, 0 words");

    test_thread_new("bench-waiter", 250, waiter, 0, 0, false, true);
    for (int i = -WARMUP; i < ITERATIONS; i++) {
        stamp = rdtsc();
        seL4_Signal(ntfn);
        if (i >= 0)
            samples[i] = stamp;
    }
    report("Signal to a higher-priority waiting thread, one-way");

    /* Signal to a lower-priority thread waiting: the signaller keeps running; timed around
     * the syscall. Between samples the root waits on ack so the waiter gets back to Wait. */
    ntfn = test_alloc_obj(seL4_NotificationObject, 0);
    ack = test_alloc_obj(seL4_NotificationObject, 0);
    test_thread_new("bench-low-waiter", 50, low_waiter, 0, 0, false, true);
    seL4_Word badge;
    seL4_Wait(ack, &badge); /* we block; the waiter runs to its first NBSendWait */
    for (int i = -WARMUP; i < ITERATIONS; i++) {
        uint64_t a = rdtsc();
        seL4_Signal(ntfn);
        uint64_t b = rdtsc();
        if (i >= 0)
            samples[i] = b - a;
        seL4_Wait(ack, &badge);
    }
    report("Signal to a lower-priority waiting thread, round trip");

    bench_fault();
    bench_map_unmap();

    bench_irq_latency();
    bench_msi_latency();
    return 0;
}

/*
 * IRQ to user handler. A device interrupt the benchmark can raise at a known time, with I/O
 * ports only: the PS/2 controller (i8042) puts a byte written after command 0xd2 in its
 * output buffer as if the keyboard had sent it, and raises ISA IRQ 1 (IOAPIC pin 1) at once
 * if its keyboard interrupt is enabled. The handler thread (priority 250) Waits on the
 * notification bound to the IRQ; t0 is taken just before the Out8 syscall that writes the
 * byte, t1 by the handler right after its Wait returns; it then reads the byte (the line
 * falls) and Acks. The first row therefore includes that Out8 syscall (entry, decode, the
 * device's emulation, return); the second row is the same Out8 with the controller's
 * interrupt off, timed around the syscall; their difference is the interrupt's own path:
 * kernel entry, the signal, the switch to the handler and the return to user mode in it.
 */
#define I8042_DATA 0x60
#define I8042_CMD 0x64
static seL4_CPtr kbd_ports, kbd_handler;
static volatile unsigned long irqs_handled;

static void irq_handler_thread(seL4_Word ntfn, seL4_Word a1)
{
    (void)a1;
    for (;;) {
        seL4_Word badge;
        seL4_Wait(ntfn, &badge);
        stamp = rdtsc() - stamp;
        irqs_handled++;
        seL4_X86_IOPort_In8(kbd_ports, I8042_DATA);
        seL4_IRQHandler_Ack(kbd_handler);
    }
}

static void i8042_write(seL4_Word port, seL4_Word v) { seL4_X86_IOPort_Out8(kbd_ports, port, v); }
static void i8042_set_mode(seL4_Word mode)
{
    i8042_write(I8042_CMD, 0x60); /* write the controller's command byte */
    i8042_write(I8042_DATA, mode);
}

static void bench_irq_latency(void)
{
    seL4_CPtr irq_ntfn = test_alloc_obj(seL4_NotificationObject, 0);
    if (cairn_alloc_slot(&test_alloc, &kbd_ports) || cairn_alloc_slot(&test_alloc, &kbd_handler) ||
        seL4_X86_IOPortControl_Issue(seL4_CapIOPortControl, I8042_DATA, I8042_CMD, seL4_CapInitThreadCNode,
                                     kbd_ports, seL4_WordBits) ||
        seL4_IRQControl_GetIOAPIC(seL4_CapIRQControl, seL4_CapInitThreadCNode, kbd_handler, seL4_WordBits, 0, 1, 0, 0,
                                  1) ||
        seL4_IRQHandler_SetNotification(kbd_handler, irq_ntfn)) {
        printf("IRQ latency: setting up the i8042 and its IRQ failed\n");
        return;
    }
    i8042_set_mode(0x00); /* no interrupts while the buffer is drained */
    for (int i = 0; i < 16 && (seL4_X86_IOPort_In8(kbd_ports, I8042_CMD).result & 1); i++)
        seL4_X86_IOPort_In8(kbd_ports, I8042_DATA);

    /* The same Out8 with the keyboard interrupt off. */
    for (int i = -WARMUP; i < ITERATIONS; i++) {
        i8042_write(I8042_CMD, 0xd2);
        uint64_t a = rdtsc();
        i8042_write(I8042_DATA, 0x55);
        uint64_t b = rdtsc();
        seL4_X86_IOPort_In8(kbd_ports, I8042_DATA);
        if (i >= 0)
            samples[i] = b - a;
    }
    qsort(samples, ITERATIONS, sizeof(samples[0]), cmp);
    uint64_t out8 = samples[ITERATIONS / 2];
    report("IOPort Out8 round trip (i8042, its interrupt off)");

    i8042_set_mode(0x01); /* keyboard interrupt on, keyboard enabled, no translation */
    seL4_IRQHandler_Ack(kbd_handler);
    seL4_Word pending;
    seL4_Poll(irq_ntfn, &pending);
    test_thread_new("bench-irq-handler", 250, irq_handler_thread, irq_ntfn, 0, false, true);
    for (int i = -WARMUP; i < ITERATIONS; i++) {
        i8042_write(I8042_CMD, 0xd2);
        stamp = rdtsc();
        i8042_write(I8042_DATA, 0x55); /* the handler has run when this returns */
        if (i >= 0)
            samples[i] = stamp;
    }
    if (irqs_handled != WARMUP + ITERATIONS)
        printf("IRQ latency: only %lu of %d interrupts reached the handler\n", irqs_handled, WARMUP + ITERATIONS);
    qsort(samples, ITERATIONS, sizeof(samples[0]), cmp);
    uint64_t irq = samples[ITERATIONS / 2];
    report("IRQ to user handler, incl. the Out8 raising IRQ 1");
    printf("| %-61s | %8lu | %8s | %8s |\n", "IRQ to user handler: interrupt entry to handler (diff.)",
           (unsigned long)(irq > out8 ? irq - out8 : 0), "-", "-");
    i8042_set_mode(0x00);
    seL4_CNode_Delete(seL4_CapInitThreadCNode, kbd_handler, seL4_WordBits);
}

/*
 * IRQ to user handler without a syscall in the way: an MSI. QEMU's edu PCI device (bench/ipc/
 * qemu_args adds it) sends its MSI when its "raise interrupt" register is written; the
 * register is in BAR 0, mapped uncached into the benchmark. t0 is taken just before that
 * store, t1 by the handler thread (priority 250) right after its Wait returns. Between them:
 * the device's emulation, the interrupt's kernel entry, the signal, the switch to the
 * handler and its return to user mode.
 */
#define EDU_ID 0x11e81234u
#define EDU_INTR_RAISE 0x60
#define EDU_INTR_ACK 0x64
#define MSI_BENCH_VECTOR 21
#define MSI_BENCH_WINDOW 0x30000000000ul
static volatile uint32_t *edu_regs;

static seL4_CPtr bench_slot(void)
{
    seL4_CPtr s = 0;
    cairn_alloc_slot(&test_alloc, &s);
    return s;
}

static void msi_handler_thread(seL4_Word ntfn, seL4_Word a1)
{
    (void)a1;
    for (;;) {
        seL4_Word badge;
        seL4_Wait(ntfn, &badge);
        stamp = rdtsc() - stamp;
        irqs_handled++;
        edu_regs[EDU_INTR_ACK / 4] = 1;
    }
}

static void bench_msi_latency(void)
{
    seL4_CPtr ports = bench_slot(), handler = bench_slot(), ntfn = test_alloc_obj(seL4_NotificationObject, 0);
    if (seL4_X86_IOPortControl_Issue(seL4_CapIOPortControl, PCI_CONFIG_ADDR, PCI_CONFIG_DATA + 3,
                                     seL4_CapInitThreadCNode, ports, seL4_WordBits))
        return;
    unsigned dev = pci_find(ports, EDU_ID), cap = dev == PCI_NO_DEVICE ? 0 : pci_msi_cap(ports, dev);
    if (!cap) {
        printf("MSI latency: no edu PCI device with MSI (QEMU -device edu); row skipped\n");
        return;
    }
    seL4_CPtr frame = device_frame_at(pci_cfg_read(ports, dev, 0x10) & ~0xful, bench_slot);
    if (!frame || test_map_frame(seL4_CapInitThreadVSpace, frame, MSI_BENCH_WINDOW, seL4_ReadWrite,
                                 seL4_X86_Uncacheable) ||
        seL4_IRQControl_GetMSI(seL4_CapIRQControl, seL4_CapInitThreadCNode, handler, seL4_WordBits, 0, dev, 0, 0,
                               MSI_BENCH_VECTOR) ||
        seL4_IRQHandler_SetNotification(handler, ntfn)) {
        printf("MSI latency: setting up the edu device and its MSI failed\n");
        return;
    }
    edu_regs = (volatile uint32_t *)MSI_BENCH_WINDOW;
    pci_enable_msi(ports, dev, cap, MSI_BENCH_VECTOR + IRQ_OFFSET);
    test_thread_new("bench-msi-handler", 250, msi_handler_thread, ntfn, 0, false, true);
    irqs_handled = 0;
    for (int i = -WARMUP; i < ITERATIONS; i++) {
        stamp = rdtsc();
        edu_regs[EDU_INTR_RAISE / 4] = 1; /* the handler has run when the store retires */
        if (i >= 0)
            samples[i] = stamp;
    }
    if (irqs_handled != WARMUP + ITERATIONS)
        printf("MSI latency: only %lu of %d interrupts reached the handler\n", irqs_handled, WARMUP + ITERATIONS);
    report("IRQ to user handler: MSI from a device register store");
}
