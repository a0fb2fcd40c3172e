/* FPU state is per thread (abi §12.1): two threads holding different SSE (xmm0..15, MXCSR)
 * and x87 (8 stack values, control word) states, interleaved by seL4_Yield and by timer
 * preemption, each find their own state intact, as does the root task across a blocking
 * Wait, and across hundreds of Yields to a thread that does not use the FPU (the kernel
 * releases an idle owner's FPU); TCB flag fpuDisabled makes the first SSE instruction a UserException 7 (code 0),
 * reported to a fault handler or, without one, printed by the kernel; cleared, the same
 * instruction runs. */
#include <stdio.h>
#include <string.h>
#include <sel4/sel4.h>
#include "../common/check.h"
#include "../common/thread.h"
#include "../common/sched_util.h"

struct fpu_state {
    uint8_t xmm[16][16];
    double st[8];
    uint32_t mxcsr;
    uint16_t fcw;
    uint16_t pad;
} __attribute__((packed));
_Static_assert(sizeof(struct fpu_state) == 328, "layout shared with fpu.S");

void fpu_run(const struct fpu_state *in, struct fpu_state *out, uint64_t mode, uint64_t arg);
void fpu_touch_entry(void);
extern char fpu_touch_insn[];
volatile uint64_t fpu_touch_done;

static struct fpu_state pattern[3], result[3];
static volatile int ok[3], finished;
static seL4_CPtr root_ntfn, park_ntfn;

static void make_pattern(struct fpu_state *p, unsigned seed)
{
    memset(p, 0, sizeof(*p));
    for (unsigned i = 0; i < 16; i++)
        for (unsigned j = 0; j < 16; j++)
            p->xmm[i][j] = (uint8_t)(seed * 37 + i * 16 + j * 7 + 1);
    for (unsigned i = 0; i < 8; i++)
        p->st[i] = (double)(seed + 1) * 1000.0 + i + 0.25 * (double)seed;
    static const uint32_t mx[3] = { 0x3f80, 0x5f80, 0xdf80 }; /* round down / up / up + FTZ */
    static const uint16_t cw[3] = { 0x077f, 0x0b7f, 0x0f7f }; /* round down / up / toward 0 */
    p->mxcsr = mx[seed % 3];
    p->fcw = cw[seed % 3];
}

static bool same(const struct fpu_state *a, const struct fpu_state *b)
{
    return memcmp(a, b, offsetof(struct fpu_state, pad)) == 0;
}

static void park(void)
{
    seL4_Word b;
    for (;;)
        seL4_Wait(park_ntfn, &b);
}

/* mode 1: Yield `arg` times; mode 0: spin until TSC `arg`. */
static void fpu_thread(seL4_Word id, seL4_Word mode)
{
    uint64_t arg = mode == 1 ? 40 : rdtsc() + us_to_tsc(30000);
    fpu_run(&pattern[id], &result[id], mode, arg);
    ok[id] = same(&pattern[id], &result[id]);
    if (++finished == 2)
        seL4_Signal(root_ntfn);
    park();
}

/* A thread that never touches the FPU: it only yields. */
static void yielder(seL4_Word a0, seL4_Word a1)
{
    (void)a0, (void)a1;
    for (;;)
        seL4_Yield();
}

