/*
 * x86_64 boot, after multiboot.S has entered long mode: console, CPU checks, the memory map,
 * kernel page tables, CPU tables, ACPI and interrupt controllers, then the root task's ELF
 * image from the first multiboot module. The arch-neutral rest is in core/boot.c.
 */
#include "x86.h"
#include "arch.h"
#include "printk.h"
#include "boot.h"
#include "elf.h"
#include "kstring.h"
#include "paging.h"
#include "preempt.h"
#include "invariants.h"
#include "x86_internal.h"
#include "abi.h"

#define MULTIBOOT_BOOTLOADER_MAGIC 0x2BADB002
#define MB_INFO_MEMORY BIT(0)
#define MB_INFO_CMDLINE BIT(2)
#define MB_INFO_MODS BIT(3)
#define MB_INFO_MMAP BIT(6)

struct PACKED multiboot_info {
    uint32_t flags, mem_lower, mem_upper, boot_device, cmdline, mods_count, mods_addr;
    uint32_t syms[4];
    uint32_t mmap_length, mmap_addr;
};

struct PACKED multiboot_module {
    uint32_t mod_start, mod_end, string, reserved;
};

extern char kernel_phys_start[], kernel_phys_end[];

/* Kept for the extra BootInfo (abi §7.4). */
#define MBMMAP_MAX_ENTRIES 50
static struct mb_mmap_entry mmap_copy[MBMMAP_MAX_ENTRIES];
static uint32_t mmap_copy_len;

static const char *cmdline_option(const char *cmdline, const char *key)
{
    size_t klen = kstrnlen(key, 64);
    for (const char *p = cmdline; p && *p; p++)
        if ((p == cmdline || p[-1] == ' ') && !memcmp(p, key, klen) && p[klen] == '=')
            return p + klen + 1;
    return NULL;
}

static bool cmdline_flag(const char *cmdline, const char *word)
{
    size_t len = kstrnlen(word, 64);
    for (const char *p = cmdline; *p; p++)
        if ((p == cmdline || p[-1] == ' ') && !memcmp(p, word, len) && (p[len] == ' ' || !p[len]))
            return true;
    return false;
}

static word_t parse_number(const char *s)
{
    word_t v = 0;
    unsigned base = 10;
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        s += 2;
    }
    for (;; s++) {
        unsigned d;
        if (*s >= '0' && *s <= '9')
            d = (unsigned)(*s - '0');
        else if (base == 16 && *s >= 'a' && *s <= 'f')
            d = (unsigned)(*s - 'a' + 10);
        else if (base == 16 && *s >= 'A' && *s <= 'F')
            d = (unsigned)(*s - 'A' + 10);
        else
            return v;
        v = v * base + d;
    }
}

/* Copy the root task's ELF segments to physical memory at `dest`; fill in the image. */
static void load_root_image(const uint8_t *elf, size_t size, paddr_t dest, struct root_image *img)
{
    const Elf64_Ehdr *eh = (const Elf64_Ehdr *)elf;
    if (size < sizeof(*eh) || memcmp(eh->e_ident, ELFMAG, SELFMAG) || eh->e_ident[EI_CLASS] != ELFCLASS64 ||
        eh->e_machine != EM_X86_64 || eh->e_phoff + (word_t)eh->e_phnum * sizeof(Elf64_Phdr) > size)
        panic("boot: the first multiboot module is not an x86_64 ELF executable");
    const Elf64_Phdr *ph = (const Elf64_Phdr *)(elf + eh->e_phoff);
    vaddr_t lo = ~0ull, hi = 0;
    for (unsigned i = 0; i < eh->e_phnum; i++) {
        if (ph[i].p_type != PT_LOAD || ph[i].p_memsz == 0)
            continue;
        if (ph[i].p_filesz > ph[i].p_memsz || ph[i].p_offset + ph[i].p_filesz > size)
            panic("boot: root task ELF segment %u is malformed", i);
        lo = MIN(lo, ph[i].p_vaddr);
        hi = MAX(hi, ph[i].p_vaddr + ph[i].p_memsz);
    }
    if (lo >= hi)
        panic("boot: the root task ELF has no loadable segment");
    img->v_start = ROUND_DOWN(lo, 12);
    img->v_end = ROUND_UP(hi, 12);
    img->entry = eh->e_entry;
    img->paddr = dest;
    if (img->v_end + 3 * BIT(12) >= USER_TOP || img->entry < lo || img->entry >= hi)
        panic("boot: root task image [0x%lx, 0x%lx) or entry 0x%lx is outside user space",
              img->v_start, img->v_end, img->entry);
    uint8_t *base = paddr_to_kptr(dest);
    memset(base, 0, img->v_end - img->v_start);
    for (unsigned i = 0; i < eh->e_phnum; i++)
        if (ph[i].p_type == PT_LOAD)
            memcpy(base + (ph[i].p_vaddr - img->v_start), elf + ph[i].p_offset, ph[i].p_filesz);
}

