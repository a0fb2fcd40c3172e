/* Cairn's demo root task: a greeting and what the kernel told us in BootInfo. */
#include <stdio.h>
#include <sel4/sel4.h>
#include <sel4platsupport/bootinfo.h>

int main(void)
{
    seL4_BootInfo *info = platsupport_get_bootinfo();
    printf("Hello from the root task, running on Cairn!\n");
    printf("BootInfo:\n");
    printf("  nodeID                   %lu\n", (unsigned long)info->nodeID);
    printf("  numNodes                 %lu\n", (unsigned long)info->numNodes);
    printf("  ipcBuffer                %p\n", (void *)info->ipcBuffer);
    printf("  initThreadCNodeSizeBits  %lu (%lu slots)\n", (unsigned long)info->initThreadCNodeSizeBits,
           1ul << info->initThreadCNodeSizeBits);
    printf("  empty slots              [0x%lx, 0x%lx)\n", (unsigned long)info->empty.start,
           (unsigned long)info->empty.end);
    printf("  untypeds                 %lu\n", (unsigned long)(info->untyped.end - info->untyped.start));
    return 0;
}
