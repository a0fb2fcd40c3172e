/* reg_dump_entry: a thread entry point that stores every register it starts with, in
 * seL4_UserContext order, into reg_dump[] (rip = its own address; fs_base and gs_base are
 * seen through the words they point at: %fs:0 and %gs:0), then calls reg_dump_done() on a
 * realigned stack with DF clear. */
    .text
    .globl reg_dump_entry
reg_dump_entry:
    mov %rax, reg_dump+24(%rip)
    mov %rbx, reg_dump+32(%rip)
    mov %rcx, reg_dump+40(%rip)
    mov %rdx, reg_dump+48(%rip)
    mov %rsi, reg_dump+56(%rip)
    mov %rdi, reg_dump+64(%rip)
    mov %rbp, reg_dump+72(%rip)
    mov %r8, reg_dump+80(%rip)
    mov %r9, reg_dump+88(%rip)
    mov %r10, reg_dump+96(%rip)
    mov %r11, reg_dump+104(%rip)
    mov %r12, reg_dump+112(%rip)
    mov %r13, reg_dump+120(%rip)
    mov %r14, reg_dump+128(%rip)
    mov %r15, reg_dump+136(%rip)
    mov %rsp, reg_dump+8(%rip)
    pushfq
    pop %rax
    mov %rax, reg_dump+16(%rip)
    mov %fs:0, %rax
    mov %rax, reg_dump+144(%rip)
    mov %gs:0, %rax
    mov %rax, reg_dump+152(%rip)
    lea reg_dump_entry(%rip), %rax
    mov %rax, reg_dump(%rip)
    cld
    and $-16, %rsp
    call reg_dump_done
1:  jmp 1b

    .section .note.GNU-stack, "", @progbits
