/* CPU set-up: feature checks, GDT and TSS, IDT, syscall MSRs, PAT, FPU. */
#include "x86.h"
#include "arch.h"
#include "printk.h"
#include "x86_internal.h"

struct cpu_features cpu_features;

struct feature {
    uint32_t leaf;
    char reg; /* 'c' or 'd' */
    unsigned bit;
    const char *name;
};

/* What the kernel cannot run without. */
static const struct feature required[] = {
    { 1, 'd', 0, "fpu" },          { 1, 'd', 4, "tsc" },      { 1, 'd', 5, "msr" },
    { 1, 'd', 6, "pae" },          { 1, 'd', 9, "apic" },     { 1, 'd', 13, "pge" },
    { 1, 'd', 16, "pat" },         { 1, 'd', 24, "fxsr" },    { 1, 'd', 25, "sse" },
    { 1, 'd', 26, "sse2" },        { 0x80000001, 'd', 11, "syscall" },
    { 0x80000001, 'd', 29, "lm" },
};

static bool has_feature(uint32_t leaf, char reg, unsigned bit)
{
    uint32_t a, b, c, d;
    cpuid(leaf & 0x80000000, 0, &a, &b, &c, &d);
    if (a < leaf)
        return false;
    cpuid(leaf, 0, &a, &b, &c, &d);
    uint32_t r = reg == 'b' ? b : reg == 'c' ? c : d;
    return (r >> bit) & 1;
}

void cpu_check_features(void)
{
    bool ok = true;
    for (unsigned i = 0; i < ARRAY_SIZE(required); i++) {
        if (!has_feature(required[i].leaf, required[i].reg, required[i].bit)) {
            kprintf("Cairn: the CPU lacks the '%s' feature, which the kernel needs.\n",
                    required[i].name);
            ok = false;
        }
    }
    if (!ok) {
        kprintf("Cairn: run QEMU with a CPU model that has it, e.g. -cpu Nehalem,+pdpe1gb\n");
        arch_halt_machine(0x7f);
    }
    cpu_features.huge_pages = has_feature(0x80000001, 'd', 26);
    cpu_features.tsc_deadline = has_feature(1, 'c', 24);
    cpu_features.invariant_tsc = has_feature(0x80000007, 'd', 8);
    cpu_features.smep = has_feature(7, 'b', 7);
    cpu_features.smap = has_feature(7, 'b', 20);
}

/* ---- GDT and TSS ---- */

struct tss tss ALIGNED(16);
static uint64_t gdt[9] ALIGNED(16);
static uint8_t ist_stack[4096] ALIGNED(16); /* NMI, #DF, #MC */

struct PACKED descriptor_ptr {
    uint16_t limit;
    uint64_t base;
};

static uint64_t segment(bool code, unsigned dpl)
{
    /* present, S=1, long-mode code (L=1) or writable data; base and limit are ignored */
    uint64_t d = (1ull << 47) | (1ull << 44) | ((uint64_t)dpl << 45) | (0xfull << 48) | 0xffff |
                 (1ull << 55);
    if (code)
        d |= (0xaull << 40) | (1ull << 53); /* execute/read, L */
    else
        d |= (0x2ull << 40) | (1ull << 54); /* read/write, D/B */
    return d;
}

static void gdt_init(void)
{
    uint64_t base = (uint64_t)&tss;
    uint64_t limit = sizeof(tss) - 1;
    gdt[1] = segment(true, 0);
    gdt[2] = segment(false, 0);
    gdt[3] = (limit & 0xffff) | ((base & 0xffffff) << 16) | (0x89ull << 40) |
             (((limit >> 16) & 0xf) << 48) | (((base >> 24) & 0xff) << 56);
    gdt[4] = base >> 32;
    gdt[5] = segment(true, 3);
    gdt[6] = segment(false, 3);
    gdt[7] = segment(false, 3); /* user FS, user GS: kept for seL4's selector numbering */
    gdt[8] = segment(false, 3);

    for (unsigned i = 0; i < sizeof(tss.iomap); i++)
        tss.iomap[i] = 0xff;
    tss.iomap_base = offsetof(struct tss, iomap);
    tss.ist[0] = (uint64_t)(ist_stack + sizeof(ist_stack));

    struct descriptor_ptr p = { sizeof(gdt) - 1, (uint64_t)gdt };
    __asm__ volatile("lgdt %0\n"
                     "pushq %1\n"
                     "leaq 1f(%%rip), %%rax\n"
                     "pushq %%rax\n"
                     "lretq\n"
                     "1:\n"
                     "movw %w2, %%ax\n"
                     "movw %%ax, %%ds\n"
                     "movw %%ax, %%es\n"
                     "movw %%ax, %%ss\n"
                     "xorw %%ax, %%ax\n"
                     "movw %%ax, %%fs\n"
                     "movw %%ax, %%gs\n"
                     "ltr %w3\n" ::"m"(p),
                     "i"(SEL_KERNEL_CS), "r"(SEL_KERNEL_DS), "r"(SEL_TSS)
                     : "rax", "memory");
}


