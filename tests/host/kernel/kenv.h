/*
 * A small kernel world for host tests of capabilities, built in fake physical memory: a
 * root thread whose CSpace is a CNode of 2^KENV_RADIX slots with guard size 64 - radix (so
 * a slot number is a depth-64 cptr, as in the real root CNode), an IPC buffer, and an
 * untyped from which objects are carved the way Retype does. Invocations go through
 * handle_invocation() with the registers and IPC buffer of a real syscall.
 *
 * Header-only (static functions): each tests/host/kernel/test_*.c is its own program.
 */
#pragma once
#include <stdlib.h>
#include <string.h>
#include "fake_arch.h"
#include "preempt.h"
#include "tcb.h"
#include "cspace.h"
#include "syscall.h"
#include "invocation.h"
#include "invariants.h"
#include "boot.h"
#include "abi.h"

#define KENV_RADIX 8
#define KENV_MEM (16ul << 20)
#define KENV_UT_BITS 22 /* the untyped: 4 MiB at fake_phys_base() + 4 MiB */
#define KENV_IPC_VADDR 0x10000000ul

enum { KS_TCB = 1, KS_CNODE = 2, KS_UNTYPED = 3, KS_IRQ_CONTROL = 4, KS_IO_PORT_CONTROL = 7, KS_FREE = 16 };

static tcb_t *kt;     /* the calling thread */
static cte_t *kroot;  /* its root CNode's slots */
static word_t *kipc;  /* its IPC buffer (kernel view) */

static UNUSED paddr_t kenv_base(void) { return fake_phys_base(); }
static UNUSED cte_t *kslot(word_t i) { return &kroot[i]; }
static UNUSED cap_t kcap(word_t i) { return kroot[i].cap; }

static void kenv_init(void)
{
    static bool memory_registered;
    while (tcb_first()) /* a fresh world: forget the previous test's threads */
        tcb_finalise(tcb_first());
    fake_arch_init(KENV_MEM);
    paddr_t p = kenv_base();
    if (!memory_registered) { /* the kernel's own objects below the untyped are boot memory */
        boot_mem_add_ram(p, p + (4ul << 20));
        boot_mem_reserve(p, p + (4ul << 20));
        memory_registered = true;
    }
    kroot = paddr_to_kptr(p);
    kt = paddr_to_kptr(p + 0x4000);
    kipc = paddr_to_kptr(p + 0x5000);
    tcb_init(kt, "root");
    kt->priority = 100;
    cte_insert(NULL, kslot(KS_TCB), cap_thread_new(kt), true, true);
    cte_insert(NULL, kslot(KS_CNODE), cap_cnode_new(kroot, KENV_RADIX, 64 - KENV_RADIX, 0), true, true);
    cte_insert(NULL, kslot(KS_UNTYPED), cap_untyped_new(p + (4ul << 20), KENV_UT_BITS, false, 0), true, true);
    cte_insert(NULL, kslot(KS_IRQ_CONTROL), cap_make(cap_irq_control, 0, 0), true, true);
    cte_insert(NULL, kslot(KS_IO_PORT_CONTROL), cap_make(cap_io_port_control, 0, 0), true, true);
    cte_insert(kslot(KS_CNODE), &kt->cnode[tcb_slot_cspace], kcap(KS_CNODE), false, false);
    cte_insert(NULL, &kt->cnode[tcb_slot_ipc_buffer], cap_frame_new(p + 0x5000, frame_4k, VM_READ | VM_WRITE, false),
               true, true);
    kt->ipc_buffer = KENV_IPC_VADDR;
    current_thread = kt;
    invariants_root = kcap(KS_CNODE);
    preempt_test_every = 0;
    memset(&fake_finalised, 0, sizeof(fake_finalised));
}

/* Carve an object of 2^bits bytes from the untyped, as Retype would, and put its cap
 * (made by `make` from the object's physical address) in root slot `slot`. */
static UNUSED cte_t *kenv_retype(word_t slot, unsigned bits, cap_t (*make)(paddr_t p, void *arg), void *arg)
{
    cte_t *ut = kslot(KS_UNTYPED);
    cap_t u = ut->cap;
    word_t off = ROUND_UP(cap_untyped_free_offset(u), bits);
    if (off + BIT(bits) > BIT(cap_untyped_size_bits(u))) {
        fprintf(stderr, "kenv: the test untyped is full\n");
        abort();
    }
    ut->cap = cap_untyped_new(cap_untyped_paddr(u), cap_untyped_size_bits(u), false, off + BIT(bits));
    cte_insert(ut, kslot(slot), make(cap_untyped_paddr(u) + off, arg), true, true);
    return kslot(slot);
}
static UNUSED cap_t make_endpoint(paddr_t p, void *arg) { return (void)arg, cap_endpoint_new(paddr_to_kptr(p), 0, 0xf); }
static UNUSED cap_t make_notification(paddr_t p, void *arg)
{
    return (void)arg, cap_notification_new(paddr_to_kptr(p), 0, 3);
}
static UNUSED cap_t make_cnode(paddr_t p, void *arg) { return cap_cnode_new(paddr_to_kptr(p), *(unsigned *)arg, 0, 0); }
static UNUSED cap_t make_tcb(paddr_t p, void *arg)
{
    (void)arg;
    tcb_init(paddr_to_kptr(p), "child");
    return cap_thread_new(paddr_to_kptr(p));
}
static UNUSED cap_t make_frame(paddr_t p, void *arg) { return (void)arg, cap_frame_new(p, frame_4k, VM_READ | VM_WRITE, false); }
static UNUSED cap_t make_untyped(paddr_t p, void *arg) { return cap_untyped_new(p, *(unsigned *)arg, false, 0); }

