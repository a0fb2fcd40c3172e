/* Threads on x86_64: initial register state, switching, leaving the kernel. */
#include "x86.h"
#include "arch.h"
#include "tcb.h"
#include "paging.h"
#include "vspace.h"
#include "kstring.h"
#include "abi.h"
#include "x86_internal.h"
#include "arch_switch.h"
#include "fastpath.h"
#include "invariants.h"

/* What the syscall entry calls for Call, ReplyRecv and Send: the fastpath, or the general
 * path while the kernel checks its invariants after every syscall (which only it does). */
static NORETURN void general_call(void) { handle_syscall((word_t)seL4_SysCall); }
static NORETURN void general_reply_recv(void) { handle_syscall((word_t)seL4_SysReplyRecv); }
static NORETURN void general_send(void) { handle_syscall((word_t)seL4_SysSend); }
void (*syscall_call_target)(void) = fastpath_call;
void (*syscall_reply_recv_target)(void) = fastpath_reply_recv;
void (*syscall_send_target)(void) = fastpath_signal;

void arch_fastpath_enable(bool on)
{
    syscall_call_target = on ? fastpath_call : general_call;
    syscall_reply_recv_target = on ? fastpath_reply_recv : general_reply_recv;
    syscall_send_target = on ? fastpath_signal : general_send;
}

word_t loaded_fs_base, loaded_gs_base; /* what the FS/GS base MSRs hold */
paddr_t loaded_cr3;                    /* the address space we are in */

static bool is_canonical(word_t v) { return (word_t)((sword_t)(v << 16) >> 16) == v; }

void arch_init_user_context(struct user_context *ctx, vaddr_t entry, word_t arg0)
{
    for (unsigned i = 0; i < offsetof(struct user_context, fpu) / sizeof(word_t); i++)
        ((word_t *)ctx)[i] = 0;
    ctx->rip = entry;
    ctx->fault_ip = entry;
    ctx->rdi = arg0;
    ctx->rflags = 0x202; /* IF and the always-one bit */
    ctx->cs = SEL_USER_CS;
    ctx->ss = SEL_USER_DS;
    ctx->error = 0; /* first entry uses the full iretq restore */
    memcpy(ctx->fpu, fpu_initial_state, sizeof(ctx->fpu));
}

void arch_restart_syscall(struct user_context *ctx) { ctx->rip = ctx->fault_ip; }
word_t arch_context_ip(const struct user_context *ctx) { return ctx->fault_ip; }
word_t arch_context_sp(const struct user_context *ctx) { return ctx->rsp; }

/* A thread runs in its PML4 only while the PML4's ASID still names it (a deleted ASID pool
 * leaves the cap with an ASID that names nothing); otherwise it runs in the kernel's own
 * address space, where every user access faults, as in seL4. */
paddr_t arch_thread_vspace_root(struct tcb *t)
{
    cap_t c = t->cnode[tcb_slot_vspace].cap;
    if (cap_get_type(c) != cap_pml4 || asid_find_vspace(cap_mapped_asid(c)) != cap_ptr(c))
        return 0;
    return kptr_to_paddr(cap_ptr(c));
}

void arch_set_tls_base(struct tcb *t, word_t base)
{
    if (!is_canonical(base))
        return;
    t->ctx.fs_base = base;
    if (t == current_thread && base != loaded_fs_base) {
        loaded_fs_base = base;
        wrmsr(MSR_FS_BASE, base);
    }
}

/*
 * FPU state is switched lazily: the registers hold fpu_owner's state, and CR0.TS is set for
 * any other thread, so that its first FPU/SSE instruction traps (#NM) and arch_fpu_trap()
 * moves the state then. Threads that never touch the FPU never pay for it. A thread with
 * seL4_TCBFlag_fpuDisabled always runs with TS set, and its #NM is a UserException 7.
 * When the owner has been switched back to FPU_MAX_RESTORES times without an #NM in between
 * (as seL4 does), its state goes back to its TCB and nobody owns the FPU: threads that
 * stopped using it then switch without touching CR0 at all.
 */
struct tcb *fpu_owner;
bool fpu_trapping = true; /* CR0.TS, as last written: always set while fpu_owner is NULL */
unsigned fpu_restores;

/* Called with TS set (the owner is not running). */
void fpu_release(void)
{
    clts();
    __asm__ volatile("fxsave64 %0" : "=m"(fpu_owner->ctx.fpu));
    write_cr0(read_cr0() | BIT(3));
    fpu_owner = NULL;
    fpu_restores = 0;
}

void arch_thread_flags_changed(struct tcb *t) { set_fpu_access(t); }

/* #NM from user mode: true if it was the lazy switch (handled), false for a real fault. */
bool arch_fpu_trap(struct tcb *t)
{
    if (t->flags & seL4_TCBFlag_fpuDisabled)
        return false;
    clts();
    fpu_trapping = false;
    fpu_restores = 0;
    if (fpu_owner != t) {
        if (fpu_owner)
            __asm__ volatile("fxsave64 %0" : "=m"(fpu_owner->ctx.fpu));
        __asm__ volatile("fxrstor64 %0" ::"m"(t->ctx.fpu));
        fpu_owner = t;
    }
    return true;
}

void arch_thread_destroyed(struct tcb *t)
{
    if (fpu_owner == t) {
        fpu_owner = NULL;
        if (!fpu_trapping) {
            fpu_trapping = true;
            write_cr0(read_cr0() | BIT(3));
        }
    }
}

void load_address_space(paddr_t root) { set_cr3(root); }

void arch_thread_vspace_changed(struct tcb *t) { t->arch.vspace_epoch = 0; }

/* For arch_check_invariants(): what the exit path and the switch take on trust. */
void check_thread_invariants(void)
{
    for (struct tcb *t = tcb_first(); t; t = t->debug_next) {
        if (t->ctx.error == ERROR_SYSCALL && !is_canonical(t->ctx.rip))
            invariants_violation("thread \"%s\" would sysretq to non-canonical RIP 0x%lx", t->name, t->ctx.rip);
        paddr_t root = arch_thread_vspace_root(t);
        if (t->arch.vspace_epoch == vspace_epoch && t->arch.cr3 != (root ? root : kernel_pml4_paddr))
            invariants_violation("thread \"%s\": cached CR3 0x%lx, its VSpace is at 0x%lx", t->name, t->arch.cr3, root);
    }
}

paddr_t thread_cr3_lookup(struct tcb *t)
{
    paddr_t root = arch_thread_vspace_root(t);
    t->arch.vspace_epoch = vspace_epoch;
    t->arch.cr3 = root ? root : kernel_pml4_paddr;
    return t->arch.cr3;
}

NORETURN void switch_and_restore(struct tcb *to)
{
    switch_to(to);
    restore_user_context(frame_end(to));
}

void arch_switch_thread(struct tcb *from, struct tcb *to)
{
    (void)from;
    switch_to(to);
}

NORETURN void arch_restore_user(struct tcb *t) { restore_user_context(frame_end(t)); }

NORETURN void arch_halt_cpu(void)
{
    for (;;)
        __asm__ volatile("cli; hlt");
}

NORETURN void arch_halt_machine(int status)
{
    outl(DEBUG_EXIT_PORT, (uint32_t)status); /* QEMU exits with (status << 1) | 1 */
    arch_halt_cpu();
}

void arch_ack_irq(unsigned irq)
{
    extern void lapic_eoi(void);
    if (irq >= 16)
        lapic_eoi();
}
