/* Declarations shared between the files of arch/x86_64 (not seen by the core). */
#pragma once
#include "types.h"
#include "cap.h"

struct cpu_features {
    bool huge_pages, tsc_deadline, invariant_tsc, smep, smap;
};
extern struct cpu_features cpu_features;

/* IDT layout (seL4 pc99 numbering): exceptions 0..31, PIC 32..47, user IRQs 48..155,
 * kernel timer 157, DPL-3 trap gates from 158 up, spurious 255. */
#define VECTOR_IRQ_BASE 32
#define VECTOR_USER_IRQ_MIN 48
#define VECTOR_TIMER 157
#define VECTOR_USER_TRAP_MIN 158
#define VECTOR_SPURIOUS 255

void cpu_check_features(void);
void cpu_init(void);
struct tss {
    uint32_t reserved0;
    uint64_t rsp[3];
    uint64_t reserved1;
    uint64_t ist[7];
    uint64_t reserved2;
    uint16_t reserved3;
    uint16_t iomap_base;
    uint8_t iomap[8192 + 1]; /* all ones: user in/out traps (#GP) */
} PACKED;
_Static_assert(offsetof(struct tss, rsp) == 4, "entry.S: TSS_RSP0");
extern struct tss tss;
/* Where the CPU pushes the frame of an interrupt or exception from user mode. */
static inline void tss_set_kernel_entry_stack(word_t top) { tss.rsp[0] = top; }
struct tcb;
bool arch_fpu_trap(struct tcb *t);
/* Part of arch_check_invariants() (thread.c). */
void check_thread_invariants(void);
/* Whether the syscall entry takes the IPC fastpath for Call and ReplyRecv (thread.c). */
void arch_fastpath_enable(bool on);
/* Switch to an address space (CR3), skipping the write when it is already loaded. */
void load_address_space(paddr_t pml4);
void serial_init(uint16_t port);
extern uint8_t fpu_initial_state[512];
extern char kernel_stack_top[];

/* Kernel page tables and the kernel window. */
void paging_init(paddr_t window_end);
void *map_device_page(paddr_t p);
extern paddr_t kernel_pml4_paddr;

/* Platform discovery and legacy devices. */
struct acpi_info {
    paddr_t rsdp_paddr;
    uint8_t rsdp[36]; /* a copy of the ACPI 2.0 RSDP (v1 ones padded with zeros) */
    paddr_t lapic_paddr;
    unsigned num_cpus;
    unsigned num_ioapics;
    struct { paddr_t paddr; unsigned gsi_base; unsigned id; } ioapics[8];
    /* Interrupt source overrides: ISA IRQ `source` is GSI `gsi`; flags as in the MADT
     * (bits 0-1 polarity: 1 active high, 3 active low; bits 2-3 trigger: 1 edge, 3 level). */
    unsigned num_overrides;
    struct { unsigned source, gsi, flags; } overrides[16];
};
extern struct acpi_info acpi;
bool acpi_init(void);
void acpi_print_overrides(void);
void pic_remap_and_mask(void);
void ioapic_init(void);
extern unsigned ioapic_pins[]; /* pins of each IOAPIC */
void ioapic_route_pin(unsigned ioapic, unsigned pin, unsigned vector, bool level, bool active_low);
void ioapic_mask_pin(unsigned ioapic, unsigned pin, unsigned vector, bool masked);
unsigned lapic_id(void);
void lapic_init(void);
void tsc_calibrate(void);

/* Multiboot information the boot code keeps for BootInfo. */
struct mb_mmap_entry {
    uint32_t size;
    uint64_t base_addr, length;
    uint32_t type;
} PACKED;

/* IO ports: the final cap to a range is gone, the ports can be issued again (ioport.c). */
void ioport_range_free(cap_t c);

/* Undoing mappings when caps are deleted (vspace.c). Each checks that the entry still
 * refers to this frame or table, so a stale cap never removes somebody else's mapping. */
void vspace_unmap_frame(word_t asid, vaddr_t vaddr, paddr_t frame, unsigned size_bits);
void vspace_unmap_table(enum cap_type type, word_t asid, vaddr_t vaddr, paddr_t table);
void vspace_release_asid(word_t asid, void *pml4);
void vspace_release_asid_pool(void *pool);

/* Frame VM rights (VM_READ, VM_WRITE; 0 = kernel-only) through a seL4_CapRights_t word
 * (abi §12.3; cap.c). */
unsigned mask_vm_rights(unsigned vm, word_t rights);
