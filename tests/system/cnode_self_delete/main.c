/* The root task deletes the last cap to its own TCB: the thread is destroyed in its own
 * syscall, which never returns; the kernel goes on (idles) without crashing. */
#include <stdio.h>
#include <sel4/sel4.h>
#include <sel4platsupport/bootinfo.h>
#include "../common/check.h"
#include "../common/cnode_helpers.h"

int main(void)
{
    seL4_BootInfo *bi = platsupport_get_bootinfo();
    seL4_CPtr copy = bi->empty.start;
    CHECK("a copy of the TCB cap, then Delete of the copy: still running",
          seL4_CNode_Copy(seL4_CapInitThreadCNode, copy, 64, seL4_CapInitThreadCNode, seL4_CapInitThreadTCB, 64,
                          seL4_AllRights) == 0 &&
              seL4_CNode_Delete(seL4_CapInitThreadCNode, copy, 64) == 0);
    printf("deleting my own TCB now\n");
    seL4_CNode_Delete(seL4_CapInitThreadCNode, seL4_CapInitThreadTCB, 64);
    printf("FAIL: the thread survived the deletion of its TCB\n");
    return 1;
}
