/* Preemption points for long operations (revoke, delete of big objects, clearing untyped
 * memory). An operation calls preemption_point() between units of work that leave the
 * kernel consistent; when it returns true the operation stops, returns EXCEPTION_PREEMPTED
 * and the thread re-executes its syscall later, continuing where the work stopped. */
#pragma once
#include "types.h"

bool preemption_point(void);

/* Testing: preempt at every Nth preemption point (0 = only for pending interrupts). Set from
 * the kernel command line option test_preempt_every=N. */
extern word_t preempt_test_every;
