/* Reply objects (MCS) and what deletion needs. */
#pragma once
#include "types.h"

/* The last cap to the reply object is gone: detach the caller or the receiving server. */
void reply_finalise(void *reply);
