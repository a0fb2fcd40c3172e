/*
 * Root task entry (abi §7.1): RDI = BootInfo address, RSP = 0. Give C a stack and go.
 */
    .text
    .global _start
_start:
    leaq __cairn_root_stack_top(%rip), %rsp
    xorl %ebp, %ebp
    call __cairn_start_root     /* (seL4_BootInfo *) in RDI, untouched */
    ud2

    .bss
    .balign 16
    .global __cairn_root_stack_top
__cairn_root_stack:
    .skip 262144
__cairn_root_stack_top:
