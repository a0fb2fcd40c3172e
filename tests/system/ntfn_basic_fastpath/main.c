/* The ntfn_basic program without check_invariants: Signal takes its fastpath where it applies. */
#include "../ntfn_basic/main.c"
