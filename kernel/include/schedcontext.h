/* Scheduling contexts (MCS) and what deletion needs. */
#pragma once
#include "types.h"

/* The last cap to the scheduling context is gone: unbind everything, mark it inactive. */
void sched_context_finalise(void *sc);
