/* Host test support for the kernel core. */
#pragma once
#include "types.h"

/* Reset the fake physical memory (allocated once, zeroed each time). */
void fake_arch_init(word_t phys_bytes);
paddr_t fake_phys_base(void);
/* Drop the kernel's console output (userError lines of tests that make thousands). */
extern bool fake_quiet;

/* Calls the arch cap code (arch/x86_64/cap.c, linked in) made to finalise arch objects. */
#include "cap.h"
struct fake_finalise_log {
    unsigned ioport_frees, frame_unmaps, table_unmaps, asid_releases, pool_releases;
    cap_t last_ioport;
};
extern struct fake_finalise_log fake_finalised;

/* TLB flushes and address-space switches the virtual-memory code asked for (vspace.h). */
struct fake_tlb_log {
    unsigned page_flushes, vspace_flushes, leaves;
    paddr_t last_pml4;
    vaddr_t last_vaddr;
};
extern struct fake_tlb_log fake_tlb;

/* User IRQs: the fake controller's mask bits (arch_irq_mask); the generic IRQControl_Get
 * issues any IRQ number below ARCH_NUM_IRQS here, as with a PIC. */
#include "arch.h"
struct fake_irq_log {
    bool masked[ARCH_NUM_IRQS];
};
extern struct fake_irq_log fake_irqs;

/* Test reporting: one line per check, as the harness counts them. */
#include <stdio.h>
extern int host_failures;
#define HCHECK(name, cond) \
    do { \
        if (cond) \
            printf("PASS: %s\n", name); \
        else { \
            printf("FAIL: %s (%s:%d: %s)\n", name, __FILE__, __LINE__, #cond); \
            host_failures++; \
        } \
    } while (0)
