/* simple-default: a simple_t over the root task's seL4_BootInfo (seL4 libsel4simple-default). */
#pragma once

#include <sel4/sel4.h>
#include <simple/simple.h>

/* Fill in simple so that it answers from bi (which must stay mapped). */
void simple_default_init_bootinfo(simple_t *simple, seL4_BootInfo *bi);
