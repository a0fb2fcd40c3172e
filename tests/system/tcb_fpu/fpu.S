/* FPU state probes, written in assembly so that no compiled code touches the FPU/SSE state
 * between loading a pattern and dumping it.
 *
 * struct fpu_state (328 bytes): xmm0..xmm15 (16 x 16 bytes, offset 0), the x87 stack as 8
 * doubles (offset 256; st[i] is what was loaded i-th, ST(7 - i) at the end), MXCSR (u32,
 * offset 320), x87 control word (u16, offset 324).
 *
 * void fpu_run(const struct fpu_state *in, struct fpu_state *out, uint64_t mode, uint64_t arg)
 *   loads *in, then
 *     mode 0: spins until the TSC reaches arg (the timer preempts it meanwhile),
 *     mode 1: calls seL4_Yield arg times,
 *     mode 2: calls seL4_Wait on the notification cptr arg once,
 *   then stores the state into *out (x87 stack popped in reverse load order).
 *
 * fpu_touch_entry(ntfn): a thread entry that executes one SSE instruction, then sets
 * fpu_touch_done = 1 and waits on notification ntfn for ever.
 */
    .text
    .globl fpu_run
fpu_run:
    push %rbp
    mov %rsp, %rbp
    push %rbx
    push %r12
    push %r13
    push %r14
    push %r15
    sub $8, %rsp
    mov %rdi, %r12
    mov %rsi, %r13
    mov %rdx, %r14
    mov %rcx, %r15

    movdqu 0(%r12), %xmm0
    movdqu 16(%r12), %xmm1
    movdqu 32(%r12), %xmm2
    movdqu 48(%r12), %xmm3
    movdqu 64(%r12), %xmm4
    movdqu 80(%r12), %xmm5
    movdqu 96(%r12), %xmm6
    movdqu 112(%r12), %xmm7
    movdqu 128(%r12), %xmm8
    movdqu 144(%r12), %xmm9
    movdqu 160(%r12), %xmm10
    movdqu 176(%r12), %xmm11
    movdqu 192(%r12), %xmm12
    movdqu 208(%r12), %xmm13
    movdqu 224(%r12), %xmm14
    movdqu 240(%r12), %xmm15
    fninit
    fldcw 324(%r12)
    fldl 256(%r12)
    fldl 264(%r12)
    fldl 272(%r12)
    fldl 280(%r12)
    fldl 288(%r12)
    fldl 296(%r12)
    fldl 304(%r12)
    fldl 312(%r12)
    ldmxcsr 320(%r12)

    cmp $1, %r14
    je 2f
    cmp $2, %r14
    je 4f
1:  rdtsc                       /* mode 0: spin until TSC >= arg */
    shl $32, %rdx
    or %rdx, %rax
    cmp %r15, %rax
    jb 1b
    jmp 5f
2:  test %r15, %r15             /* mode 1: arg Yields */
    jz 5f
    mov $-11, %rdx              /* seL4_SysYield */
    mov %rsp, %rbx
    syscall
    mov %rbx, %rsp
    dec %r15
    jmp 2b
4:  mov %r12, (%rsp)            /* mode 2: seL4_Wait(arg) */
    mov $-9, %rdx               /* seL4_SysWait */
    mov %r15, %rdi
    xor %r12, %r12              /* no reply object */
    mov %rsp, %rbx
    syscall
    mov %rbx, %rsp
    mov (%rsp), %r12

5:  movdqu %xmm0, 0(%r13)
    movdqu %xmm1, 16(%r13)
    movdqu %xmm2, 32(%r13)
    movdqu %xmm3, 48(%r13)
    movdqu %xmm4, 64(%r13)
    movdqu %xmm5, 80(%r13)
    movdqu %xmm6, 96(%r13)
    movdqu %xmm7, 112(%r13)
    movdqu %xmm8, 128(%r13)
    movdqu %xmm9, 144(%r13)
    movdqu %xmm10, 160(%r13)
    movdqu %xmm11, 176(%r13)
    movdqu %xmm12, 192(%r13)
    movdqu %xmm13, 208(%r13)
    movdqu %xmm14, 224(%r13)
    movdqu %xmm15, 240(%r13)
    fnstcw 324(%r13)
    stmxcsr 320(%r13)
    fstpl 312(%r13)
    fstpl 304(%r13)
    fstpl 296(%r13)
    fstpl 288(%r13)
    fstpl 280(%r13)
    fstpl 272(%r13)
    fstpl 264(%r13)
    fstpl 256(%r13)
    fninit                      /* leave a clean x87 state for compiled code */
    mov $0x1f80, %eax
    mov %eax, (%rsp)
    ldmxcsr (%rsp)

    add $8, %rsp
    pop %r15
    pop %r14
    pop %r13
    pop %r12
    pop %rbx
    pop %rbp
    ret

    .globl fpu_touch_entry, fpu_touch_insn
fpu_touch_entry:
    mov %rdi, %r14
fpu_touch_insn:
    xorps %xmm3, %xmm3
    movq $1, fpu_touch_done(%rip)
3:  mov %r14, %rdi
    mov $-9, %rdx               /* seL4_SysWait */
    xor %r12, %r12
    mov %rsp, %rbx
    syscall
    mov %rbx, %rsp
    jmp 3b

    .section .note.GNU-stack, "", @progbits
