/*
 * Switching threads on x86_64, inline: arch_switch_thread() (thread.c) and the IPC fastpath
 * (core/fastpath.c, through arch_fastpath_switch()) share it. The state is thread.c's.
 */
#pragma once
#include "types.h"
#include "tcb.h"

#ifdef HOST_TEST /* the host tests' fake arch has its own */
NORETURN void arch_fastpath_switch(struct tcb *to);
NORETURN void arch_fastpath_restore(struct tcb *t);
uint64_t arch_fastpath_timestamp(void);
#else
#include "x86.h"
#include "vspace.h"
#include "x86_internal.h"

extern word_t loaded_fs_base, loaded_gs_base; /* what the FS/GS base MSRs hold */
extern paddr_t loaded_cr3;                    /* the address space we are in */
NORETURN void restore_user_context(word_t frame_end); /* entry.S */
static inline word_t frame_end(struct tcb *t) { return (word_t)&t->ctx + CONTEXT_FRAME_END; }

/* Lazy FPU switching (thread.c): the FPU holds fpu_owner's state; CR0.TS is set for others. */
extern struct tcb *fpu_owner;
extern bool fpu_trapping;     /* CR0.TS, as last written */
extern unsigned fpu_restores; /* times TS was cleared for the owner since its last #NM */
#define FPU_MAX_RESTORES 64
void fpu_release(void);

static inline ALWAYS_INLINE void set_fpu_access(const struct tcb *t)
{
    if (!fpu_owner)
        return; /* then TS is set (thread.c), as it must be for everyone */
    bool trap = t != fpu_owner || (t->flags & seL4_TCBFlag_fpuDisabled);
    if (trap != fpu_trapping) {
        if (!trap && ++fpu_restores > FPU_MAX_RESTORES) {
            fpu_release(); /* the owner runs on with TS set, like everyone */
            return;
        }
        fpu_trapping = trap;
        write_cr0(trap ? read_cr0() | BIT(3) : read_cr0() & ~BIT(3));
    }
}

static inline void set_cr3(paddr_t root)
{
    if (root != loaded_cr3) {
        loaded_cr3 = root;
        write_cr3(root);
    }
}

/* The CR3 value a thread runs with: its VSpace root, or the kernel's own PML4 when it has no
 * valid one. Cached per thread (struct arch_tcb): the lookup is a function of the VSpace
 * slot's cap and the ASID table, and vspace_epoch or the thread's own cache entry changes
 * with either (arch_check_invariants() checks that the cache holds). */
paddr_t thread_cr3_lookup(struct tcb *t); /* looks up and caches */
static inline ALWAYS_INLINE paddr_t thread_cr3(struct tcb *t)
{
    if (likely(t->arch.vspace_epoch == vspace_epoch))
        return t->arch.cr3;
    return thread_cr3_lookup(t);
}

/* The TLS bases and where the next kernel entry saves registers. */
static inline ALWAYS_INLINE void switch_bases(struct tcb *to)
{
    if (to->ctx.fs_base != loaded_fs_base) {
        loaded_fs_base = to->ctx.fs_base;
        wrmsr(MSR_FS_BASE, loaded_fs_base);
    }
    if (to->ctx.gs_base != loaded_gs_base) {
        loaded_gs_base = to->ctx.gs_base;
        wrmsr(MSR_GS_BASE, loaded_gs_base);
    }
    tss_set_kernel_entry_stack(frame_end(to)); /* also the syscall entry's */
}

static inline ALWAYS_INLINE void switch_to(struct tcb *to)
{
    set_fpu_access(to);
    set_cr3(thread_cr3(to));
    switch_bases(to);
}

NORETURN void switch_and_restore(struct tcb *to); /* switch_to(), then leave the kernel */

/* Inline only the usual case (the FPU unowned, the CR3 cache current): then no call that
 * returns is left in the fastpath, which needs no stack frame. */
static inline ALWAYS_INLINE NORETURN void arch_fastpath_switch(struct tcb *to)
{
    if (unlikely(fpu_owner || to->arch.vspace_epoch != vspace_epoch))
        switch_and_restore(to);
    set_cr3(to->arch.cr3);
    switch_bases(to);
    restore_user_context(frame_end(to));
}

/* Back to the thread that entered (nothing to switch). */
static inline ALWAYS_INLINE NORETURN void arch_fastpath_restore(struct tcb *t) { restore_user_context(frame_end(t)); }

static inline ALWAYS_INLINE uint64_t arch_fastpath_timestamp(void) { return rdtsc(); }
#endif
