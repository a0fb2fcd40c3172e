/*
 * Interrupt delivery (abi §5.5): real IOAPIC interrupts from QEMU's pc-testdev, whose I/O
 * ports 0x2000 + n drive ISA interrupt line n (1 raises it, 0 lowers it), so the test decides
 * exactly when a line rises and falls. ISA lines 3 and 5 are IOAPIC pins 3 and 5 (no MADT
 * override moves them; nothing else drives them on QEMU's pc machine).
 *
 * Checked: a signal with the badge of the bound notification cap; the line masked after each
 * delivery until Ack (for a level-triggered line: Ack while the line is still high delivers
 * again, no interrupt storm meanwhile); "Undelivered IRQ: n" with no notification (the
 * `expect` file checks those lines); the IRQ unmasked as soon as it is issued; several IRQs
 * OR-ed into one notification; SetNotification replacing, Clear removing; the kernel's copy
 * of the notification cap keeping its badge when the user's copy goes, and going when the
 * cap it came from is revoked; a blocked handler thread woken by the interrupt and Acking it;
 * deletion of the final handler cap masking the IRQ.
 *
 * An edge that arrives while the pin is masked is dropped by the 82093AA and by QEMU's
 * emulated IOAPIC, but kept and delivered on unmask by KVM's in-kernel one; the test does
 * not depend on either. QEMU's IOAPIC notes a level-triggered line as asserted only when the
 * line rises while the pin is in level mode; so the "unmasked at once" checks raise the line
 * while the pin is still set up as level-triggered by an earlier (deleted, so masked) handler.
 */
#include <stdio.h>
#include <sel4/sel4.h>
#include <sel4platsupport/bootinfo.h>
#include "../common/check.h"
#include "../common/ipc_helpers.h"

#define ROOT seL4_CapInitThreadCNode
#define TESTDEV_IRQ_LINES 0x2000
static seL4_CPtr lines;

static void line(unsigned n, int level) { seL4_X86_IOPort_Out8(lines, TESTDEV_IRQ_LINES + n, (seL4_Word)level); }

/* The notification's pending badge, or 0. The interrupt of a line just raised has been taken
 * by then (it is pending when the Out8 returns to user mode); the loop only makes sure. */
static seL4_Word poll(seL4_CPtr ntfn)
{
    seL4_Word badge = 0;
    for (int i = 0; i < 64 && !badge; i++)
        seL4_Poll(ntfn, &badge);
    return badge;
}

/* Ack after an edge came while the pin was masked: take the signal an IOAPIC that kept the
 * edge delivers now, so that the pin is unmasked with nothing pending either way. */
static void ack_after_masked_edge(seL4_CPtr handler, seL4_CPtr ntfn)
{
    seL4_IRQHandler_Ack(handler);
    if (poll(ntfn))
        seL4_IRQHandler_Ack(handler);
}

static seL4_CPtr slot(void)
{
    seL4_CPtr s = 0;
    cairn_alloc_slot(&test_alloc, &s);
    return s;
}

static seL4_Error get_ioapic(seL4_CPtr dest, seL4_Word pin, seL4_Word level, seL4_Word vector)
{
    return seL4_IRQControl_GetIOAPIC(seL4_CapIRQControl, ROOT, dest, 64, 0, pin, level, 0, vector);
}

/* A handler thread as a driver would have: wait, note the badge, Ack, wait again. */
static volatile seL4_Word driver_count, driver_badge;
static void driver(seL4_Word ntfn, seL4_Word handler)
{
    for (;;) {
        seL4_Word badge;
        seL4_Wait(ntfn, &badge);
        driver_badge = badge;
        driver_count++;
        seL4_IRQHandler_Ack(handler);
    }
}

