/* seL4_DebugHalt prints who halted and stops the CPU; QEMU stays up (no crash, no reset). */
#include <stdio.h>
#include <sel4/sel4.h>

int main(void)
{
    seL4_DebugNameThread(seL4_CapInitThreadTCB, "halter");
    printf("halting now\n");
    seL4_DebugHalt();
    printf("FAIL: DebugHalt returned\n");
    return 1;
}
