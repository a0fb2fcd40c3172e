/*
 * PCI helpers for drivers in tests and benchmarks (include after thread.h): configuration
 * space through the 0xcf8/0xcfc ports (an IOPort cap for 0xcf8..0xcff), finding a device on
 * bus 0, programming its MSI capability, and a 4 KiB device frame at a chosen physical
 * address (a BAR) carved from the device untyped that covers it.
 */
#pragma once
#include <stdint.h>
#include <sel4/sel4.h>
#include <cairn/runtime.h>

#define PCI_CONFIG_ADDR 0xcf8
#define PCI_CONFIG_DATA 0xcfc
#define PCI_NO_DEVICE 32u

static __attribute__((unused)) uint32_t pci_cfg_read(seL4_CPtr ports, unsigned dev, unsigned reg)
{
    seL4_X86_IOPort_Out32(ports, PCI_CONFIG_ADDR, 0x80000000u | (dev << 11) | (reg & 0xfc));
    return seL4_X86_IOPort_In32(ports, PCI_CONFIG_DATA).result;
}

static __attribute__((unused)) void pci_cfg_write(seL4_CPtr ports, unsigned dev, unsigned reg, uint32_t v)
{
    seL4_X86_IOPort_Out32(ports, PCI_CONFIG_ADDR, 0x80000000u | (dev << 11) | (reg & 0xfc));
    seL4_X86_IOPort_Out32(ports, PCI_CONFIG_DATA, v);
}

/* The device number on bus 0 (function 0) whose vendor and device IDs are `id` (device << 16
 * | vendor), or PCI_NO_DEVICE. */
static __attribute__((unused)) unsigned pci_find(seL4_CPtr ports, uint32_t id)
{
    for (unsigned d = 0; d < 32; d++)
        if (pci_cfg_read(ports, d, 0) == id)
            return d;
    return PCI_NO_DEVICE;
}

/* The offset of the device's MSI capability (ID 5), 0 if it has none. */
static __attribute__((unused)) unsigned pci_msi_cap(seL4_CPtr ports, unsigned dev)
{
    unsigned cap = pci_cfg_read(ports, dev, 0x34) & 0xfc;
    for (int n = 0; cap && n < 48; n++) {
        uint32_t w = pci_cfg_read(ports, dev, cap);
        if ((w & 0xff) == 5)
            return cap;
        cap = (w >> 8) & 0xfc;
    }
    return 0;
}

/* Send the device's MSIs to CPU 0's local APIC as `cpu_vector` (edge, fixed delivery), turn
 * on memory decoding and bus mastering (an MSI is a memory write) and enable MSI. */
static __attribute__((unused)) void pci_enable_msi(seL4_CPtr ports, unsigned dev, unsigned cap, unsigned cpu_vector)
{
    pci_cfg_write(ports, dev, 0x04, pci_cfg_read(ports, dev, 0x04) | 0x6);
    bool wide = pci_cfg_read(ports, dev, cap) & (1u << (16 + 7)); /* 64-bit address */
    pci_cfg_write(ports, dev, cap + 4, 0xfee00000u);
    if (wide)
        pci_cfg_write(ports, dev, cap + 8, 0);
    pci_cfg_write(ports, dev, cap + (wide ? 12 : 8), cpu_vector);
    pci_cfg_write(ports, dev, cap, pci_cfg_read(ports, dev, cap) | (1u << 16));
}

/* A 4 KiB device frame at physical address p (in a root CNode slot from next_slot()):
 * untypeds fill the covering device untyped up to p (Retype puts each object at the next
 * address aligned to its size), then the frame comes at p. 0 on failure. */
static __attribute__((unused)) seL4_CPtr device_frame_at(seL4_Word p, seL4_CPtr (*next_slot)(void))
{
    const seL4_BootInfo *bi = cairn_bootinfo();
    for (seL4_Word i = 0; i < bi->untyped.end - bi->untyped.start; i++) {
        const seL4_UntypedDesc *d = &bi->untypedList[i];
        if (!d->isDevice || p < d->paddr || p - d->paddr >= (1ul << d->sizeBits))
            continue;
        seL4_CPtr ut = bi->untyped.start + i;
        for (seL4_Word cur = d->paddr; cur < p;) {
            unsigned bits = 4;
            while (bits < 63 && !(cur & ((2ul << bits) - 1)) && cur + (2ul << bits) <= p)
                bits++;
            if (seL4_Untyped_Retype(ut, seL4_UntypedObject, bits, seL4_CapInitThreadCNode, 0, 0, next_slot(), 1))
                return 0;
            cur += 1ul << bits;
        }
        seL4_CPtr f = next_slot();
        return seL4_Untyped_Retype(ut, seL4_X86_4K, 0, seL4_CapInitThreadCNode, 0, 0, f, 1) ? 0 : f;
    }
    return 0;
}
