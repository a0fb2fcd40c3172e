/* cspacepath_t: a slot (or a window of slots) in a CSpace, described both as a cap pointer
 * resolved from a root CNode (capPtr/capDepth, for CNode invocations) and as a CNode plus an
 * offset inside it (dest/destDepth/offset, for Untyped_Retype). seL4 libsel4vka interface. */
#pragma once

#include <inttypes.h>
#include <sel4/sel4.h>
#ifdef DEBUG
#include <stdio.h>
#endif

typedef struct _cspacepath_t {
    seL4_CPtr capPtr;    /* the slot, addressed from root */
    seL4_Word capDepth;  /* bits of capPtr to resolve */
    seL4_CNode root;     /* root CNode of the CSpace */
    seL4_Word dest;      /* the CNode holding the slot, addressed from root */
    seL4_Word destDepth; /* bits of dest to resolve */
    seL4_Word offset;    /* index of the slot inside dest */
    seL4_Word window;    /* number of consecutive slots described */
} cspacepath_t;

static inline void cspacepath_swap(cspacepath_t *a, cspacepath_t *b)
{
    cspacepath_t t = *a;
    *a = *b;
    *b = t;
}

/* Prints only when the program is compiled with -DDEBUG (as in seL4). */
static inline void cspacepath_t_print(const cspacepath_t *p)
{
#ifdef DEBUG
    printf("capPtr:     0x%" PRIxPTR "\n", (uintptr_t)p->capPtr);
    printf("capDepth:   0x%" PRIxPTR "\n", (uintptr_t)p->capDepth);
    printf("root:       0x%" PRIxPTR "\n", (uintptr_t)p->root);
    printf("dest:       0x%" PRIxPTR "\n", (uintptr_t)p->dest);
    printf("destDepth:  0x%" PRIxPTR "\n", (uintptr_t)p->destDepth);
    printf("offset:     0x%" PRIxPTR "\n", (uintptr_t)p->offset);
    printf("window:     0x%" PRIxPTR "\n", (uintptr_t)p->window);
#else
    (void)p;
#endif
}
