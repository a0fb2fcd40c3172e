/* abi_probe(): load every GPR from probe_in, execute `syscall`, store every GPR to probe_out
 * straight away (RIP-relative, so no register is needed as a base), then restore our stack. */
    .text
    .global abi_probe, abi_probe_return
abi_probe:
    pushq %rbx
    pushq %rbp
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    movq %rsp, probe_saved_rsp(%rip)
    movq probe_in+0(%rip), %rax
    movq probe_in+8(%rip), %rbx
    movq probe_in+16(%rip), %rcx
    movq probe_in+24(%rip), %rdx
    movq probe_in+32(%rip), %rsi
    movq probe_in+40(%rip), %rdi
    movq probe_in+48(%rip), %rbp
    movq probe_in+56(%rip), %r8
    movq probe_in+64(%rip), %r9
    movq probe_in+72(%rip), %r10
    movq probe_in+80(%rip), %r11
    movq probe_in+88(%rip), %r12
    movq probe_in+96(%rip), %r13
    movq probe_in+104(%rip), %r14
    movq probe_in+112(%rip), %r15
    syscall
abi_probe_return:
    movq %rax, probe_out+0(%rip)
    movq %rbx, probe_out+8(%rip)
    movq %rcx, probe_out+16(%rip)
    movq %rdx, probe_out+24(%rip)
    movq %rsi, probe_out+32(%rip)
    movq %rdi, probe_out+40(%rip)
    movq %rbp, probe_out+48(%rip)
    movq %r8, probe_out+56(%rip)
    movq %r9, probe_out+64(%rip)
    movq %r10, probe_out+72(%rip)
    movq %r11, probe_out+80(%rip)
    movq %r12, probe_out+88(%rip)
    movq %r13, probe_out+96(%rip)
    movq %r14, probe_out+104(%rip)
    movq %r15, probe_out+112(%rip)
    movq %rsp, probe_out+120(%rip)
    movq probe_saved_rsp(%rip), %rsp
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %rbp
    popq %rbx
    ret

    .bss
    .balign 8
probe_saved_rsp:
    .quad 0
