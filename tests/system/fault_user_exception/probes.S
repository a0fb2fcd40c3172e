/* The faulting instructions of the user exception test. */
#include "../common/fault_probe.inc"
    FPROBE ue_div, divq %rcx          /* #DE with RCX = 0 (3 bytes) */
    FPROBE ue_ud2, ud2                /* #UD (2 bytes) */
    FPROBE ue_int3, int3              /* #BP, a trap: the CPU reports the next instruction */
    FPROBE ue_int80, int $0x80        /* a DPL-0 gate: #GP with code (0x80 << 3) | 2 */
    FPROBE ue_in, inb %dx, %al        /* I/O port access from user mode: #GP(0) (1 byte) */
    FPROBE ue_out, outb %al, %dx      /* (1 byte) */
    .section .note.GNU-stack, "", @progbits
