/* The ntfn_bound program without check_invariants: Signal takes its fastpath where it applies. */
#include "../ntfn_bound/main.c"
