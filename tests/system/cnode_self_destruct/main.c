/* The root task destroys its whole CSpace with its own thread: its TCB cap is moved into a
 * CNode C whose only cap is in the root CNode, the root CNode's cap to itself is deleted (the
 * TCB's copy becomes the last one), then the thread deletes its TCB through C. Deleting the
 * TCB deletes its CSpace root, which deletes C, which holds the slot being deleted: a ring.
 * Everything the root task had goes, its mappings too; the kernel goes on (idles). */
#include <stdio.h>
#include <sel4/sel4.h>
#include <sel4platsupport/bootinfo.h>
#include "../common/check.h"
#include "../common/cnode_helpers.h"

#define ROOT seL4_CapInitThreadCNode

int main(void)
{
    seL4_BootInfo *bi = platsupport_get_bootinfo();
    seL4_CPtr c = bi->empty.start;
    CHECK("a CNode C of 4 slots", make(find_untyped(bi, 12), seL4_CapTableObject, 2, c, 1) == 0);
    CHECK("the TCB cap moved into C[0]", seL4_CNode_Move(c, 0, 2, ROOT, seL4_CapInitThreadTCB, 64) == 0 &&
                                             holds(seL4_CapInitThreadTCB, TAG_NULL));
    CHECK("the root CNode's cap to itself deleted", seL4_CNode_Delete(ROOT, ROOT, 64) == 0);
    printf("destroying everything now\n");
    seL4_CNode_Delete(c, 0, 2);
    /* Not reached: printing would fault anyway, the image is unmapped. */
    return 1;
}