int main(void)
{
    test_init();
    lines = slot();
    CHECK("setup: IOPort cap for pc-testdev's interrupt lines 0..15",
          seL4_X86_IOPortControl_Issue(seL4_CapIOPortControl, TESTDEV_IRQ_LINES, TESTDEV_IRQ_LINES + 15, ROOT, lines,
                                       64) == seL4_NoError);
    seL4_CPtr a = test_alloc_obj(seL4_NotificationObject, 0), b = test_alloc_obj(seL4_NotificationObject, 0);
    line(3, 0);
    line(5, 0);

    /* Edge-triggered, pin 3, vector 1 = IRQ 17. */
    seL4_CPtr h = slot();
    CHECK("GetIOAPIC(pin 3, edge, vector 1) with no notification bound", get_ioapic(h, 3, 0, 1) == seL4_NoError);
    line(3, 1); /* the kernel prints "Undelivered IRQ: 17" */
    line(3, 0);
    seL4_CPtr a10 = mint_cap(a, seL4_AllRights, 0x10);
    CHECK("SetNotification with a cap badged 0x10", seL4_IRQHandler_SetNotification(h, a10) == seL4_NoError);
    line(3, 1);
    CHECK("the undelivered interrupt left the line masked: a new edge signals nothing", poll(a) == 0);
    line(3, 0);
    ack_after_masked_edge(h, a);
    line(3, 1);
    CHECK("after Ack an edge signals the notification with the badge 0x10", poll(a) == 0x10);
    line(3, 0);
    line(3, 1);
    CHECK("no Ack yet: the next edge signals nothing", poll(a) == 0);
    line(3, 0);
    ack_after_masked_edge(h, a);
    for (int i = 0; i < 3; i++) {
        line(3, 1);
        line(3, 0);
        CHECK("raise, lower, Ack: the notification gets 0x10 each time", poll(a) == 0x10);
        seL4_IRQHandler_Ack(h);
    }

    /* A driver thread blocked on the notification. */
    struct test_thread d = test_thread_new("irq-driver", 100, driver, a, h, false, true);
    let_others_run(); /* it blocks in Wait */
    bool woken = true;
    for (seL4_Word i = 1; i <= 3; i++) {
        line(3, 1);
        line(3, 0);
        let_others_run();
        woken &= driver_count == i && driver_badge == 0x10;
    }
    CHECK("a driver thread blocked in Wait is woken by each interrupt with badge 0x10 and Acks it", woken);
    seL4_TCB_Suspend(d.tcb);

    /* Level-triggered, pin 3, vector 2 = IRQ 18. */
    CHECK("Delete of the edge handler, GetIOAPIC(pin 3, level, vector 2)",
          seL4_CNode_Delete(ROOT, h, 64) == 0 && get_ioapic(h, 3, 1, 2) == seL4_NoError);
    seL4_CPtr a20 = mint_cap(a, seL4_AllRights, 0x20);
    CHECK("SetNotification with a cap badged 0x20", seL4_IRQHandler_SetNotification(h, a20) == seL4_NoError);
    line(3, 1);
    CHECK("level: the raised line signals 0x20", poll(a) == 0x20);
    CHECK("level: the line stays high, but masked until Ack: nothing more", poll(a) == 0);
    seL4_IRQHandler_Ack(h);
    CHECK("level: Ack with the line still high signals again", poll(a) == 0x20);
    line(3, 0);
    seL4_IRQHandler_Ack(h);
    CHECK("level: line lowered, then Ack: nothing", poll(a) == 0);

    /* An IRQ is unmasked when it is issued: pin 5, level, vector 3 = IRQ 19. */
    seL4_CPtr h5 = slot();
    CHECK("GetIOAPIC(pin 5, level, vector 3), then Delete: pin 5 masked in level mode",
          get_ioapic(h5, 5, 1, 3) == seL4_NoError && seL4_CNode_Delete(ROOT, h5, 64) == 0);
    line(5, 1);
    CHECK("GetIOAPIC(pin 5, level, vector 3) again while line 5 is high: delivered at once (undelivered: no notification)",
          get_ioapic(h5, 5, 1, 3) == seL4_NoError);
    seL4_CPtr b1 = mint_cap(b, seL4_AllRights, 0x1);
    CHECK("SetNotification, then Ack: the still-high line signals 0x1",
          seL4_IRQHandler_SetNotification(h5, b1) == 0 && seL4_IRQHandler_Ack(h5) == 0 && poll(b) == 0x1);
    line(5, 0);
    seL4_IRQHandler_Ack(h5);

    /* Two IRQs into one notification: the badges are OR-ed. */
    seL4_CPtr a02 = mint_cap(a, seL4_AllRights, 0x2);
    CHECK("setup: IRQ 19 bound to the notification of IRQ 18 with badge 0x2", seL4_IRQHandler_SetNotification(h5, a02) == 0);
    line(3, 1);
    line(5, 1);
    CHECK("both lines raised: one Wait sees 0x20 | 0x2", poll(a) == 0x22);
    line(3, 0);
    line(5, 0);
    seL4_IRQHandler_Ack(h);
    seL4_IRQHandler_Ack(h5);
    CHECK("both lowered and Acked: nothing", poll(a) == 0 && poll(b) == 0);

    /* SetNotification replaces; Clear removes. */
    seL4_CPtr b4 = mint_cap(b, seL4_AllRights, 0x4);
    CHECK("SetNotification to another notification (badge 0x4)", seL4_IRQHandler_SetNotification(h, b4) == 0);
    line(3, 1);
    CHECK("...it gets the interrupt, the old one does not", poll(b) == 0x4 && poll(a) == 0);
    line(3, 0);
    seL4_IRQHandler_Ack(h);
    CHECK("Clear", seL4_IRQHandler_Clear(h) == 0);
    line(3, 1); /* the kernel prints "Undelivered IRQ: 18" */
    CHECK("after Clear no notification is signalled", poll(a) == 0 && poll(b) == 0);
    line(3, 0);
    seL4_IRQHandler_Ack(h);

    /* The kernel keeps its own copy of the notification cap. */
    seL4_CPtr a40 = mint_cap(a, seL4_AllRights, 0x40);
    CHECK("SetNotification with a cap badged 0x40, then Delete of that cap",
          seL4_IRQHandler_SetNotification(h, a40) == 0 && seL4_CNode_Delete(ROOT, a40, 64) == 0);
    line(3, 1);
    CHECK("the interrupt still signals, with badge 0x40", poll(a) == 0x40);
    line(3, 0);
    seL4_IRQHandler_Ack(h);
    CHECK("Revoke of the notification's original cap", seL4_CNode_Revoke(ROOT, a, 64) == 0);
    line(3, 1); /* the kernel prints "Undelivered IRQ: 18": its copy was a descendant */
    CHECK("after the Revoke the IRQ signals nothing", poll(a) == 0);
    line(3, 0);
    seL4_IRQHandler_Ack(h);

    /* Deleting the final handler cap masks the IRQ; issuing it again unmasks it. */
    CHECK("SetNotification(original cap), Delete of the handler",
          seL4_IRQHandler_SetNotification(h, a) == 0 && seL4_CNode_Delete(ROOT, h, 64) == 0);
    line(3, 1);
    CHECK("with the handler gone the raised line signals nothing", poll(a) == 0);
    CHECK("GetIOAPIC again while the line is high (undelivered at once: the new handler has no notification)",
          get_ioapic(h, 3, 1, 2) == seL4_NoError);
    seL4_CPtr a80 = mint_cap(a, seL4_AllRights, 0x80);
    CHECK("SetNotification and Ack: the still-high line signals 0x80",
          seL4_IRQHandler_SetNotification(h, a80) == 0 && seL4_IRQHandler_Ack(h) == 0 && poll(a) == 0x80);
    line(3, 0);
    seL4_IRQHandler_Ack(h);
    seL4_CNode_Delete(ROOT, h, 64);
    seL4_CNode_Delete(ROOT, h5, 64);
    return 0;
}
