/* x86_64 types that the arch-neutral core sees through arch.h. */
#pragma once
#include "types.h"

/*
 * A thread's saved user state. entry.S pushes the first part at every kernel entry: the CPU
 * pushes rip..ss (TSS.RSP0 points just past ss), the stub pushes error, vector and the GPRs.
 * The syscall entry builds the same frame by hand, with error = ERROR_SYSCALL so that the
 * return can use sysretq. Offsets are used by entry.S: keep the order.
 */
struct user_context {
    word_t rax, rbx, rcx, rdx, rsi, rdi, rbp, r8, r9, r10, r11, r12, r13, r14, r15;
    word_t vector;
    word_t error; /* CPU error code, or ERROR_SYSCALL for the syscall entry */
    word_t rip, cs, rflags, rsp, ss;
    word_t fs_base, gs_base;
    word_t fault_ip; /* restart PC: the syscall instruction, or the faulting instruction */
    uint8_t fpu[512] ALIGNED(16); /* FXSAVE area */
};

#define ERROR_SYSCALL (~0ull)

/* What the arch keeps per thread besides its registers: the CR3 value of its VSpace, looked
 * up while vspace_epoch had the value noted; a thread switch uses it while that is unchanged
 * (0: never, for a new thread or one whose VSpace slot was written). */
struct arch_tcb {
    word_t vspace_epoch;
    paddr_t cr3;
};

/* Kernel virtual layout: the image at phys + KERNEL_VBASE, every physical address through
 * the window at phys + KWINDOW_BASE. */
#define KERNEL_VBASE 0xffffffff80000000ull
#define KWINDOW_BASE 0xffffff8000000000ull

#ifndef HOST_TEST /* host tests supply their own "physical memory" */
static inline void *paddr_to_kptr(paddr_t p) { return (void *)(p + KWINDOW_BASE); }
static inline paddr_t kptr_to_paddr(const void *p)
{
    word_t v = (word_t)p;
    return v >= KERNEL_VBASE ? v - KERNEL_VBASE : v - KWINDOW_BASE;
}
#endif
#define CONTEXT_FRAME_END offsetof(struct user_context, fs_base)

#define SEL_KERNEL_CS 0x08
#define SEL_KERNEL_DS 0x10
#define SEL_TSS 0x18
#define SEL_USER_CS 0x2b
#define SEL_USER_DS 0x33

/* Where the syscall ABI keeps things (abi §1.2). */
#define ARCH_NUM_MSG_REGISTERS 4
static inline word_t *arch_msg_register(struct user_context *c, unsigned i)
{
    switch (i) {
    case 0: return &c->r10;
    case 1: return &c->r8;
    case 2: return &c->r9;
    default: return &c->r15;
    }
}
#define ARCH_REG_CAP rdi       /* invoked / received-from cap; badge on return */
#define ARCH_REG_BADGE rdi
#define ARCH_REG_INFO rsi
#define ARCH_REG_REPLY r12     /* MCS reply cap (NBSendWait: destination) */
#define ARCH_REG_NBSR_DEST r13 /* NBSendRecv destination */
/* The message registers MR0..MR3 (abi §1.2) */
#define ARCH_REG_MR0 r10
#define ARCH_REG_MR1 r8
#define ARCH_REG_MR2 r9
#define ARCH_REG_MR3 r15
