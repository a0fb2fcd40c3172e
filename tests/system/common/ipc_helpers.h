/* Helpers for the IPC and notification system tests (on top of thread.h): badged and
 * reduced-rights copies of caps, CSpaces of their own for threads, fault handlers, and a
 * way for the root task (priority 255) to let every lower-priority thread run until it
 * blocks. */
#pragma once
#include "thread.h"

#define ROOT_PRIO 255

/* A new slot of the root CNode holding a copy of src with the given rights and badge. */
static __attribute__((unused)) seL4_CPtr mint_cap(seL4_CPtr src, seL4_CapRights_t rights, seL4_Word badge)
{
    seL4_CPtr slot = 0;
    if (cairn_alloc_slot(&test_alloc, &slot) != seL4_NoError) {
        printf("FAIL: no free slot\n");
        return 0;
    }
    seL4_Error e = seL4_CNode_Mint(seL4_CapInitThreadCNode, slot, seL4_WordBits, seL4_CapInitThreadCNode, src,
                                   seL4_WordBits, rights, badge);
    if (e != seL4_NoError)
        printf("FAIL: minting a copy of cap %lu failed with error %d\n", (unsigned long)src, (int)e);
    return slot;
}

/* Run every thread of higher priority than 0 until all of them block, then go on at
 * ROOT_PRIO again: drop the root task to priority 0 and come back. */
static __attribute__((unused)) void let_others_run(void)
{
    seL4_TCB_SetPriority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, 0);
    seL4_TCB_SetPriority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, ROOT_PRIO);
}

/* A CSpace of its own: a CNode of 2^bits slots, to be used at depth 64 (guard 64 - bits). */
struct cspace {
    seL4_CPtr cnode; /* its cap in the root CNode */
    seL4_Word bits;
};

static __attribute__((unused)) struct cspace cspace_new(seL4_Word bits)
{
    struct cspace cs = { test_alloc_obj(seL4_CapTableObject, bits), bits };
    return cs;
}

/* Put a copy of root-CNode cap src (rights, badge) at index i of the CSpace. */
static __attribute__((unused)) seL4_Error cspace_put(struct cspace cs, seL4_Word i, seL4_CPtr src,
                                                    seL4_CapRights_t rights, seL4_Word badge)
{
    seL4_Error e = seL4_CNode_Mint(cs.cnode, i, cs.bits, seL4_CapInitThreadCNode, src, seL4_WordBits, rights, badge);
    if (e != seL4_NoError)
        printf("FAIL: putting cap %lu at index %lu failed with error %d\n", (unsigned long)src, (unsigned long)i, (int)e);
    return e;
}

/* The CSpace's own CNode cap at index i, with the guard that makes depth-64 cptrs work, so
 * that a thread of that CSpace can name its own slots as receive slots (depth 64). */
static __attribute__((unused)) seL4_Error cspace_put_self(struct cspace cs, seL4_Word i)
{
    seL4_Word guard = seL4_CNode_CapData_new(0, seL4_WordBits - cs.bits).words[0];
    seL4_Error e = seL4_CNode_Mint(cs.cnode, i, cs.bits, seL4_CapInitThreadCNode, cs.cnode, seL4_WordBits,
                                   seL4_AllRights, guard);
    if (e != seL4_NoError)
        printf("FAIL: putting the CNode into itself failed with error %d\n", (int)e);
    return e;
}

/* Move a thread made by test_thread_new into the CSpace (same VSpace and IPC buffer). */
static __attribute__((unused)) seL4_Error thread_use_cspace(struct test_thread *t, struct cspace cs)
{
    seL4_Word guard = seL4_CNode_CapData_new(0, seL4_WordBits - cs.bits).words[0];
    seL4_Error e = seL4_TCB_Configure(t->tcb, cs.cnode, guard, seL4_CapInitThreadVSpace, 0, (seL4_Word)t->ipc,
                                      image_frame_cap(t->ipc));
    if (e != seL4_NoError)
        printf("FAIL: TCB_Configure with a new CSpace failed with error %d\n", (int)e);
    return e;
}

/* Give a thread a fault handler endpoint cap (a root-CNode cptr; null clears it). */
static __attribute__((unused)) seL4_Error thread_set_fault_handler(struct test_thread *t, int prio, seL4_CPtr fault_ep)
{
    seL4_Error e = seL4_TCB_SetSchedParams(t->tcb, seL4_CapInitThreadTCB, prio, prio, t->sc, fault_ep);
    if (e != seL4_NoError)
        printf("FAIL: TCB_SetSchedParams with a fault handler failed with error %d\n", (int)e);
    return e;
}

/* The message registers of the last received message, read into mr[0..n). */
static __attribute__((unused)) void get_mrs(seL4_Word *mr, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        mr[i] = seL4_GetMR((int)i);
}

/* Whether the fault IP points at a syscall instruction (0f 05): a restart PC. */
static __attribute__((unused)) bool is_syscall_insn(seL4_Word ip)
{
    const unsigned char *p = (const unsigned char *)ip;
    return p && p[0] == 0x0f && p[1] == 0x05;
}

/* Block forever (a thread's function must never return). */
static __attribute__((unused)) void park(seL4_CPtr ntfn)
{
    for (;;)
        seL4_Wait(ntfn, NULL);
}
