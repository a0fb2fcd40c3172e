/* ACPI discovery: find the RSDP in the BIOS areas, then the MADT for the local APIC and the
 * IOAPICs. Tables are read through the kernel window. */
#include "x86.h"
#include "arch.h"
#include "printk.h"
#include "x86_internal.h"
#include "paging.h"

struct acpi_info acpi;

struct PACKED sdt_header {
    char signature[4];
    uint32_t length;
    uint8_t revision, checksum;
    char oem_id[6], oem_table_id[8];
    uint32_t oem_revision, creator_id, creator_revision;
};

static bool checksum_ok(const void *p, size_t len)
{
    uint8_t sum = 0;
    for (size_t i = 0; i < len; i++)
        sum += ((const uint8_t *)p)[i];
    return sum == 0;
}

static const uint8_t *find_rsdp_in(paddr_t start, paddr_t end)
{
    for (paddr_t p = start; p + 20 <= end; p += 16) {
        const uint8_t *r = paddr_to_kptr(p);
        if (r[0] == 'R' && r[1] == 'S' && r[2] == 'D' && r[3] == ' ' && r[4] == 'P' &&
            r[5] == 'T' && r[6] == 'R' && r[7] == ' ' && checksum_ok(r, 20)) {
            acpi.rsdp_paddr = p;
            return r;
        }
    }
    return NULL;
}

static const struct sdt_header *map_table(paddr_t p)
{
    if (p + sizeof(struct sdt_header) > kernel_window_limit())
        return NULL;
    const struct sdt_header *h = paddr_to_kptr(p);
    if (p + h->length > kernel_window_limit() || !checksum_ok(h, h->length))
        return NULL;
    return h;
}

static void parse_madt(const struct sdt_header *madt)
{
    const uint8_t *p = (const uint8_t *)madt;
    acpi.lapic_paddr = *(const uint32_t *)(p + 36);
    for (uint32_t off = 44; off + 2 <= madt->length;) {
        uint8_t type = p[off], len = p[off + 1];
        if (len < 2)
            break;
        if (type == 0 && (p[off + 4] & 1)) { /* enabled local APIC */
            acpi.num_cpus++;
        } else if (type == 1 && acpi.num_ioapics < ARRAY_SIZE(acpi.ioapics)) {
            acpi.ioapics[acpi.num_ioapics].id = p[off + 2];
            acpi.ioapics[acpi.num_ioapics].paddr = *(const uint32_t *)(p + off + 4);
            acpi.ioapics[acpi.num_ioapics].gsi_base = *(const uint32_t *)(p + off + 8);
            acpi.num_ioapics++;
        } else if (type == 2 && len >= 10 && acpi.num_overrides < ARRAY_SIZE(acpi.overrides)) {
            acpi.overrides[acpi.num_overrides].source = p[off + 3];
            acpi.overrides[acpi.num_overrides].gsi = *(const uint32_t *)(p + off + 4);
            acpi.overrides[acpi.num_overrides].flags = *(const uint16_t *)(p + off + 8);
            acpi.num_overrides++;
        } else if (type == 5) { /* 64-bit local APIC address override */
            acpi.lapic_paddr = *(const uint64_t *)(p + off + 4);
        }
        off += len;
    }
}

bool acpi_init(void)
{
    paddr_t ebda = (paddr_t)(*(const uint16_t *)paddr_to_kptr(0x40e)) << 4;
    const uint8_t *rsdp = NULL;
    if (ebda >= 0x80000 && ebda < 0xa0000)
        rsdp = find_rsdp_in(ebda, ebda + 1024);
    if (!rsdp)
        rsdp = find_rsdp_in(0xe0000, 0x100000);
    if (!rsdp)
        return false;
    unsigned rev = rsdp[15];
    for (unsigned i = 0; i < 36; i++)
        acpi.rsdp[i] = (rev >= 2 || i < 20) ? rsdp[i] : 0;

    const struct sdt_header *root;
    unsigned entry_size;
    if (rev >= 2 && *(const uint64_t *)(rsdp + 24)) {
        root = map_table(*(const uint64_t *)(rsdp + 24));
        entry_size = 8;
    } else {
        root = map_table(*(const uint32_t *)(rsdp + 16));
        entry_size = 4;
    }
    if (!root)
        return false;
    unsigned n = (root->length - sizeof(*root)) / entry_size;
    const uint8_t *entries = (const uint8_t *)(root + 1);
    for (unsigned i = 0; i < n; i++) {
        paddr_t p = entry_size == 8 ? *(const uint64_t *)(entries + 8 * i)
                                    : *(const uint32_t *)(entries + 4 * i);
        const struct sdt_header *h = map_table(p);
        if (h && h->signature[0] == 'A' && h->signature[1] == 'P' && h->signature[2] == 'I' &&
            h->signature[3] == 'C')
            parse_madt(h);
    }
    return acpi.lapic_paddr != 0;
}

/* The overrides, for user drivers: an ISA device's interrupt is the GSI named here (IOAPIC
 * pin = GSI - the IOAPIC's GSI base), else the GSI of its ISA IRQ number, edge-triggered and
 * active high. */
void acpi_print_overrides(void)
{
    static const char *const polarity[4] = { "", ", active high", "", ", active low" };
    static const char *const trigger[4] = { "", ", edge", "", ", level" };
    kprintf("acpi: interrupt source overrides:");
    for (unsigned i = 0; i < acpi.num_overrides; i++)
        kprintf("%s ISA IRQ %u -> GSI %u%s%s", i ? ";" : "", acpi.overrides[i].source, acpi.overrides[i].gsi,
                trigger[(acpi.overrides[i].flags >> 2) & 3], polarity[acpi.overrides[i].flags & 3]);
    kprintf("%s\n", acpi.num_overrides ? "" : " none");
}
