/* A stand-in for arch/ so that the arch-neutral kernel core runs as a host program under
 * ASan/UBSan. "Physical memory" is a host buffer; console output goes to stdout. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fake_arch.h"
#include "arch.h"
#include "tcb.h"
#include "invocation.h"

uint8_t *fake_phys_mem;
word_t fake_phys_size;
#define FAKE_PHYS_BASE 0x100000ull

void fake_arch_init(word_t phys_bytes)
{
    if (!fake_phys_mem) {
        fake_phys_mem = aligned_alloc(1 << 21, phys_bytes);
        fake_phys_size = phys_bytes;
    }
    memset(fake_phys_mem, 0, fake_phys_size);
}

void *paddr_to_kptr(paddr_t p)
{
    if (p < FAKE_PHYS_BASE || p - FAKE_PHYS_BASE > fake_phys_size) {
        fprintf(stderr, "fake arch: physical address 0x%lx outside fake memory\n", (unsigned long)p);
        abort();
    }
    return fake_phys_mem + (p - FAKE_PHYS_BASE);
}

paddr_t kptr_to_paddr(const void *p) { return (paddr_t)((const uint8_t *)p - fake_phys_mem) + FAKE_PHYS_BASE; }
paddr_t fake_phys_base(void) { return FAKE_PHYS_BASE; }

bool fake_quiet;
void arch_putc(char c)
{
    if (!fake_quiet)
        putchar(c);
}

NORETURN void arch_halt_machine(int status)
{
    fflush(stdout);
    fprintf(stderr, "fake arch: kernel stopped the machine with status %d\n", status);
    abort();
}

NORETURN void arch_halt_cpu(void) { arch_halt_machine(0); }
NORETURN void arch_idle(void) { arch_halt_machine(1); }
NORETURN void arch_restore_user(struct tcb *t)
{
    (void)t;
    arch_halt_machine(2);
}
void arch_switch_thread(struct tcb *from, struct tcb *to) { (void)from, (void)to; }
void arch_thread_vspace_changed(struct tcb *t) { (void)t; }
NORETURN void arch_fastpath_switch(struct tcb *to) { arch_restore_user(to); }
NORETURN void arch_fastpath_restore(struct tcb *t) { arch_restore_user(t); }
uint64_t arch_fastpath_timestamp(void) { return 0; }

void arch_init_user_context(struct user_context *ctx, vaddr_t entry, word_t arg0)
{
    memset(ctx, 0, sizeof(*ctx));
    ctx->rip = ctx->fault_ip = entry;
    ctx->rdi = arg0;
}
void arch_restart_syscall(struct user_context *ctx) { ctx->rip = ctx->fault_ip; }
word_t arch_context_ip(const struct user_context *ctx) { return ctx->fault_ip; }
word_t arch_context_sp(const struct user_context *ctx) { return ctx->rsp; }
bool arch_read_user_word(struct tcb *t, vaddr_t addr, word_t *out)
{
    (void)t, (void)addr, (void)out;
    return false;
}
uint64_t arch_timestamp(void) { return 0; }
uint32_t arch_tsc_mhz_value = 1000;
void arch_print_backtrace(word_t sp) { (void)sp; }
void arch_ack_irq(unsigned irq) { (void)irq; }
struct fake_irq_log fake_irqs;
void arch_irq_mask(unsigned irq, bool masked)
{
    if (irq < ARCH_NUM_IRQS)
        fake_irqs.masked[irq] = masked;
}
exception_t arch_check_irq(struct invocation *inv, word_t irq)
{
    (void)inv;
    return irq < ARCH_NUM_IRQS ? EXCEPTION_NONE : seL4_IllegalOperation;
}
exception_t decode_arch_irq_control_invocation(struct invocation *inv)
{
    (void)inv;
    return seL4_IllegalOperation;
}
bool arch_interrupt_pending(void) { return false; }
void arch_set_tls_base(struct tcb *t, word_t base) { t->ctx.fs_base = base; }
__attribute__((weak)) bool arch_cap_type_invocable(enum cap_type t)
{
    (void)t;
    return false;
}
__attribute__((weak)) exception_t decode_arch_invocation(struct invocation *inv)
{
    (void)inv;
    return seL4_IllegalOperation;
}

/* Arch object types: the x86_64 sizes; a new PML4 gets no kernel mappings here. */
bool arch_is_frame_type(word_t type)
{
    return type == seL4_X86_4K || type == seL4_X86_LargePageObject || type == seL4_X64_HugePageObject;
}
word_t arch_object_size_bits(word_t type)
{
    switch (type) {
    case seL4_X86_4K: return seL4_PageBits;
    case seL4_X86_LargePageObject: return seL4_LargePageBits;
    case seL4_X64_HugePageObject: return seL4_HugePageBits;
    default: return 12; /* paging structures */
    }
}
cap_t arch_create_object(word_t type, paddr_t paddr, bool device)
{
    switch (type) {
    case seL4_X86_4K: return cap_frame_new(paddr, frame_4k, VM_READ | VM_WRITE, device);
    case seL4_X86_LargePageObject: return cap_frame_new(paddr, frame_2m, VM_READ | VM_WRITE, device);
    case seL4_X64_HugePageObject: return cap_frame_new(paddr, frame_1g, VM_READ | VM_WRITE, device);
    case seL4_X86_PageTableObject: return cap_paging_new(cap_page_table, paddr_to_kptr(paddr), 0);
    case seL4_X86_PageDirectoryObject: return cap_paging_new(cap_page_directory, paddr_to_kptr(paddr), 0);
    case seL4_X86_PDPTObject: return cap_paging_new(cap_pdpt, paddr_to_kptr(paddr), 0);
    default: return cap_paging_new(cap_pml4, paddr_to_kptr(paddr), 0);
    }
}
bool arch_cap_region(cap_t c, paddr_t *base, word_t *size_bits)
{
    switch (cap_get_type(c)) {
    case cap_frame:
        *base = cap_frame_paddr(c);
        *size_bits = cap_frame_size_bits(c);
        return true;
    case cap_page_table:
    case cap_page_directory:
    case cap_pdpt:
    case cap_pml4:
    case cap_asid_pool:
        *base = kptr_to_paddr(cap_ptr(c));
        *size_bits = 12;
        return true;
    default:
        return false;
    }
}

