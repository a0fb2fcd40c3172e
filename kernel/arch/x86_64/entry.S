/*
 * Kernel entry and exit. There is one kernel stack; a thread's user registers are saved in
 * its TCB (struct user_context), never on the kernel stack: TSS.RSP0 points just past the
 * current thread's saved frame, so the CPU's (or our) pushes land there.
 * Offsets below follow struct user_context in arch_types.h.
 */
#define TSS_RSP0 4 /* offsetof(struct tss, rsp[0]), x86_internal.h */
#define CTX_RAX 0
#define CTX_RBX 8
#define CTX_RCX 16
#define CTX_RDX 24
#define CTX_RSI 32
#define CTX_RDI 40
#define CTX_RBP 48
#define CTX_R8 56
#define CTX_R9 64
#define CTX_R10 72
#define CTX_R11 80
#define CTX_R12 88
#define CTX_R13 96
#define CTX_R14 104
#define CTX_R15 112
#define CTX_ERROR 128
#define CTX_RIP 136
#define CTX_CS 144
#define CTX_RFLAGS 152
#define CTX_SS 168
#define CTX_END 176 /* CONTEXT_FRAME_END: fs_base, past ss */
#define CTX_FAULT_IP 192

.macro PUSH_GPRS
    pushq %r15
    pushq %r14
    pushq %r13
    pushq %r12
    pushq %r11
    pushq %r10
    pushq %r9
    pushq %r8
    pushq %rbp
    pushq %rdi
    pushq %rsi
    pushq %rdx
    pushq %rcx
    pushq %rbx
    pushq %rax
.endm

.macro POP_GPRS
    popq %rax
    popq %rbx
    popq %rcx
    popq %rdx
    popq %rsi
    popq %rdi
    popq %rbp
    popq %r8
    popq %r9
    popq %r10
    popq %r11
    popq %r12
    popq %r13
    popq %r14
    popq %r15
.endm

    .text
/* The `syscall` instruction: RCX = user RIP, R11 = user RFLAGS, RSP still the user's. */
    .global syscall_entry
syscall_entry:
    movq %rsp, syscall_user_rsp(%rip)
    movq tss+TSS_RSP0(%rip), %rsp
    /* ss and cs hold the user selectors already (every way out of the kernel leaves them
     * so) and vector is read only for exceptions: skip those three slots. */
    subq $8, %rsp                       /* ss */
    pushq syscall_user_rsp(%rip)        /* rsp (seL4 does not keep it; we do, for reports) */
    pushq %r11                          /* rflags */
    movq %rcx, -16(%rsp)                /* rip: the instruction after syscall (-8: cs) */
    movq $-1, -24(%rsp)                 /* error = ERROR_SYSCALL: return with sysretq */
    subq $32, %rsp                      /* down past vector */
    PUSH_GPRS
    leaq -2(%rcx), %r11                 /* restart PC = the syscall instruction */
    movq %r11, CTX_FAULT_IP(%rsp)
    leaq kernel_stack_top(%rip), %rsp
    cmpq $-1, %rdx                      /* seL4_SysCall */
    je 1f
    cmpq $-2, %rdx                      /* seL4_SysReplyRecv */
    je 2f
    cmpq $-5, %rdx                      /* seL4_SysSend (Signal's fastpath) */
    je 3f
    movq %rdx, %rdi
    call handle_syscall
1:  call *syscall_call_target(%rip)    /* the fastpaths (thread.c), which go on to */
2:  call *syscall_reply_recv_target(%rip) /* handle_syscall when they do not apply */
3:  call *syscall_send_target(%rip)

/* Exceptions and interrupts. Vectors with a CPU error code skip the dummy push. */
.macro ISR vec
    .align 16
isr_\vec:
    .if !(\vec == 8 || (\vec >= 10 && \vec <= 14) || \vec == 17 || \vec == 21 || \vec == 29 || \vec == 30)
    pushq $0
    .endif
    pushq $\vec
    jmp isr_common
.endm

    .align 16
isr_common:
    PUSH_GPRS
    cld                                 /* C code needs DF = 0; a user thread may have set it */
    testb $3, CTX_CS(%rsp)
    jz 1f
    leaq kernel_stack_top(%rip), %rsp   /* from user: the frame is in the TCB */
    call c_handle_user_trap
    ud2
1:  movq %rsp, %rdi                     /* from kernel: the frame is on the kernel stack */
    call c_handle_kernel_trap
    POP_GPRS
    addq $16, %rsp
    iretq

.altmacro
.macro ISR_N n
    ISR %n
.endm
.macro ISR_ADDR n
    .quad isr_\n
.endm
vec = 0
.rept 256
    ISR_N %vec
    vec = vec + 1
.endr

    .section .rodata
    .global isr_stubs
isr_stubs:
vec = 0
.rept 256
    ISR_ADDR %vec
    vec = vec + 1
.endr

    .text
/* restore_user_context(frame_end): leave the kernel into the context whose saved frame ends
 * at frame_end (&ctx->fs_base, the value TSS.RSP0 gets: callers have it at hand). */
    .global restore_user_context
restore_user_context:
    movq %rdi, %rsp
    cmpq $-1, CTX_ERROR-CTX_END(%rsp)
    jne 2f
    /* sysretq to a non-canonical RIP would fault in ring 0 with the user's RSP. It cannot
     * happen: with ERROR_SYSCALL, RIP follows a syscall instruction in a mapped user page
     * (they end below 0x7ffffffff000) or was set through arch_set_user_register(), which
     * makes it canonical; arch_check_invariants() checks this. */
    movq CTX_RIP-CTX_END(%rsp), %rcx
    movq CTX_RFLAGS-CTX_END(%rsp), %r11
    movq CTX_RAX-CTX_END(%rsp), %rax
    movq CTX_RBX-CTX_END(%rsp), %rbx
    movq CTX_RDX-CTX_END(%rsp), %rdx
    movq CTX_RSI-CTX_END(%rsp), %rsi
    movq CTX_RDI-CTX_END(%rsp), %rdi
    movq CTX_RBP-CTX_END(%rsp), %rbp
    movq CTX_R8-CTX_END(%rsp), %r8
    movq CTX_R9-CTX_END(%rsp), %r9
    movq CTX_R10-CTX_END(%rsp), %r10
    movq CTX_R12-CTX_END(%rsp), %r12
    movq CTX_R13-CTX_END(%rsp), %r13
    movq CTX_R14-CTX_END(%rsp), %r14
    movq CTX_R15-CTX_END(%rsp), %r15
    xorl %esp, %esp                     /* the ABI returns RSP = 0; libsel4 restores it from RBX */
    sysretq
2:  leaq -CTX_END(%rsp), %rsp
    movq $0x2b, CTX_CS(%rsp)
    movq $0x33, CTX_SS(%rsp)
    POP_GPRS
    addq $16, %rsp
    iretq

/* The idle loop runs on a fresh kernel stack; each interrupt enters c_handle_kernel_trap. */
    .global arch_idle
arch_idle:
    leaq kernel_stack_top(%rip), %rsp
3:  sti
    hlt
    cli
    jmp 3b

    .bss
    .align 16
syscall_user_rsp:
    .quad 0
    .align 4096
    .global kernel_stack_top
kernel_stack:
    .skip 16384
kernel_stack_top:
