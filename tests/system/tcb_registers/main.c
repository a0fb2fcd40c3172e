/* TCB_ReadRegisters, TCB_WriteRegisters and TCB_CopyRegisters (abi §5.3, §12.1): their error
 * paths in the sheet's order with exact error replies, the seL4_UserContext order of all 20
 * registers, rflags/rip/fs/gs sanitisation, a thread started by WriteRegisters running at
 * the new rip with exactly the written registers (the full-restore return path, so rcx and
 * r11 too), the suspend_source / resume_target flags, and the restart PC of a thread blocked
 * in a syscall. */
#include <stdio.h>
#include <string.h>
#include <sel4/sel4.h>
#include "../common/check.h"
#include "../common/thread.h"
#include "../common/sched_util.h"

#define NREGS 20 /* sizeof(seL4_UserContext) / sizeof(seL4_Word) */

void reg_dump_entry(void);
seL4_Word reg_dump[NREGS];
static seL4_CPtr dump_ntfn;
static volatile seL4_Word fs_word = 0xf5f5f5f5f5f5f5f5ul, gs_word = 0x6565656565656565ul;
static volatile uint64_t counter;
static char dump_stack[4096] __attribute__((aligned(16)));

/* Called by reg_dump_entry once the registers are saved: tell the root task, then idle. The
 * thread's fs base is not a TLS block here: only syscalls that need no IPC buffer. */
void reg_dump_done(void)
{
    seL4_Signal(dump_ntfn);
    for (;;)
        seL4_Yield();
}

static void count_fn(seL4_Word a0, seL4_Word a1)
{
    (void)a0, (void)a1;
    for (;;)
        counter++;
}

static void wait_fn(seL4_Word ntfn, seL4_Word a1)
{
    (void)a1;
    seL4_Word badge;
    for (;;)
        seL4_Wait(ntfn, &badge);
}

/* Let threads at priority 100 run for `us` microseconds (round robin with the root task). */
static void let_run(uint64_t us)
{
    seL4_TCB_SetPriority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, 100);
    yield_for_us(us);
    seL4_TCB_SetPriority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, 255);
}

/* A register set for reg_dump_entry: distinct values everywhere, fs/gs at fs_word/gs_word. */
static void dump_context(seL4_UserContext *c, seL4_Word salt)
{
    seL4_Word *w = (seL4_Word *)c;
    for (unsigned i = 0; i < NREGS; i++)
        w[i] = 0x0102030405060708ul * (i + 1) + salt;
    c->rip = (seL4_Word)reg_dump_entry;
    c->rsp = (seL4_Word)(dump_stack + sizeof(dump_stack) - 64);
    c->rflags = 0x8d5 | (1ul << 40); /* CF PF AF ZF SF OF; bit 40 must be dropped */
    c->fs_base = (seL4_Word)&fs_word;
    c->gs_base = (seL4_Word)&gs_word;
}

/* What reg_dump_entry must have seen for context c. */
static bool dump_matches(const seL4_UserContext *c)
{
    const seL4_Word *w = (const seL4_Word *)c;
    for (unsigned i = 0; i < NREGS; i++) {
        seL4_Word want = w[i];
        if (i == 2)
            want = 0xad7; /* sanitised: 0x8d5 | IF | bit 1, bit 40 gone */
        else if (i == 18)
            want = fs_word;
        else if (i == 19)
            want = gs_word;
        if (reg_dump[i] != want) {
            printf("  register %u: got 0x%lx, want 0x%lx\n", i, (unsigned long)reg_dump[i], (unsigned long)want);
            return false;
        }
    }
    return true;
}

