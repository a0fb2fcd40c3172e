/*
 * Reading the ACPI MADT from user space, as a driver finds where an ISA device's interrupt
 * goes (include after thread.h and vspace.h). The RSDP is the kernel's copy in the extra
 * BootInfo (abi §7.4); the tables themselves are in memory the firmware reserved, which the
 * kernel hands out as device untyped. acpi_map() maps the device untyped that holds the
 * RSDT (QEMU puts all its tables together, near the top of RAM) into the root task.
 */
#pragma once
#include <stdint.h>
#include <string.h>
#include <sel4/sel4.h>
#include <cairn/runtime.h>

#define ACPI_MAX_PAGES 64 /* the largest device untyped acpi_map() maps whole */

struct acpi_window {
    seL4_Word paddr, size; /* the physical range mapped */
    seL4_Word vaddr;       /* where it is mapped */
};

/* The kernel's copy of the RSDP (36 bytes), or NULL. */
static __attribute__((unused)) const uint8_t *acpi_rsdp(void)
{
    const seL4_BootInfo *bi = cairn_bootinfo();
    const char *p = (const char *)bi + 4096, *end = p + bi->extraLen;
    while (p + sizeof(seL4_BootInfoHeader) <= end) {
        const seL4_BootInfoHeader *h = (const seL4_BootInfoHeader *)p;
        if (h->len < sizeof(*h))
            break;
        if (h->id == SEL4_BOOTINFO_HEADER_X86_ACPI_RSDP)
            return (const uint8_t *)(p + sizeof(*h));
        p += h->len;
    }
    return NULL;
}

/* The address of [paddr, paddr + len) in the window, or NULL if it is not all inside. */
static __attribute__((unused)) const uint8_t *acpi_at(const struct acpi_window *w, seL4_Word paddr, seL4_Word len)
{
    if (paddr < w->paddr || paddr + len > w->paddr + w->size || paddr + len < paddr)
        return NULL;
    return (const uint8_t *)(w->vaddr + (paddr - w->paddr));
}

/* Map the device untyped holding the RSDT (whole, as 4 KiB frames in new slots) at vaddr. */
static __attribute__((unused)) bool acpi_map(struct acpi_window *w, seL4_Word vaddr, seL4_CPtr (*next_slot)(void))
{
    const uint8_t *rsdp = acpi_rsdp();
    if (!rsdp)
        return false;
    seL4_Word rsdt = *(const uint32_t *)(rsdp + 16);
    const seL4_BootInfo *bi = cairn_bootinfo();
    for (seL4_Word i = 0; i < bi->untyped.end - bi->untyped.start; i++) {
        const seL4_UntypedDesc *d = &bi->untypedList[i];
        if (!d->isDevice || rsdt < d->paddr || rsdt - d->paddr >= (1ul << d->sizeBits))
            continue;
        if (d->sizeBits < 12 || d->sizeBits > 12 + 6)
            return false;
        for (seL4_Word page = 0; page < (1ul << (d->sizeBits - 12)); page++) {
            seL4_CPtr f = next_slot();
            if (seL4_Untyped_Retype(bi->untyped.start + i, seL4_X86_4K, 0, seL4_CapInitThreadCNode, 0, 0, f, 1) ||
                test_map_frame(seL4_CapInitThreadVSpace, f, vaddr + page * 4096, seL4_CanRead,
                               seL4_X86_Default_VMAttributes))
                return false;
        }
        *w = (struct acpi_window){ d->paddr, 1ul << d->sizeBits, vaddr };
        return true;
    }
    return false;
}

/* The MADT ("APIC") through the RSDT, or NULL. */
static __attribute__((unused)) const uint8_t *acpi_madt(const struct acpi_window *w)
{
    const uint8_t *rsdp = acpi_rsdp();
    const uint8_t *rsdt = rsdp ? acpi_at(w, *(const uint32_t *)(rsdp + 16), 36) : NULL;
    if (!rsdt || !acpi_at(w, *(const uint32_t *)(rsdp + 16), *(const uint32_t *)(rsdt + 4)))
        return NULL;
    for (uint32_t off = 36; off + 4 <= *(const uint32_t *)(rsdt + 4); off += 4) {
        seL4_Word table = *(const uint32_t *)(rsdt + off);
        const uint8_t *h = acpi_at(w, table, 36);
        if (h && !memcmp(h, "APIC", 4) && acpi_at(w, table, *(const uint32_t *)(h + 4)))
            return h;
    }
    return NULL;
}

/* Where ISA IRQ `isa` goes: its GSI and MPS flags (bits 0-1 polarity, 2-3 trigger; 0 = as
 * the ISA bus: edge, active high) from an interrupt source override, else GSI = isa. */
static __attribute__((unused)) void acpi_isa_irq(const uint8_t *madt, unsigned isa, unsigned *gsi, unsigned *flags,
                                                 bool *overridden)
{
    *gsi = isa;
    *flags = 0;
    *overridden = false;
    uint32_t len = *(const uint32_t *)(madt + 4);
    for (uint32_t off = 44; off + 2 <= len && madt[off + 1] >= 2; off += madt[off + 1])
        if (madt[off] == 2 && madt[off + 1] >= 10 && madt[off + 3] == isa) {
            *gsi = *(const uint32_t *)(madt + off + 4);
            *flags = *(const uint16_t *)(madt + off + 8);
            *overridden = true;
        }
}

/* The IOAPIC (its index in MADT order) and pin that receive a GSI; false if none does. The
 * MADT does not say how many pins an IOAPIC has: 24 is taken (QEMU's, and the usual). */
static __attribute__((unused)) bool acpi_gsi_pin(const uint8_t *madt, unsigned gsi, unsigned *ioapic, unsigned *pin)
{
    uint32_t len = *(const uint32_t *)(madt + 4);
    unsigned n = 0;
    for (uint32_t off = 44; off + 2 <= len && madt[off + 1] >= 2; off += madt[off + 1])
        if (madt[off] == 1 && madt[off + 1] >= 12) {
            unsigned base = *(const uint32_t *)(madt + off + 8);
            if (gsi >= base && gsi < base + 24) {
                *ioapic = n;
                *pin = gsi - base;
                return true;
            }
            n++;
        }
    return false;
}
