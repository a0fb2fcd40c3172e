/* A process image of the out-of-tree example: packed into the root task's CPIO archive as
 * "hello" (the name of this directory). Its argument is its endpoint's slot. */
#include <stdio.h>
#include <stdlib.h>
#include <sel4/sel4.h>

int main(int argc, char *argv[])
{
    if (argc < 1)
        return 1;
    seL4_CPtr ep = (seL4_CPtr)atol(argv[0]);
    printf("hello: a process of its own, %d argument(s)\n", argc);
    seL4_SetMR(0, 0x1000);
    seL4_MessageInfo_t tag = seL4_Call(ep, seL4_MessageInfo_new(0, 0, 0, 1));
    printf("hello: reply %#lx (%lu word)\n", (unsigned long)seL4_GetMR(0), (unsigned long)seL4_MessageInfo_get_length(tag));
    seL4_Send(ep, seL4_MessageInfo_new(0, 0, 0, 1));
    return 0;
}
