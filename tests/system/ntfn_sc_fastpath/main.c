/* The ntfn_sc program without check_invariants: Signal takes its fastpath where it applies. */
#include "../ntfn_sc/main.c"
