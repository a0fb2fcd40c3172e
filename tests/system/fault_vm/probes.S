/* The faulting instructions of the VM fault test (RAX holds the address). */
#include "../common/fault_probe.inc"
    FPROBE vm_read, movq (%rax), %rax     /* data read */
    FPROBE vm_write, movq %rbx, (%rax)    /* data write */
    FPROBE vm_fetch, jmp *%rax            /* instruction fetch: faults at the target */
    FPROBE vm_kread, movq (%rax), %rax    /* a read of a kernel (supervisor-only) address */
    .section .note.GNU-stack, "", @progbits
