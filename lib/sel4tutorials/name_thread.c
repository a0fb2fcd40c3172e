/* libsel4tutorials' helper for naming threads in the kernel's debug output. */
#include <autoconf.h>
#include <sel4/sel4.h>

void name_thread(seL4_CPtr tcb, char *name);

void name_thread(seL4_CPtr tcb, char *name)
{
#ifdef CONFIG_DEBUG_BUILD
    seL4_DebugNameThread(tcb, name);
#else
    (void)tcb;
    (void)name;
#endif
}
