/* The faulting instructions: `syscall` with an unknown number, `int $0xa0` (a DPL-3 gate). */
#include "../common/fault_probe.inc"
    FPROBE us_syscall, syscall
    FPROBE us_int, int $0xa0
    .section .note.GNU-stack, "", @progbits