/* A pointer to a fixed low address that the compiler may not reason about. */
static inline void *opaque_ptr(word_t a)
{
    __asm__("" : "+r"(a));
    return (void *)a;
}

/* For the test of the panic report: fault in kernel mode on purpose (command line option
 * "test_kernel_fault"). noinline so that the backtrace has a frame to name. */
static __attribute__((noinline)) void test_kernel_fault(void)
{
    *(volatile word_t *)opaque_ptr(0x8) = 1;
    kprintf("test_kernel_fault: the write to 0x8 did not fault\n");
}

void boot_main(uint32_t magic, uint32_t mbi_paddr)
{
    uint64_t entered = rdtsc();
    serial_init(*(const uint16_t *)opaque_ptr(0x400)); /* COM1 from the BIOS data area (identity map) */
    kprintf("\nCairn kernel booting (x86_64)\n");
    if (magic != MULTIBOOT_BOOTLOADER_MAGIC)
        panic("boot: not started by a multiboot loader (magic 0x%x)", magic);
    cpu_check_features();

    /* The memory map, read through the early identity map. */
    const struct multiboot_info *mbi = (const void *)(word_t)mbi_paddr;
    if (!(mbi->flags & MB_INFO_MMAP))
        panic("boot: the boot loader gave no memory map");
    paddr_t ram_top = 0, ram_total = 0;
    for (word_t p = mbi->mmap_addr; p < (word_t)mbi->mmap_addr + mbi->mmap_length;) {
        const struct mb_mmap_entry *e = (const void *)p;
        if (mmap_copy_len < MBMMAP_MAX_ENTRIES)
            mmap_copy[mmap_copy_len++] = *e;
        if (e->type == 1) {
            ram_top = MAX(ram_top, e->base_addr + e->length);
            ram_total += e->length;
        }
        p += e->size + 4;
    }
    paging_init(ram_top); /* from here on, physical memory is reached through the window */
    paddr_t window = kernel_window_limit();
    for (unsigned i = 0; i < mmap_copy_len; i++) {
        const struct mb_mmap_entry *e = &mmap_copy[i];
        if (e->type == 1) /* usable RAM above 1 MiB inside the window */
            boot_mem_add_ram(MAX(e->base_addr, (paddr_t)0x100000), MIN(e->base_addr + e->length, window));
    }

    mbi = paddr_to_kptr(mbi_paddr);
    const char *cmdline = (mbi->flags & MB_INFO_CMDLINE) ? paddr_to_kptr(mbi->cmdline) : "";
    const char *port = cmdline_option(cmdline, "console_port");
    if (!port)
        port = cmdline_option(cmdline, "debug_port");
    if (port)
        serial_init((uint16_t)parse_number(port));

    cpu_init();
    const char *every = cmdline_option(cmdline, "test_preempt_every");
    if (every)
        preempt_test_every = parse_number(every);
    invariants_enabled = cmdline_flag(cmdline, "check_invariants");
    arch_fastpath_enable(!invariants_enabled);
    if (cmdline_flag(cmdline, "test_kernel_fault"))
        test_kernel_fault();
    if (!acpi_init())
        panic("boot: no ACPI RSDP/MADT found; Cairn needs ACPI to find the interrupt controllers");
    if (acpi.num_ioapics == 0)
        panic("boot: the MADT lists no IOAPIC");
    pic_remap_and_mask();
    lapic_init();
    ioapic_init();
    tsc_calibrate();
    kprintf("memory: %lu MiB of RAM, highest address 0x%lx, kernel window %lu GiB\n",
            ram_total >> 20, ram_top, window >> 30);
    kprintf("devices: %u CPU(s), local APIC at 0x%lx, %u IOAPIC(s) (first at 0x%lx), ACPI RSDP at 0x%lx\n",
            acpi.num_cpus, acpi.lapic_paddr, acpi.num_ioapics, acpi.ioapics[0].paddr, acpi.rsdp_paddr);
    acpi_print_overrides();
    kprintf("boot: kernel entered %lu us after reset\n", entered / arch_tsc_mhz());
    kprintf("cpu: TSC %u MHz%s%s%s\n", arch_tsc_mhz(), cpu_features.huge_pages ? ", 1 GiB pages" : "",
            cpu_features.tsc_deadline ? ", TSC deadline" : "", cpu_features.invariant_tsc ? ", invariant TSC" : "");

    /* The root task: the first module. Its image goes right after everything the loader put
     * in memory (kernel, info, modules); that whole range is kept from the free memory. */
    if (!(mbi->flags & MB_INFO_MODS) || mbi->mods_count == 0)
        panic("boot: no root task: give its ELF as the first multiboot module (QEMU -initrd)");
    const struct multiboot_module *mods = paddr_to_kptr(mbi->mods_addr);
    paddr_t loaded_end = (paddr_t)kernel_phys_end;
    for (unsigned i = 0; i < mbi->mods_count; i++)
        loaded_end = MAX(loaded_end, (paddr_t)mods[i].mod_end);
    loaded_end = MAX(loaded_end, (paddr_t)mbi_paddr + sizeof(*mbi));
    loaded_end = MAX(loaded_end, (paddr_t)mbi->mmap_addr + mbi->mmap_length);
    loaded_end = MAX(loaded_end, (paddr_t)mbi->mods_addr + mbi->mods_count * sizeof(*mods));
    paddr_t image_paddr = ROUND_UP(loaded_end, 12);
    struct root_image img;
    load_root_image(paddr_to_kptr(mods[0].mod_start), mods[0].mod_end - mods[0].mod_start, image_paddr, &img);
    boot_mem_reserve((paddr_t)kernel_phys_start, image_paddr + (img.v_end - img.v_start));
    boot_root_task(&img);
}

