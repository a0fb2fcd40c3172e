/* Helpers over simple_t (the subset of seL4's simple_helpers.h that Cairn provides). */
#pragma once

#include <sel4/sel4.h>
#include <simple/simple.h>

/* 1 if pos is one of the untyped caps simple knows of, else 0. */
int simple_is_untyped_cap(simple_t *simple, seL4_CPtr pos);

/* The largest cptr among the caps simple knows of (slots after it are free). */
seL4_CPtr simple_last_valid_cap(simple_t *simple);
