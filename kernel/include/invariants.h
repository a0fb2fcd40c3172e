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

/* For arch_check_invariants() (step 6), during a check: report a violation; whether a
 * reachable cap of `type` refers to an object at exactly [base, base + 2^size_bits). */
void invariants_violation(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
bool invariants_object_live(enum cap_type type, paddr_t base, word_t size_bits);