static UNUSED cte_t *new_endpoint(word_t slot) { return kenv_retype(slot, seL4_EndpointBits, make_endpoint, NULL); }
static UNUSED cte_t *new_notification(word_t slot) { return kenv_retype(slot, seL4_NotificationBits, make_notification, NULL); }
static UNUSED cte_t *new_cnode(word_t slot, unsigned radix) { return kenv_retype(slot, radix + seL4_SlotBits, make_cnode, &radix); }
static UNUSED cte_t *new_tcb(word_t slot) { return kenv_retype(slot, seL4_TCBBits, make_tcb, NULL); }
static UNUSED cte_t *new_frame(word_t slot) { return kenv_retype(slot, seL4_PageBits, make_frame, NULL); }
static UNUSED cte_t *new_untyped(word_t slot, unsigned bits) { return kenv_retype(slot, bits, make_untyped, &bits); }

/* ---- invoking caps like a syscall ---- */

static UNUSED word_t *kmr_reg(unsigned i) { return arch_msg_register(&kt->ctx, i); }
static const word_t caps_word = offsetof(seL4_IPCBuffer, caps_or_badges) / sizeof(word_t);

/* One seL4_Call: returns the reply's label, or ~0 if the kernel preempted the operation
 * (the thread would re-execute the syscall). */
static UNUSED word_t kcall_once(word_t cptr, word_t label, word_t length, unsigned ncaps, const word_t *caps,
                         const word_t *mrs)
{
    kt->ctx.rdi = cptr;
    word_t info = seL4_MessageInfo_new(label, 0, ncaps, length).words[0];
    kt->ctx.rsi = info;
    for (unsigned i = 0; i < length && i < seL4_MsgMaxLength; i++) {
        if (i < ARCH_NUM_MSG_REGISTERS)
            *kmr_reg(i) = mrs[i];
        else
            kipc[i + 1] = mrs[i];
    }
    for (unsigned i = 0; i < ncaps; i++)
        kipc[caps_word + i] = caps[i];
    current_thread = kt;
    handle_invocation(kt->ctx.rdi, true, true, false);
    if (kt->ctx.rsi == info)
        return ~0ul;
    return seL4_MessageInfo_get_label((seL4_MessageInfo_t){ .words = { kt->ctx.rsi } });
}

static unsigned kcall_restarts; /* preemptions seen by the last kcall() */

/* seL4_Call, re-executed after each preemption as the real thread would be. */
static UNUSED word_t kcall(word_t cptr, word_t label, word_t length, unsigned ncaps, const word_t *caps, const word_t *mrs)
{
    kcall_restarts = 0;
    for (;;) {
        word_t r = kcall_once(cptr, label, length, ncaps, caps, mrs);
        if (r != ~0ul)
            return r;
        if (++kcall_restarts > 1000000) {
            fprintf(stderr, "kenv: the operation never completes\n");
            abort();
        }
    }
}

/* Reply MR i (error details). */
static UNUSED word_t kmr(unsigned i) { return i < ARCH_NUM_MSG_REGISTERS ? *kmr_reg(i) : kipc[i + 1]; }
static UNUSED word_t kreply_length(void)
{
    return seL4_MessageInfo_get_length((seL4_MessageInfo_t){ .words = { kt->ctx.rsi } });
}

/* The CNode invocations with the root CNode (slot KS_CNODE) as every root. */
static UNUSED word_t cn_slot_op(word_t label, word_t index, word_t depth)
{
    const word_t mr[2] = { index, depth };
    return kcall(KS_CNODE, label, 2, 0, NULL, mr);
}
static UNUSED word_t cn_copy(word_t dest, word_t src, word_t rights)
{
    const word_t mr[5] = { dest, 64, src, 64, rights }, caps[1] = { KS_CNODE };
    return kcall(KS_CNODE, CNodeCopy, 5, 1, caps, mr);
}
static UNUSED word_t cn_mint(word_t dest, word_t src, word_t rights, word_t data)
{
    const word_t mr[6] = { dest, 64, src, 64, rights, data }, caps[1] = { KS_CNODE };
    return kcall(KS_CNODE, CNodeMint, 6, 1, caps, mr);
}
static UNUSED word_t cn_move(word_t dest, word_t src)
{
    const word_t mr[4] = { dest, 64, src, 64 }, caps[1] = { KS_CNODE };
    return kcall(KS_CNODE, CNodeMove, 4, 1, caps, mr);
}
static UNUSED word_t cn_mutate(word_t dest, word_t src, word_t data)
{
    const word_t mr[5] = { dest, 64, src, 64, data }, caps[1] = { KS_CNODE };
    return kcall(KS_CNODE, CNodeMutate, 5, 1, caps, mr);
}
static UNUSED word_t cn_rotate(word_t dest, word_t dest_data, word_t pivot, word_t pivot_data, word_t src)
{
    const word_t mr[8] = { dest, 64, dest_data, pivot, 64, pivot_data, src, 64 }, caps[2] = { KS_CNODE, KS_CNODE };
    return kcall(KS_CNODE, CNodeRotate, 8, 2, caps, mr);
}
static UNUSED word_t cn_delete(word_t slot) { return cn_slot_op(CNodeDelete, slot, 64); }
static UNUSED word_t cn_revoke(word_t slot) { return cn_slot_op(CNodeRevoke, slot, 64); }

/* Quietly check the invariants; print the violations only when there are some. */
static UNUSED unsigned kinvariants(void) { return check_invariants(); }