/* Boot hooks: the root task's address space is the arch's business; host tests of boot
 * only look at memory bookkeeping, caps and BootInfo. */
#include "boot.h"
void *arch_boot_new_vspace(void) { return paddr_to_kptr(boot_alloc(12)); }
unsigned arch_boot_map_frames(void *pml4, vaddr_t v, paddr_t p, unsigned n_pages, struct boot_table *tables,
                              unsigned max_tables)
{
    (void)pml4, (void)v, (void)p, (void)n_pages, (void)tables, (void)max_tables;
    return 0;
}
void arch_boot_assign_asid(void *asid_pool, void *pml4, unsigned asid) { (void)asid_pool, (void)pml4, (void)asid; }
word_t arch_boot_extra_bootinfo(uint8_t *buf, word_t size)
{
    (void)buf, (void)size;
    return 0;
}
unsigned arch_boot_reserved_device_regions(struct p_region *out, unsigned max)
{
    (void)out, (void)max;
    return 0;
}

/* Registers, faults and the timer: the host tests keep the values as they are written. */
word_t arch_get_user_register(const struct user_context *ctx, unsigned i) { return ((const word_t *)ctx)[i]; }
void arch_set_user_register(struct user_context *ctx, unsigned i, word_t v) { ((word_t *)ctx)[i] = v; }
void arch_context_written(struct user_context *ctx) { ctx->fault_ip = ctx->rip; }
void arch_copy_registers(struct user_context *to, const struct user_context *from, bool frame, bool integer)
{
    if (frame)
        memcpy(to, from, offsetof(struct user_context, vector));
    if (integer)
        to->fs_base = from->fs_base, to->gs_base = from->gs_base;
}
unsigned arch_fault_message(const struct user_context *ctx, const struct fault *f, word_t *mrs)
{
    (void)ctx, (void)f, (void)mrs;
    return 0;
}
void arch_fault_reply(struct user_context *ctx, const struct fault *f, const word_t *mrs, unsigned n)
{
    (void)ctx, (void)f, (void)mrs, (void)n;
}
bool arch_is_vspace_root(cap_t c) { return cap_get_type(c) == cap_pml4; }
void arch_thread_flags_changed(struct tcb *t) { (void)t; }
void arch_thread_destroyed(struct tcb *t) { (void)t; }
void arch_set_timer_deadline(uint64_t deadline) { (void)deadline; }
paddr_t arch_thread_vspace_root(struct tcb *t)
{
    (void)t;
    return 0;
}

/* What arch/x86_64/cap.c asks of the rest of the arch when caps are deleted: recorded for
 * the tests (fake_arch.h). Weak, like the invocation dispatch above: the host tests of the
 * virtual-memory code (test_vm_*.c) link the real vspace.c and asid.c instead. */
#include "x86_internal.h"
struct fake_finalise_log fake_finalised;
void ioport_range_free(cap_t c)
{
    fake_finalised.ioport_frees++;
    fake_finalised.last_ioport = c;
}
__attribute__((weak)) void vspace_unmap_frame(word_t asid, vaddr_t vaddr, paddr_t frame, unsigned size_bits)
{
    (void)asid, (void)vaddr, (void)frame, (void)size_bits;
    fake_finalised.frame_unmaps++;
}
__attribute__((weak)) void vspace_unmap_table(enum cap_type type, word_t asid, vaddr_t vaddr, paddr_t table)
{
    (void)type, (void)asid, (void)vaddr, (void)table;
    fake_finalised.table_unmaps++;
}
__attribute__((weak)) void vspace_release_asid(word_t asid, void *pml4)
{
    (void)asid, (void)pml4;
    fake_finalised.asid_releases++;
}
__attribute__((weak)) void vspace_pml4_cap_deleted(void) {}
__attribute__((weak)) void vspace_release_asid_pool(void *pool)
{
    (void)pool;
    fake_finalised.pool_releases++;
}

__attribute__((weak)) void arch_check_invariants(void) {}
void check_thread_invariants(void) {} /* thread.c's, for vspace.c in the VM tests */

/* The TLB and CPU features the real vspace.c, asid.c and mapping.c use (vspace.h): every
 * address space counts as loaded, so every flush the code asks for is recorded. */
#include "vspace.h"
struct cpu_features cpu_features = { .huge_pages = true };
struct fake_tlb_log fake_tlb;
void tlb_flush_page(paddr_t pml4, vaddr_t v)
{
    fake_tlb.page_flushes++;
    fake_tlb.last_pml4 = pml4;
    fake_tlb.last_vaddr = v;
}
void tlb_flush_vspace(paddr_t pml4)
{
    fake_tlb.vspace_flushes++;
    fake_tlb.last_pml4 = pml4;
}
void vspace_leave(paddr_t pml4)
{
    fake_tlb.leaves++;
    fake_tlb.last_pml4 = pml4;
}
