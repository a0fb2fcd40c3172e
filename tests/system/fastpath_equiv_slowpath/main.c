/* The fastpath_equiv program with the fastpath switched off (check_invariants): every
 * exchange, the passive server's included, goes through the general path. */
#include "../fastpath_equiv/main.c"
