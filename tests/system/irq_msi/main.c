/*
 * MSI delivery end to end (abi §5.5, §12.5): IRQControl_GetMSI only reserves a vector; the
 * driver programs the device's MSI address and data itself (data = the CPU vector, v + 48).
 * The device is QEMU's "edu" PCI device: found and set up through the PCI configuration
 * ports (IOPort caps for 0xcf8..0xcff), its registers in BAR 0 reached through a device frame
 * made from the device untyped that covers the BAR and mapped uncached. Writing its
 * "raise interrupt" register makes it send the MSI.
 *
 * Checked: the signal with the bound cap's badge; an MSI cannot be masked, so a second one
 * arrives without Ack; Ack of an MSI handler succeeds and does nothing; once the handler is
 * deleted the vector is inactive and the kernel reports "Received disabled IRQ: n" (the
 * `expect` file checks it).
 */
#include <stdio.h>
#include <sel4/sel4.h>
#include "../common/check.h"
#include "../common/ipc_helpers.h"
#include "../common/vspace.h"
#include "../common/pci.h"

#define ROOT seL4_CapInitThreadCNode
#define EDU_ID 0x11e81234u /* device 0x11e8, vendor 0x1234 */
#define EDU_INTR_RAISE 0x60
#define EDU_INTR_ACK 0x64
#define EDU_INTR_STATUS 0x24
#define MSI_VECTOR 20      /* IRQ 36, CPU vector 68 */
#define MSI_BADGE 0x100
#define WIN 0x30000000000ul

static seL4_CPtr pci;

static seL4_CPtr slot(void)
{
    seL4_CPtr s = 0;
    cairn_alloc_slot(&test_alloc, &s);
    return s;
}

static seL4_Word poll(seL4_CPtr ntfn)
{
    seL4_Word badge = 0;
    for (int i = 0; i < 64 && !badge; i++)
        seL4_Poll(ntfn, &badge);
    return badge;
}

int main(void)
{
    test_init();
    pci = slot();
    CHECK("IOPort cap for the PCI configuration ports",
          seL4_X86_IOPortControl_Issue(seL4_CapIOPortControl, PCI_CONFIG_ADDR, PCI_CONFIG_DATA + 3, ROOT, pci, 64) == 0);
    unsigned dev = pci_find(pci, EDU_ID);
    CHECK("the edu device is on PCI bus 0", dev != PCI_NO_DEVICE);
    if (dev == PCI_NO_DEVICE)
        return 1;
    seL4_Word bar = pci_cfg_read(pci, dev, 0x10) & ~0xful;
    unsigned cap = pci_msi_cap(pci, dev);
    CHECK("it has an MSI capability", cap != 0);

    seL4_CPtr h = slot(), ntfn = test_alloc_obj(seL4_NotificationObject, 0);
    CHECK("GetMSI(bus 0, its device, function 0, handle 0, vector 20)",
          seL4_IRQControl_GetMSI(seL4_CapIRQControl, ROOT, h, 64, 0, dev, 0, 0, MSI_VECTOR) == seL4_NoError);
    CHECK("SetNotification with a cap badged 0x100",
          seL4_IRQHandler_SetNotification(h, mint_cap(ntfn, seL4_AllRights, MSI_BADGE)) == 0);
    pci_enable_msi(pci, dev, cap, MSI_VECTOR + IRQ_OFFSET); /* the driver's part: data = the CPU vector */

    seL4_CPtr f = device_frame_at(bar, slot);
    CHECK("a device frame over BAR 0, mapped uncached",
          f && test_map_frame(seL4_CapInitThreadVSpace, f, WIN, seL4_ReadWrite, seL4_X86_Uncacheable) == 0);
    volatile uint32_t *regs = (volatile uint32_t *)WIN;
    CHECK("the device's identification register reads 0x..ed", (regs[0] & 0xff) == 0xed);

    regs[EDU_INTR_RAISE / 4] = 1;
    CHECK("the device raises its interrupt: the MSI signals the notification with badge 0x100", poll(ntfn) == MSI_BADGE);
    regs[EDU_INTR_ACK / 4] = 1;
    regs[EDU_INTR_RAISE / 4] = 2;
    CHECK("an MSI cannot be masked: a second one arrives without Ack", poll(ntfn) == MSI_BADGE);
    regs[EDU_INTR_ACK / 4] = 2;
    CHECK("Ack of the MSI handler: NoError", seL4_IRQHandler_Ack(h) == seL4_NoError);
    regs[EDU_INTR_RAISE / 4] = 4;
    CHECK("...and MSIs keep coming", poll(ntfn) == MSI_BADGE && regs[EDU_INTR_STATUS / 4] == 4);
    regs[EDU_INTR_ACK / 4] = 4;

    CHECK("Delete of the handler", seL4_CNode_Delete(ROOT, h, 64) == 0);
    regs[EDU_INTR_RAISE / 4] = 8; /* the kernel prints "Received disabled IRQ: 36" */
    CHECK("the MSI of a deleted handler signals nothing", poll(ntfn) == 0);
    regs[EDU_INTR_ACK / 4] = 8;
    pci_cfg_write(pci, dev, cap, pci_cfg_read(pci, dev, cap) & ~(1u << 16)); /* MSI off */
    CHECK("the vector can be issued again", seL4_IRQControl_GetMSI(seL4_CapIRQControl, ROOT, h, 64, 0, dev, 0, 0,
                                                                   MSI_VECTOR) == seL4_NoError);
    return 0;
}
