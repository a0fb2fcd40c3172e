/* cnode_delete's deletions and revokes with a preemption at every 2nd preemption point
 * (qemu_args): each long operation is preempted and its syscall re-executed until done,
 * with the kernel's invariants checked after every syscall. */
#include "../cnode_delete/main.c"
