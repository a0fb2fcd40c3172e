/* Debug syscalls (abi §13.1): DebugPutChar, DebugNameThread (seen in kernel messages),
 * DebugDumpScheduler, DebugSnapshot, DebugCapIdentify; refusals explained, not fatal. */
#include <stdio.h>
#include <sel4/sel4.h>
#include <sel4platsupport/bootinfo.h>
#include "../common/check.h"

int main(void)
{
    seL4_BootInfo *bi = platsupport_get_bootinfo();
    const char *line = "putchar: one byte at a time\n";
    for (const char *p = line; *p; p++)
        seL4_DebugPutChar(*p);

    /* The kernel names the thread in its messages: invoke an empty slot to get one. */
    seL4_DebugNameThread(seL4_CapInitThreadTCB, "renamed-root");
    seL4_Error err = seL4_CNode_Delete(bi->empty.start, 0, 0);
    CHECK("invoking an empty slot gives InvalidCapability", err == seL4_InvalidCapability);

    /* A name that is not for a TCB: explained and ignored; the thread goes on (the expect
     * file sees the explanation, then the scheduler dump that follows). */
    seL4_DebugNameThread(seL4_CapInitThreadCNode, "not-a-tcb");

    seL4_DebugDumpScheduler();
    seL4_DebugSnapshot();
    CHECK("DebugCapIdentify of an empty slot is 0", seL4_DebugCapIdentify(bi->empty.start) == 0);
    CHECK("DebugCapIdentify of an unresolvable cptr (guard mismatch) is 0", seL4_DebugCapIdentify(~0ul) == 0);
    return 0;
}
