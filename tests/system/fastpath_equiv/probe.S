/* Register probes for the fastpath/slow-path comparison. PROBE name defines
 *   void name(void): load every GPR from name_in[16] (RAX RBX RCX RDX RSI RDI RBP R8..R15,
 *   then RSP unused), execute `syscall`, store every GPR and RSP to name_out[16] straight
 *   away with RIP-relative stores (RFLAGS is 0x246 at the `syscall`), then restore our stack and callee-saved registers;
 *   name_ret is the address right after the `syscall` (the RCX sysretq must give back).
 * One probe per thread: each has its own in/out arrays and saved stack pointer. */
.macro PROBE name
    .text
    .global \name, \name\()_ret
\name:
    pushq %rbx
    pushq %rbp
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    pushq $0x246                        /* known flags at the syscall: IF, ZF, PF */
    popfq
    movq %rsp, \name\()_rsp(%rip)
    movq \name\()_in+0(%rip), %rax
    movq \name\()_in+8(%rip), %rbx
    movq \name\()_in+16(%rip), %rcx
    movq \name\()_in+24(%rip), %rdx
    movq \name\()_in+32(%rip), %rsi
    movq \name\()_in+40(%rip), %rdi
    movq \name\()_in+48(%rip), %rbp
    movq \name\()_in+56(%rip), %r8
    movq \name\()_in+64(%rip), %r9
    movq \name\()_in+72(%rip), %r10
    movq \name\()_in+80(%rip), %r11
    movq \name\()_in+88(%rip), %r12
    movq \name\()_in+96(%rip), %r13
    movq \name\()_in+104(%rip), %r14
    movq \name\()_in+112(%rip), %r15
    syscall
\name\()_ret:
    movq %rax, \name\()_out+0(%rip)
    movq %rbx, \name\()_out+8(%rip)
    movq %rcx, \name\()_out+16(%rip)
    movq %rdx, \name\()_out+24(%rip)
    movq %rsi, \name\()_out+32(%rip)
    movq %rdi, \name\()_out+40(%rip)
    movq %rbp, \name\()_out+48(%rip)
    movq %r8, \name\()_out+56(%rip)
    movq %r9, \name\()_out+64(%rip)
    movq %r10, \name\()_out+72(%rip)
    movq %r11, \name\()_out+80(%rip)
    movq %r12, \name\()_out+88(%rip)
    movq %r13, \name\()_out+96(%rip)
    movq %r14, \name\()_out+104(%rip)
    movq %r15, \name\()_out+112(%rip)
    movq %rsp, \name\()_out+120(%rip)
    movq \name\()_rsp(%rip), %rsp
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %rbp
    popq %rbx
    ret

    .bss
    .balign 8
    .global \name\()_in, \name\()_out
\name\()_in:
    .skip 128
\name\()_out:
    .skip 128
\name\()_rsp:
    .quad 0
.endm

    PROBE caller_probe
    PROBE server_probe
    .section .note.GNU-stack, "", @progbits