int main(void)
{
    test_init();
    root_ntfn = test_alloc_obj(seL4_NotificationObject, 0);
    park_ntfn = test_alloc_obj(seL4_NotificationObject, 0);
    seL4_CPtr self = seL4_CapInitThreadTCB;
    seL4_Word b;
    for (unsigned i = 0; i < 3; i++)
        make_pattern(&pattern[i], i);

    /* ---- interleaved by Yield, while the root task holds its own state across a Wait ---- */
    struct test_thread t[2];
    for (int i = 0; i < 2; i++)
        t[i] = test_thread_new("fpu", 100, fpu_thread, (seL4_Word)i, 1, false, true);
    /* The root task loads pattern 2 and blocks in Wait; the two threads run 40 Yields each. */
    fpu_run(&pattern[2], &result[2], 2, root_ntfn);
    CHECK("thread 0's xmm0..15, MXCSR, x87 stack and control word survive 40 Yields to thread 1", ok[0]);
    CHECK("thread 1's state survives 40 Yields to thread 0", ok[1]);
    CHECK("the root task's FPU state survives a blocking Wait while both used the FPU", same(&pattern[2], &result[2]));

    /* ---- the FPU owner switched back to many times without using the FPU: the kernel stops
     * toggling access for it (its state goes back to its TCB), and restores it on next use ---- */
    struct test_thread y = test_thread_new("yielder", 100, yielder, 0, 0, false, true);
    seL4_TCB_SetPriority(self, self, 100);
    fpu_run(&pattern[1], &result[1], 1, 300); /* 300 Yields to the yielder and back */
    seL4_TCB_SetPriority(self, self, 255);
    seL4_TCB_Suspend(y.tcb);
    CHECK("the root task's FPU state survives 300 Yields to a thread that does not use the FPU",
          same(&pattern[1], &result[1]));

    /* ---- interleaved by preemption: 1 ms round-robin budgets, 30 ms of spinning each ---- */
    finished = 0, ok[0] = ok[1] = 0;
    for (int i = 0; i < 2; i++) {
        test_sc_configure(t[i].sc, 1000, 1000);
        seL4_SchedContext_Consumed(t[i].sc);
        test_thread_restart(&t[i], fpu_thread, (seL4_Word)i, 0, true);
    }
    seL4_Wait(root_ntfn, &b);
    uint64_t c0 = seL4_SchedContext_Consumed(t[0].sc).consumed, c1 = seL4_SchedContext_Consumed(t[1].sc).consumed;
    printf("preemption test: the threads consumed %lu us and %lu us\n", (unsigned long)c0, (unsigned long)c1);
    CHECK("the two spinning threads were interleaved (each consumed >= 10 ms of 1 ms turns)",
          c0 >= 10000 && c1 >= 10000);
    CHECK("thread 0's FPU state survives preemption", ok[0]);
    CHECK("thread 1's FPU state survives preemption", ok[1]);

    /* ---- fpuDisabled: UserException 7 to a fault handler ---- */
    seL4_CPtr ep = test_alloc_obj(seL4_EndpointObject, 0), reply = test_alloc_obj(seL4_ReplyObject, 0);
    struct test_thread f = test_thread_new("fpu-off", 100, (void (*)(seL4_Word, seL4_Word))fpu_touch_entry,
                                           park_ntfn, 0, false, false);
    seL4_TCB_SetSchedParams(f.tcb, self, 100, 100, f.sc, ep);
    seL4_TCB_SetFlags_t fl = seL4_TCB_SetFlags(f.tcb, 0, seL4_TCBFlag_fpuDisabled);
    seL4_TCB_Resume(f.tcb);
    seL4_MessageInfo_t info = seL4_Recv(ep, &b, reply);
    CHECK("SetFlags(fpuDisabled) on the thread", fl.error == 0 && fl.flags == seL4_TCBFlag_fpuDisabled);
    CHECK("its first SSE instruction: a UserException fault (label 3, length 5)",
          seL4_MessageInfo_get_label(info) == seL4_Fault_UserException && seL4_MessageInfo_get_length(info) == 5);
    CHECK("... FaultIP = the SSE instruction, Number 7 (#NM), Code 0",
          seL4_GetMR(seL4_UserException_FaultIP) == (seL4_Word)fpu_touch_insn &&
              seL4_GetMR(seL4_UserException_Number) == 7 && seL4_GetMR(seL4_UserException_Code) == 0);
    CHECK("... the instruction did not complete", fpu_touch_done == 0);
    fl = seL4_TCB_SetFlags(f.tcb, seL4_TCBFlag_fpuDisabled, 0);
    seL4_Send(reply, seL4_MessageInfo_new(0, 0, 0, 0)); /* restart it at FaultIP */
    seL4_TCB_SetPriority(self, self, 99);
    seL4_TCB_SetPriority(self, self, 255);
    CHECK("with fpuDisabled cleared and the fault answered, the instruction runs", fl.flags == 0 && fpu_touch_done == 1);
    seL4_TCB_Suspend(f.tcb);

    /* ---- fpuDisabled without a fault handler: the kernel prints the fault ---- */
    fpu_touch_done = 0;
    struct test_thread g = test_thread_new("fpu-off-unhandled", 100, (void (*)(seL4_Word, seL4_Word))fpu_touch_entry,
                                           park_ntfn, 0, false, false);
    seL4_TCB_SetFlags(g.tcb, 0, seL4_TCBFlag_fpuDisabled);
    printf("fpu_touch_insn at %p\n", (void *)fpu_touch_insn);
    seL4_TCB_Resume(g.tcb);
    seL4_TCB_SetPriority(self, self, 99);
    seL4_TCB_SetPriority(self, self, 255);
    CHECK("without a handler the thread stops at the SSE instruction (report on the console)", fpu_touch_done == 0);
    return check_failures;
}
