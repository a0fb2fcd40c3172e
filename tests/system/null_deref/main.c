/* A user-mode page fault with no fault handler: the kernel reports it in seL4's format and
 * stops the thread; the kernel itself keeps running (the harness checks QEMU is still up). */
#include <stdio.h>
#include <sel4/sel4.h>

int main(void)
{
    seL4_DebugNameThread(seL4_CapInitThreadTCB, "null-deref");
    printf("about to dereference NULL\n");
    volatile int *p = 0;
    int v = *p;
    printf("FAIL: the thread went on after dereferencing NULL (read %d)\n", v);
    return 1;
}
