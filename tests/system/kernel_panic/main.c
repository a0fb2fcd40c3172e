/* Never runs: the kernel is booted with test_kernel_fault and must panic before the root
 * task starts (see expect). */
#include <stdio.h>

int main(void)
{
    printf("FAIL: the kernel did not panic\n");
    return 1;
}
