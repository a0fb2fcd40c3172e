/*
 * Program entry. The root task starts with RSP = 0 and RDI = BootInfo (abi §7.1): give C a
 * stack and go. A process started by a loader starts with RSP at a System V initial stack
 * (argc, argv..., NULL, envp..., NULL, auxv pairs), 16-byte aligned: pass that pointer on
 * and keep the stack (the call leaves RSP 16-byte aligned minus the return address, as the
 * ABI wants at a function's entry).
 */
    .text
    .global _start
    .type _start, @function
_start:
    xorl %ebp, %ebp
    testq %rsp, %rsp
    jnz 1f
    leaq __cairn_root_stack_top(%rip), %rsp
    call __cairn_start_root     /* (seL4_BootInfo *) in RDI, untouched */
    ud2
1:
    movq %rsp, %rdi
    andq $-16, %rsp
    call __cairn_start_process  /* (uintptr_t *initial_stack) */
    ud2

    .bss
    .balign 16
    .global __cairn_root_stack_top
__cairn_root_stack:
    .skip 262144
__cairn_root_stack_top:

    .section .note.GNU-stack, "", @progbits