/* Extra BootInfo chunks (abi §7.4), packed without padding: ACPI RSDP, the multiboot memory
 * map and the TSC frequency. */
static word_t put_chunk(uint8_t *buf, word_t off, word_t size, word_t id, const void *payload, word_t len)
{
    const word_t header[2] = { id, 16 + len };
    if (off + 16 + len > size)
        panic("boot: extra BootInfo does not fit in %lu bytes", size);
    memcpy(buf + off, header, 16);
    memcpy(buf + off + 16, payload, len);
    return off + 16 + len;
}

word_t arch_boot_extra_bootinfo(uint8_t *buf, word_t size)
{
    word_t off = 0;
    off = put_chunk(buf, off, size, SEL4_BOOTINFO_HEADER_X86_ACPI_RSDP, acpi.rsdp, sizeof(acpi.rsdp));
    struct PACKED {
        uint32_t mmap_length;
        struct mb_mmap_entry entries[MBMMAP_MAX_ENTRIES];
    } mbmmap = { .mmap_length = mmap_copy_len * (uint32_t)sizeof(struct mb_mmap_entry) };
    _Static_assert(sizeof(mbmmap) == 1220 - 16, "abi §7.4: the MBMMAP chunk is 1220 bytes");
    memcpy(mbmmap.entries, mmap_copy, sizeof(mmap_copy));
    off = put_chunk(buf, off, size, SEL4_BOOTINFO_HEADER_X86_MBMMAP, &mbmmap, sizeof(mbmmap));
    uint32_t mhz = arch_tsc_mhz();
    off = put_chunk(buf, off, size, SEL4_BOOTINFO_HEADER_X86_TSC_FREQ, &mhz, sizeof(mhz));
    return off;
}
