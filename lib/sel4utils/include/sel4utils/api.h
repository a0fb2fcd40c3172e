/* Small wrappers over the seL4 API (libsel4utils' api.h): CNode guard words, and through
 * mcs_api.h the calls whose form differs between the MCS and the classic kernel. */
#pragma once

#include <sel4/sel4.h>
#include <sel4utils/mcs_api.h>

/* A CNode cap's data word: `guard` of `guard_size` bits. */
static inline seL4_Word api_make_guard_word(seL4_Word guard, seL4_Word guard_size)
{
    return seL4_CNode_CapData_new(guard, guard_size).words[0];
}

/* A zero guard of `guard_size` bits: the usual way to make a single-level CSpace resolve a
 * whole word (guard_size = seL4_WordBits - the CNode's size in bits). */
static inline seL4_Word api_make_guard_skip_word(seL4_Word guard_size)
{
    return api_make_guard_word(0, guard_size);
}
