/* Legacy PIC and PIT, the local APIC and the IOAPICs, and TSC calibration. */
#include "x86.h"
#include "arch.h"
#include "printk.h"
#include "x86_internal.h"

/* The 8259 PICs: moved to vectors 0x20..0x2f so they cannot alias exceptions, then masked
 * (interrupts come through the IOAPIC). */
void pic_remap_and_mask(void)
{
    outb(0x20, 0x11);
    outb(0xa0, 0x11);
    outb(0x21, 0x20);
    outb(0xa1, 0x28);
    outb(0x21, 0x04);
    outb(0xa1, 0x02);
    outb(0x21, 0x01);
    outb(0xa1, 0x01);
    outb(0x21, 0xff);
    outb(0xa1, 0xff);
}

static volatile uint32_t *lapic;

static uint32_t lapic_read(unsigned reg) { return lapic[reg / 4]; }
static void lapic_write(unsigned reg, uint32_t v) { lapic[reg / 4] = v; }

void lapic_init(void)
{
    lapic = map_device_page(acpi.lapic_paddr);
    wrmsr(MSR_APIC_BASE, rdmsr(MSR_APIC_BASE) | BIT(11)); /* global enable */
    lapic_write(0xf0, 0x100 | VECTOR_SPURIOUS);            /* software enable + spurious */
    lapic_write(0x80, 0);                                   /* task priority: accept all */
}

void lapic_eoi(void) { lapic_write(0xb0, 0); }

/* Any vector requested in the local APIC's IRR (eight 32-bit registers from 0x200). */
bool arch_interrupt_pending(void)
{
    for (unsigned i = 0; i < 8; i++)
        if (lapic_read(0x200 + 0x10 * i))
            return true;
    return false;
}
unsigned lapic_id(void) { return lapic_read(0x20) >> 24; }

/* IOAPICs: every pin masked until a user driver asks for it. */
static volatile uint32_t *ioapic_regs[ARRAY_SIZE(acpi.ioapics)];
unsigned ioapic_pins[ARRAY_SIZE(acpi.ioapics)];

static uint32_t ioapic_read(unsigned n, unsigned reg)
{
    ioapic_regs[n][0] = reg;
    return ioapic_regs[n][4];
}
static void ioapic_write(unsigned n, unsigned reg, uint32_t v)
{
    ioapic_regs[n][0] = reg;
    ioapic_regs[n][4] = v;
}

/* Redirection entry of a pin: low word at 0x10 + 2 * pin (vector bits 0..7, active low bit
 * 13, level-triggered bit 15, masked bit 16), high word (destination APIC ID in bits 24..31). */
#define IOREDTBL_LO(pin) (0x10 + 2 * (pin))
#define IOREDTBL_HI(pin) (0x11 + 2 * (pin))
#define IOREDTBL_ACTIVE_LOW BIT(13)
#define IOREDTBL_LEVEL BIT(15)
#define IOREDTBL_MASKED BIT(16)

void ioapic_init(void)
{
    for (unsigned n = 0; n < acpi.num_ioapics; n++) {
        ioapic_regs[n] = map_device_page(acpi.ioapics[n].paddr);
        ioapic_pins[n] = ((ioapic_read(n, 1) >> 16) & 0xff) + 1;
        for (unsigned pin = 0; pin < ioapic_pins[n]; pin++) {
            ioapic_write(n, IOREDTBL_LO(pin), IOREDTBL_MASKED);
            ioapic_write(n, IOREDTBL_HI(pin), 0);
        }
    }
}

/* Send a pin to a CPU vector of this CPU (fixed delivery, physical destination), masked. */
void ioapic_route_pin(unsigned n, unsigned pin, unsigned vector, bool level, bool active_low)
{
    ioapic_write(n, IOREDTBL_HI(pin), lapic_id() << 24);
    ioapic_write(n, IOREDTBL_LO(pin), IOREDTBL_MASKED | (level ? IOREDTBL_LEVEL : 0) |
                                          (active_low ? IOREDTBL_ACTIVE_LOW : 0) | (vector & 0xff));
}

/* Mask or unmask a pin, if it is still routed to this vector. */
void ioapic_mask_pin(unsigned n, unsigned pin, unsigned vector, bool masked)
{
    uint32_t lo = ioapic_read(n, IOREDTBL_LO(pin));
    if ((lo & 0xff) != vector)
        return;
    ioapic_write(n, IOREDTBL_LO(pin), masked ? lo | IOREDTBL_MASKED : lo & ~IOREDTBL_MASKED);
}

/* TSC frequency, measured against PIT channel 2 over 10 ms: long enough that a busy host
 * (QEMU without KVM) does not skew it much; MCS budgets are converted with it. */
uint32_t arch_tsc_mhz_value;

uint64_t arch_timestamp(void) { return rdtsc(); }

/* The LAPIC timer in one-shot mode, or in TSC-deadline mode where the CPU has it. */
#define LAPIC_LVT_TIMER 0x320
#define LAPIC_TIMER_INITIAL 0x380
#define LAPIC_TIMER_CURRENT 0x390
#define LAPIC_TIMER_DIVIDE 0x3e0
#define MSR_TSC_DEADLINE 0x6e0
static uint64_t lapic_ticks_per_ms;

void arch_set_timer_deadline(uint64_t deadline)
{
    if (cpu_features.tsc_deadline) {
        wrmsr(MSR_TSC_DEADLINE, deadline);
        return;
    }
    if (!deadline) {
        lapic_write(LAPIC_TIMER_INITIAL, 0);
        return;
    }
    uint64_t now = rdtsc();
    uint64_t delta = deadline > now ? deadline - now : 1;
    uint64_t count = delta * lapic_ticks_per_ms / ((uint64_t)arch_tsc_mhz_value * 1000);
    lapic_write(LAPIC_TIMER_INITIAL, (uint32_t)MAX(MIN(count, 0xffffffffull), 1ull));
}

static void timer_start(void)
{
    if (cpu_features.tsc_deadline)
        lapic_write(LAPIC_LVT_TIMER, VECTOR_TIMER | (2u << 17));
    else
        lapic_write(LAPIC_LVT_TIMER, VECTOR_TIMER); /* one-shot */
}

void tsc_calibrate(void)
{
    const unsigned pit_hz = 1193182, ms = 10;
    unsigned count = pit_hz * ms / 1000;
    outb(0x61, (inb(0x61) & ~0x02) | 0x01); /* gate on, speaker off */
    outb(0x43, 0xb0);                        /* channel 2, lo/hi, mode 0 */
    outb(0x42, count & 0xff);
    outb(0x42, (count >> 8) & 0xff);
    lapic_write(LAPIC_TIMER_DIVIDE, 0xb); /* divide by 1 */
    lapic_write(LAPIC_LVT_TIMER, BIT(16)); /* masked while we measure */
    lapic_write(LAPIC_TIMER_INITIAL, 0xffffffff);
    uint64_t start = rdtsc();
    while (!(inb(0x61) & 0x20))
        ;
    uint64_t end = rdtsc();
    uint32_t lapic_left = lapic_read(LAPIC_TIMER_CURRENT);
    lapic_write(LAPIC_TIMER_INITIAL, 0);
    arch_tsc_mhz_value = (uint32_t)((end - start) / (ms * 1000));
    if (arch_tsc_mhz_value == 0)
        arch_tsc_mhz_value = 1;
    lapic_ticks_per_ms = (0xffffffffull - lapic_left) / ms;
    if (lapic_ticks_per_ms == 0)
        lapic_ticks_per_ms = 1;
    timer_start();
}
