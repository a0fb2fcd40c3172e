/*
 * Scheduling contexts (MCS). Threads do not run on scheduling contexts yet (the threads
 * issue), so nothing is bound to one and finalising has nothing to undo; in particular,
 * deleting the root task's SC cap (slot 14) does not stop the root thread yet, as it would
 * in seL4. The threads issue must make it unbind the TCB (completing a pending YieldTo), the
 * notification and the reply, and mark the SC inactive (abi §9.2 table).
 */
#include "schedcontext.h"

void sched_context_finalise(void *sc) { (void)sc; }
