/* An unknown syscall number is an UnknownSyscall fault; without a handler it is reported and
 * the thread stops, while the kernel keeps running. */
#include <stdio.h>
#include <sel4/sel4.h>

int main(void)
{
    seL4_DebugNameThread(seL4_CapInitThreadTCB, "bad-syscall");
    printf("about to make syscall -100\n");
    register seL4_Word rdx __asm__("rdx") = (seL4_Word)-100;
    __asm__ volatile("movq %%rsp, %%rbx\n syscall\n movq %%rbx, %%rsp" : "+r"(rdx) : : "rbx", "rcx", "r11", "memory");
    printf("FAIL: the thread went on after an unknown syscall\n");
    return 1;
}
