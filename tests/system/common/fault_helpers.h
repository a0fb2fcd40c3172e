/* System-test helpers for fault handling (abi §10.9, §11): threads with a badged fault
 * endpoint, receiving a fault message with every MR, and checking it word for word.
 * Include after check.h and thread.h. */
#pragma once
#include <stdio.h>
#include <stdbool.h>
#include <sel4/sel4.h>

/* seL4_Word raw_syscall(nr, cptr, info, r12, seL4_Word *badge_out): one `syscall` with
 * RDX = nr, RDI = cptr, RSI = info, R12 = r12 (reply cap, or NBSendWait's destination),
 * MR registers 0. Returns RSI afterwards (the MessageInfo received or sent) and stores RDI
 * (the badge) in *badge_out if it is not NULL. raw_syscall_site is the `syscall`
 * instruction itself: the FaultIP of any fault it raises. */
seL4_Word raw_syscall(seL4_Word nr, seL4_Word cptr, seL4_Word info, seL4_Word r12, seL4_Word *badge_out);
extern char raw_syscall_site[];
__asm__(".text\n"
        ".global raw_syscall, raw_syscall_site\n"
        "raw_syscall:\n"
        "    pushq %rbx\n"
        "    pushq %r12\n"
        "    pushq %r15\n"
        "    pushq %r8\n" /* badge_out */
        "    movq %rcx, %r12\n"
        "    movq %rdx, %rax\n"
        "    movq %rdi, %rdx\n"
        "    movq %rsi, %rdi\n"
        "    movq %rax, %rsi\n"
        "    xorl %r10d, %r10d\n"
        "    xorl %r8d, %r8d\n"
        "    xorl %r9d, %r9d\n"
        "    xorl %r15d, %r15d\n"
        "    movq %rsp, %rbx\n"
        "raw_syscall_site:\n"
        "    syscall\n"
        "    movq %rbx, %rsp\n"
        "    popq %r8\n"
        "    testq %r8, %r8\n"
        "    jz 1f\n"
        "    movq %rdi, (%r8)\n"
        "1:  movq %rsi, %rax\n"
        "    popq %r15\n"
        "    popq %r12\n"
        "    popq %rbx\n"
        "    ret\n");

struct fault_msg {
    seL4_Word label, length, badge;
    seL4_Word mr[seL4_MsgMaxLength];
};

/* Receive one message on ep (with reply object reply) and keep all of it. */
static __attribute__((unused)) void fault_recv(seL4_CPtr ep, seL4_CPtr reply, struct fault_msg *m)
{
    seL4_Word badge = 0;
    seL4_MessageInfo_t info = seL4_Recv(ep, &badge, reply);
    m->label = seL4_MessageInfo_get_label(info);
    m->length = seL4_MessageInfo_get_length(info);
    m->badge = badge;
    for (seL4_Word i = 0; i < m->length && i < seL4_MsgMaxLength; i++)
        m->mr[i] = seL4_GetMR(i);
}

/* Is m exactly (label, badge, n MRs equal to want[])? Prints every difference. */
static __attribute__((unused)) bool fault_is(const struct fault_msg *m, seL4_Word label, seL4_Word badge,
                                             seL4_Word n, const seL4_Word *want)
{
    bool ok = true;
    if (m->label != label || m->badge != badge || m->length != n) {
        printf("  got label %lu badge 0x%lx length %lu, expected label %lu badge 0x%lx length %lu\n",
               (unsigned long)m->label, (unsigned long)m->badge, (unsigned long)m->length, (unsigned long)label,
               (unsigned long)badge, (unsigned long)n);
        ok = false;
    }
    for (seL4_Word i = 0; i < n && i < m->length; i++)
        if (m->mr[i] != want[i]) {
            printf("  MR%lu = 0x%lx, expected 0x%lx\n", (unsigned long)i, (unsigned long)m->mr[i],
                   (unsigned long)want[i]);
            ok = false;
        }
    return ok;
}

#define FAULT_IS(m, label, badge, ...)                                                                    \
    ({                                                                                                 \
        const seL4_Word want_[] = { __VA_ARGS__ };                                                     \
        fault_is((m), (label), (badge), sizeof(want_) / sizeof(want_[0]), want_);                      \
    })

/* A badged copy of ep with the given rights, in a new slot of the root CNode. */
static __attribute__((unused)) seL4_CPtr mint_badged(seL4_CPtr ep, seL4_CapRights_t rights, seL4_Word badge)
{
    seL4_CPtr slot = 0;
    cairn_alloc_slot(&test_alloc, &slot);
    seL4_Error e = seL4_CNode_Mint(seL4_CapInitThreadCNode, slot, 64, seL4_CapInitThreadCNode, ep, 64, rights, badge);
    if (e)
        printf("FAIL: minting a cap with badge 0x%lx failed with error %d\n", (unsigned long)badge, (int)e);
    return slot;
}

/* A thread (see test_thread_new) with fault_ep as its fault handler, installed with
 * SetSchedParams; started if start is true. */
static __attribute__((unused)) struct test_thread faulter_new(const char *name, int prio, void (*fn)(seL4_Word, seL4_Word),
                                                              seL4_Word arg0, seL4_Word arg1, seL4_CPtr fault_ep,
                                                              bool start)
{
    struct test_thread t = test_thread_new(name, prio, fn, arg0, arg1, false, false);
    seL4_Error e = seL4_TCB_SetSchedParams(t.tcb, seL4_CapInitThreadTCB, prio, prio, t.sc, fault_ep);
    if (e)
        printf("FAIL: %s: installing the fault handler failed with error %d\n", name, (int)e);
    if (start && (e = seL4_TCB_Resume(t.tcb)))
        printf("FAIL: %s: Resume failed with error %d\n", name, (int)e);
    return t;
}

/* Reply to the thread whose message came in on reply (seL4_Send on the reply object). */
static __attribute__((unused)) void reply_to_fault(seL4_CPtr reply, seL4_Word label, seL4_Word length)
{
    seL4_Send(reply, seL4_MessageInfo_new(label, 0, 0, length));
}

/* The register arrays of a probe made with FPROBE (common/fault_probe.inc). */
enum { P_RAX, P_RBX, P_RCX, P_RDX, P_RSI, P_RDI, P_RBP, P_R8, P_R9, P_R10, P_R11, P_R12, P_R13, P_R14, P_R15,
       P_RSP, P_FLAGS, P_NREGS };
#define FPROBE_DECLARE(n)                                                                                 \
    extern seL4_Word n##_in[P_NREGS], n##_out[P_NREGS], n##_sp;                                         \
    extern char n##_site[], n##_after[];                                                                \
    void n(void)

/* Fill a probe's input registers with a recognisable pattern (RSP unused) and RFLAGS. */
static __attribute__((unused)) void probe_fill(seL4_Word *in, seL4_Word base, seL4_Word flags)
{
    for (int r = 0; r < P_NREGS; r++)
        in[r] = base + 0x0101010101ul * (seL4_Word)(r + 1);
    in[P_FLAGS] = flags;
}