int main(void)
{
    test_init();
    printf("TSC: %u MHz\n", tsc_mhz());
    dump_ntfn = test_alloc_obj(seL4_NotificationObject, 0);
    seL4_CPtr ep = test_alloc_obj(seL4_EndpointObject, 0);
    struct test_thread t = test_thread_new("target", 200, count_fn, 0, 0, false, false);
    seL4_CPtr self = seL4_CapInitThreadTCB;
    struct raw_reply r;

    /* ---- ReadRegisters: errors in the sheet's order ---- */
    seL4_Word args[32] = { 0, 3 };
    r = raw_invoke(t.tcb, TCBReadRegisters, 0, NULL, 1, args);
    CHECK("ReadRegisters with 1 word: TruncatedMessage, length 0", is_error0(r, seL4_TruncatedMessage));
    r = raw_invoke(t.tcb, TCBReadRegisters, 0, NULL, 0, args);
    CHECK("ReadRegisters with no words: TruncatedMessage", is_error0(r, seL4_TruncatedMessage));
    args[1] = 0;
    r = raw_invoke(t.tcb, TCBReadRegisters, 0, NULL, 2, args);
    CHECK("ReadRegisters count 0: RangeError(1, 20)", is_range(r, 1, 20));
    args[1] = 21;
    r = raw_invoke(t.tcb, TCBReadRegisters, 0, NULL, 2, args);
    CHECK("ReadRegisters count 21: RangeError(1, 20)", is_range(r, 1, 20));
    args[1] = 0;
    r = raw_invoke(self, TCBReadRegisters, 0, NULL, 2, args);
    CHECK("ReadRegisters of itself with count 0: the range comes first", is_range(r, 1, 20));
    args[1] = 1;
    r = raw_invoke(self, TCBReadRegisters, 0, NULL, 2, args);
    CHECK("ReadRegisters of itself: IllegalOperation", is_error0(r, seL4_IllegalOperation));

    /* ---- WriteRegisters: errors ---- */
    args[0] = 0, args[1] = 6;
    r = raw_invoke(t.tcb, TCBWriteRegisters, 0, NULL, 1, args);
    CHECK("WriteRegisters with 1 word: TruncatedMessage", is_error0(r, seL4_TruncatedMessage));
    r = raw_invoke(t.tcb, TCBWriteRegisters, 0, NULL, 7, args);
    CHECK("WriteRegisters count 6 with 5 values: TruncatedMessage", is_error0(r, seL4_TruncatedMessage));
    r = raw_invoke(self, TCBWriteRegisters, 0, NULL, 3, args);
    CHECK("WriteRegisters of itself, count 6 with 1 value: the length comes first",
          is_error0(r, seL4_TruncatedMessage));
    args[1] = 1;
    r = raw_invoke(self, TCBWriteRegisters, 0, NULL, 3, args);
    CHECK("WriteRegisters of itself: IllegalOperation", is_error0(r, seL4_IllegalOperation));

    /* ---- WriteRegisters then ReadRegisters: the order and the sanitisation ---- */
    seL4_UserContext w, rd;
    seL4_Word *ww = (seL4_Word *)&w, *rw = (seL4_Word *)&rd;
    for (unsigned i = 0; i < NREGS; i++)
        ww[i] = 0x1000 + i * 0x111;
    w.rip = 0x401234;
    w.fs_base = 0x00007fffffffe000ul;
    w.gs_base = 0xffff800000001000ul; /* canonical (upper half): kept */
    w.rflags = ~0ul;
    seL4_Error e = seL4_TCB_WriteRegisters(t.tcb, false, 0, NREGS, &w);
    memset(&rd, 0, sizeof(rd));
    seL4_Error e2 = seL4_TCB_ReadRegisters(t.tcb, false, 0, NREGS, &rd);
    bool same = e == seL4_NoError && e2 == seL4_NoError;
    for (unsigned i = 0; i < NREGS; i++)
        if (i != 2 && rw[i] != ww[i])
            same = false;
    CHECK("20 registers written read back in seL4_UserContext order", same);
    CHECK("rflags ~0 is sanitised to 0xed7 (low 12 bits, IF and bit 1 set; TF, bits 3, 5 clear)",
          rd.rflags == 0xed7);

    w.rflags = 0;
    w.rip = 0x0000800000000000ul; /* non-canonical */
    w.fs_base = 0xffff7ffffffff000ul;
    w.gs_base = 0x1234000000000000ul;
    seL4_TCB_WriteRegisters(t.tcb, false, 0, NREGS, &w);
    seL4_TCB_ReadRegisters(t.tcb, false, 0, NREGS, &rd);
    CHECK("rflags 0 reads back as 0x202", rd.rflags == 0x202);
    CHECK("non-canonical rip, fs_base and gs_base become 0", rd.rip == 0 && rd.fs_base == 0 && rd.gs_base == 0);

    /* A partial read: length = count, in order. */
    w.rip = 0x405000, w.rsp = 0x7000, w.rflags = 0x246;
    seL4_TCB_WriteRegisters(t.tcb, false, 0, NREGS, &w);
    args[0] = 0, args[1] = 3;
    r = raw_invoke(t.tcb, TCBReadRegisters, 0, NULL, 2, args);
    CHECK("ReadRegisters count 3: reply length 3 = rip, rsp, rflags",
          r.label == 0 && r.length == 3 && r.mr[0] == 0x405000 && r.mr[1] == 0x7000 && r.mr[2] == 0x246);

    /* A partial write changes only the first `count` registers. */
    seL4_UserContext part = w;
    part.rip = 0x406000, part.rsp = 0x8000;
    seL4_TCB_WriteRegisters(t.tcb, false, 0, 2, &part);
    seL4_TCB_ReadRegisters(t.tcb, false, 0, NREGS, &rd);
    CHECK("WriteRegisters count 2 writes rip and rsp only",
          rd.rip == 0x406000 && rd.rsp == 0x8000 && rd.rflags == 0x246 && rd.rax == w.rax && rd.r15 == w.r15);

    /* count above 20 (with that many words sent) is clipped to 20. */
    args[0] = 0, args[1] = 25;
    for (unsigned i = 0; i < 25; i++)
        args[2 + i] = 0x5000 + i;
    r = raw_invoke(t.tcb, TCBWriteRegisters, 0, NULL, 27, args);
    seL4_TCB_ReadRegisters(t.tcb, false, 0, NREGS, &rd);
    CHECK("WriteRegisters count 25 with 25 values: success, 20 written",
          r.label == 0 && rd.rip == 0x5000 && rd.rsp == 0x5001 && rd.rflags == 0x202 && rd.rax == 0x5003 &&
              rd.r15 == 0x5011 && rd.fs_base == 0x5012 && rd.gs_base == 0x5013);

    /* ---- a thread started by WriteRegisters(resume) runs at the new rip ---- */
    struct test_thread d = test_thread_new("dumper", 200, count_fn, 0, 0, false, false);
    seL4_UserContext dc;
    dump_context(&dc, 0);
    memset(reg_dump, 0, sizeof(reg_dump));
    e = seL4_TCB_WriteRegisters(d.tcb, true, 0, NREGS, &dc);
    seL4_Word badge;
    seL4_Wait(dump_ntfn, &badge); /* the dumper runs while we wait */
    CHECK("WriteRegisters with resume_target: the thread runs at the new rip", e == 0 && reg_dump[0] == dc.rip);
    CHECK("... with all 20 registers as written (rcx, r11 included; rflags sanitised)", dump_matches(&dc));
    seL4_TCB_Suspend(d.tcb);

    /* ---- a thread blocked in a syscall: rip = the syscall instruction; rewriting it ---- */
    struct test_thread wt = test_thread_new("waiter", 200, wait_fn, test_alloc_obj(seL4_NotificationObject, 0), 0,
                                            false, true);
    seL4_TCB_SetPriority(self, self, 100);
    seL4_TCB_SetPriority(self, self, 255); /* the waiter (200) ran and blocked in seL4_Wait */
    seL4_TCB_ReadRegisters(wt.tcb, false, 0, NREGS, &rd);
    CHECK("ReadRegisters of a thread blocked in Wait: rip is its syscall instruction (0f 05)",
          rd.rip != 0 && *(volatile uint16_t *)rd.rip == 0x050f);
    dump_context(&dc, 0x77);
    memset(reg_dump, 0, sizeof(reg_dump));
    seL4_TCB_WriteRegisters(wt.tcb, true, 0, NREGS, &dc);
    seL4_Wait(dump_ntfn, &badge);
    CHECK("WriteRegisters + resume of a thread blocked in a syscall: it leaves with the written registers",
          dump_matches(&dc));
    seL4_TCB_Suspend(wt.tcb);

    /* ---- ReadRegisters with suspend_source ---- */
    seL4_UserContext cc = { 0 };
    cc.rip = (seL4_Word)count_fn;
    cc.rsp = (seL4_Word)(test_stacks[0] + TEST_STACK_SIZE - 8);
    seL4_TCB_WriteRegisters(t.tcb, false, 0, NREGS, &cc);
    seL4_TCB_SetPriority(t.tcb, self, 100);
    seL4_TCB_Resume(t.tcb);
    let_run(12000);
    uint64_t c1 = counter;
    seL4_TCB_ReadRegisters(t.tcb, true, 0, NREGS, &rd);
    uint64_t c2 = counter;
    let_run(12000);
    CHECK("a counting thread counts", c1 > 0);
    CHECK("ReadRegisters with suspend_source stops it", counter == c2);
    CHECK("... and the rip read is inside its loop", rd.rip >= (seL4_Word)count_fn && rd.rip < (seL4_Word)count_fn + 64);

    /* ---- CopyRegisters ---- */
    struct test_thread src = test_thread_new("source", 200, count_fn, 0, 0, false, false);
    struct test_thread dst = test_thread_new("dest", 200, count_fn, 0, 0, false, false);
    seL4_CPtr caps[1] = { src.tcb };
    args[0] = 0xc;
    r = raw_invoke(dst.tcb, TCBCopyRegisters, 1, caps, 0, args);
    CHECK("CopyRegisters with no words: TruncatedMessage", is_error0(r, seL4_TruncatedMessage));
    r = raw_invoke(dst.tcb, TCBCopyRegisters, 0, caps, 1, args);
    CHECK("CopyRegisters with no cap: TruncatedMessage", is_error0(r, seL4_TruncatedMessage));
    caps[0] = ep;
    r = raw_invoke(dst.tcb, TCBCopyRegisters, 1, caps, 1, args);
    CHECK("CopyRegisters from an endpoint: InvalidCapability(1)", is_invalid_cap(r, 1));

    seL4_UserContext sc, dc0;
    for (unsigned i = 0; i < NREGS; i++)
        ((seL4_Word *)&sc)[i] = 0xa000 + i, ((seL4_Word *)&dc0)[i] = 0xb000 + i;
    sc.rflags = 0x246, dc0.rflags = 0x202;
    seL4_TCB_WriteRegisters(src.tcb, false, 0, NREGS, &sc);
    seL4_TCB_WriteRegisters(dst.tcb, false, 0, NREGS, &dc0);
    e = seL4_TCB_CopyRegisters(dst.tcb, src.tcb, false, false, true, false, 0);
    seL4_TCB_ReadRegisters(dst.tcb, false, 0, NREGS, &rd);
    same = e == seL4_NoError;
    for (unsigned i = 0; i < 18; i++)
        same = same && rw[i] == ((seL4_Word *)&sc)[i];
    CHECK("CopyRegisters transfer_frame: rip..r15 copied", same);
    CHECK("... fs_base and gs_base not", rd.fs_base == 0xb012 && rd.gs_base == 0xb013);
    seL4_TCB_WriteRegisters(dst.tcb, false, 0, NREGS, &dc0);
    e = seL4_TCB_CopyRegisters(dst.tcb, src.tcb, false, false, false, true, 0);
    seL4_TCB_ReadRegisters(dst.tcb, false, 0, NREGS, &rd);
    CHECK("CopyRegisters transfer_integer: fs_base and gs_base copied, nothing else",
          e == 0 && rd.fs_base == 0xa012 && rd.gs_base == 0xa013 && rd.rip == 0xb000 && rd.rax == 0xb003 &&
              rd.r15 == 0xb011);

    /* resume_target: the target runs with the source's registers. */
    dump_context(&dc, 0x99);
    seL4_TCB_WriteRegisters(src.tcb, false, 0, NREGS, &dc);
    memset(reg_dump, 0, sizeof(reg_dump));
    e = seL4_TCB_CopyRegisters(dst.tcb, src.tcb, false, true, true, true, 0);
    seL4_Wait(dump_ntfn, &badge);
    CHECK("CopyRegisters with resume_target: the target runs with the copied registers", e == 0 && dump_matches(&dc));
    seL4_TCB_Suspend(dst.tcb);

    /* suspend_source: a counting source stops. */
    seL4_TCB_WriteRegisters(src.tcb, false, 0, NREGS, &cc);
    seL4_TCB_SetPriority(src.tcb, self, 100);
    seL4_TCB_Resume(src.tcb);
    counter = 0;
    let_run(12000);
    c1 = counter;
    e = seL4_TCB_CopyRegisters(dst.tcb, src.tcb, true, false, false, false, 0);
    c2 = counter;
    let_run(12000);
    CHECK("CopyRegisters with suspend_source stops the source", e == 0 && c1 > 0 && counter == c2);
    return check_failures;
}
