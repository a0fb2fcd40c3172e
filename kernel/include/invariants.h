/* The kernel's invariants, checked on demand (a debug aid; abi-independent). */
#pragma once
#include "types.h"
#include "cap.h"

/* Set by the kernel command line option check_invariants: check after every syscall and
 * panic on a violation. */
extern bool invariants_enabled;
/* The root task's CNode cap (set at boot): the walk of reachable slots starts there. */
extern cap_t invariants_root;

/* Walk every slot reachable from invariants_root and from the TCBs' own slots (through
 * CNode caps and zombies), check the derivation tree and the objects' memory, print each
 * violation and return how many there were. */
unsigned check_invariants(void);