/* ---- IDT ---- */

struct PACKED idt_gate {
    uint16_t offset0;
    uint16_t selector;
    uint8_t ist;
    uint8_t type;
    uint16_t offset1;
    uint32_t offset2;
    uint32_t reserved;
};

static struct idt_gate idt[256] ALIGNED(16);
extern const uint64_t isr_stubs[256];

static void idt_init(void)
{
    for (unsigned v = 0; v < 256; v++) {
        uint64_t a = isr_stubs[v];
        /* seL4 lets user code reach int3 and the vectors above the IRQ range. */
        unsigned dpl = (v == 3 || v >= VECTOR_USER_TRAP_MIN) ? 3 : 0;
        unsigned ist = (v == 2 || v == 8 || v == 18) ? 1 : 0;
        idt[v] = (struct idt_gate){
            .offset0 = a & 0xffff,
            .selector = SEL_KERNEL_CS,
            .ist = (uint8_t)ist,
            .type = (uint8_t)(0x8e | (dpl << 5)), /* present, interrupt gate */
            .offset1 = (a >> 16) & 0xffff,
            .offset2 = (uint32_t)(a >> 32),
        };
    }
    struct descriptor_ptr p = { sizeof(idt) - 1, (uint64_t)idt };
    __asm__ volatile("lidt %0" ::"m"(p));
}

/* ---- syscall, PAT, FPU ---- */

extern char syscall_entry[];

static void msr_init(void)
{
    wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
    /* sysret: CS = 0x2b + 16, SS = 0x2b + 8 = 0x33 (seL4's values); syscall: CS 0x08, SS 0x10. */
    wrmsr(MSR_STAR, ((uint64_t)SEL_USER_CS << 48) | ((uint64_t)SEL_KERNEL_CS << 32));
    wrmsr(MSR_LSTAR, (uint64_t)syscall_entry);
    wrmsr(MSR_FMASK, RFLAGS_IF | RFLAGS_TF | RFLAGS_DF | RFLAGS_AC);
    wrmsr(MSR_FS_BASE, 0);
    wrmsr(MSR_GS_BASE, 0);
    wrmsr(MSR_KERNEL_GS_BASE, 0);

    /* PAT entries 0..4 = WB, WT, UC-, UC, WC (seL4_X86_VMAttributes); 5..7 as found. */
    uint64_t pat = rdmsr(MSR_PAT) & 0xffffff0000000000ull;
    pat |= 0x06ull | (0x04ull << 8) | (0x07ull << 16) | (0x00ull << 24) | (0x01ull << 32);
    wrmsr(MSR_PAT, pat);
}

uint8_t fpu_initial_state[512] ALIGNED(16);

static void fpu_init(void)
{
    word_t cr0 = read_cr0();
    cr0 &= ~(BIT(2) | BIT(3)); /* EM, TS */
    cr0 |= BIT(1) | BIT(5);    /* MP, NE */
    write_cr0(cr0);
    word_t cr4 = read_cr4() | BIT(9) | BIT(10) | BIT(7); /* OSFXSR, OSXMMEXCPT, PGE */
    if (cpu_features.smep)
        cr4 |= BIT(20);
    write_cr4(cr4);
    uint32_t mxcsr = 0x1f80;
    __asm__ volatile("fninit\n ldmxcsr %1\n fxsave %0" : "=m"(fpu_initial_state) : "m"(mxcsr));
    write_cr0(read_cr0() | BIT(3)); /* TS: nobody owns the FPU yet (thread.c) */
}

void cpu_init(void)
{
    gdt_init();
    idt_init();
    msr_init();
    fpu_init();
}
