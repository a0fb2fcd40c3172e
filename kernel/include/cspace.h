/* CSpace addressing (abi §8). */
#pragma once
#include "types.h"
#include "cap.h"
#include "fault.h"

struct tcb;

/* Resolve the top n_bits of cptr starting at the CNode cap root. On success *slot is the slot
 * reached and *bits_left how many bits were not consumed (a non-CNode cap was met first). */
bool resolve_address_bits(cap_t root, word_t cptr, word_t n_bits, cte_t **slot, word_t *bits_left,
                          struct lookup_fault *lf);

/* Syscall-level lookup in a thread's CSpace at depth 64, accepting a partial resolution. */
bool lookup_slot(struct tcb *t, word_t cptr, cte_t **slot, struct lookup_fault *lf);
static inline cap_t lookup_cap_or_null(struct tcb *t, word_t cptr)
{
    cte_t *s;
    struct lookup_fault lf;
    return lookup_slot(t, cptr, &s, &lf) ? s->cap : cap_null_cap();
}

/* Lookup for a CNode-operation argument (destination, source, pivot...): the depth must be
 * consumed exactly. Depth range checks are the caller's. */
bool lookup_slot_exact(cap_t root, word_t index, word_t depth, cte_t **slot, struct lookup_fault *lf);
