/*
 * A real periodic device interrupt end to end: the PC's 8254 timer (PIT) channel 0,
 * programmed through IOPort caps at 1 kHz. Its interrupt is ISA IRQ 0; where that arrives the
 * test reads from the ACPI MADT as a driver would (the tables mapped from device untyped):
 * QEMU's MADT has an interrupt source override sending it to GSI 2, pin 2 of the only IOAPIC.
 * The kernel's boot log lists the overrides too; the `expect` file checks that line. A
 * driver thread Waits on the bound notification, counts ticks and Acks each one.
 *
 * Meanwhile two spinning threads at a lower priority share the CPU round-robin, which only
 * the kernel's own timer (the LAPIC timer, MCS budgets) can make them do: the kernel timer
 * keeps working alongside the user driver. Then the same without them, so that every tick
 * arrives while the CPU idles.
 */
#include <stdio.h>
#include <sel4/sel4.h>
#include "../common/check.h"
#include "../common/ipc_helpers.h"
#include "../common/sched_util.h"
#include "../common/vspace.h"
#include "../common/acpi.h"

#define ROOT seL4_CapInitThreadCNode
#define PIT_CH0 0x40
#define PIT_CMD 0x43
#define PIT_HZ 1193182
#define TICK_HZ 1000
#define ACPI_WINDOW 0x31000000000ul
#define TICK_BADGE 0x4

static seL4_CPtr pit, done;
static volatile seL4_Word ticks, target, bad_badges;
static volatile unsigned long spins[2];

static void driver(seL4_Word ntfn, seL4_Word handler)
{
    for (;;) {
        seL4_Word badge;
        seL4_Wait(ntfn, &badge);
        if (badge != TICK_BADGE)
            bad_badges++;
        if (++ticks == target)
            seL4_Signal(done);
        seL4_IRQHandler_Ack(handler);
    }
}

static void spinner(seL4_Word i, seL4_Word unused)
{
    (void)unused;
    for (;;)
        spins[i]++;
}

static seL4_CPtr slot(void)
{
    seL4_CPtr s = 0;
    cairn_alloc_slot(&test_alloc, &s);
    return s;
}

/* Channel 0, low then high byte of the divisor, mode 2 (rate generator), binary. */
static void pit_start(unsigned hz)
{
    unsigned divisor = PIT_HZ / hz;
    seL4_X86_IOPort_Out8(pit, PIT_CMD, 0x34);
    seL4_X86_IOPort_Out8(pit, PIT_CH0, divisor & 0xff);
    seL4_X86_IOPort_Out8(pit, PIT_CH0, divisor >> 8);
}

/* Mode 0 with no count loaded: the counter waits, its output stays low. */
static void pit_stop(void) { seL4_X86_IOPort_Out8(pit, PIT_CMD, 0x30); }

int main(void)
{
    test_init();
    pit = slot();
    CHECK("IOPort cap for the PIT's ports 0x40..0x43",
          seL4_X86_IOPortControl_Issue(seL4_CapIOPortControl, PIT_CH0, PIT_CMD, ROOT, pit, 64) == seL4_NoError);
    seL4_CPtr ntfn = test_alloc_obj(seL4_NotificationObject, 0), h = slot();
    done = test_alloc_obj(seL4_NotificationObject, 0);
    pit_stop();

    struct acpi_window acpi;
    const uint8_t *madt = acpi_map(&acpi, ACPI_WINDOW, slot) ? acpi_madt(&acpi) : NULL;
    CHECK("the ACPI tables mapped from device untyped; the MADT found through the RSDT", madt != NULL);
    unsigned gsi = 0, flags = 0, ioapic = 0, pin = 0;
    bool overridden = false;
    if (madt)
        acpi_isa_irq(madt, 0, &gsi, &flags, &overridden);
    CHECK("the MADT overrides ISA IRQ 0 (the PIT): GSI 2, bus-default trigger and polarity",
          overridden && gsi == 2 && flags == 0);
    CHECK("GSI 2 is pin 2 of IOAPIC 0", madt && acpi_gsi_pin(madt, gsi, &ioapic, &pin) && ioapic == 0 && pin == 2);
    CHECK("GetIOAPIC(IOAPIC 0, pin 2, edge, active high (ISA defaults), vector 10)",
          seL4_IRQControl_GetIOAPIC(seL4_CapIRQControl, ROOT, h, 64, ioapic, pin, 0, 0, 10) == seL4_NoError);
    CHECK("SetNotification with a cap badged 0x4",
          seL4_IRQHandler_SetNotification(h, mint_cap(ntfn, seL4_AllRights, TICK_BADGE)) == seL4_NoError);
    seL4_Word stale;
    seL4_Poll(ntfn, &stale);         /* a tick of the BIOS's setting, if one came before pit_stop */
    seL4_IRQHandler_Ack(h);

    struct test_thread d = test_thread_new("pit-driver", 200, driver, ntfn, h, false, true);
    struct test_thread s0 = test_thread_new("spinner-0", 100, spinner, 0, 0, false, true);
    struct test_thread s1 = test_thread_new("spinner-1", 100, spinner, 1, 0, false, true);
    (void)d;

    /* 100 ticks at 1 kHz while the spinners share the CPU. */
    target = 100;
    uint64_t t0 = rdtsc();
    pit_start(TICK_HZ);
    seL4_Wait(done, NULL);
    seL4_Word n = ticks; /* the driver has not Acked the 100th tick yet: no more come */
    uint64_t us = tsc_to_us(rdtsc() - t0);
    printf("100 PIT ticks took %lu us; spinners: %lu and %lu rounds\n", (unsigned long)us, spins[0], spins[1]);
    CHECK("the driver counted 100 PIT interrupts, each signalled with badge 0x4", n == 100 && bad_badges == 0);
    CHECK("they took at least 90 ms (the PIT cannot tick faster than 1 kHz)", us >= 90000);
    CHECK("both spinners ran: the kernel's timer still preempts round-robin threads", spins[0] > 0 && spins[1] > 0);

    /* 20 more with nothing else to run: each tick wakes an idle CPU. */
    seL4_TCB_Suspend(s0.tcb);
    seL4_TCB_Suspend(s1.tcb);
    target = 120;
    t0 = rdtsc();
    seL4_Wait(done, NULL);
    n = ticks;
    us = tsc_to_us(rdtsc() - t0);
    CHECK("20 more ticks taken while the CPU idles", n == 120 && bad_badges == 0 && us >= 18000);

    pit_stop();
    CHECK("the PIT stopped and the handler deleted", seL4_CNode_Delete(ROOT, h, 64) == seL4_NoError);
    return 0;
}
