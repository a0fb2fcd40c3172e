/*
 * UnknownSyscall faults (abi §1.1, §1.2, §11): a thread executes `syscall` with numbers the
 * kernel does not know, with every register set to a known value (probes.S). The root task,
 * its fault handler, receives all 19 MRs (RAX..R15, FaultIP = the `syscall` instruction,
 * SP, FLAGS, the number) and emulates the call: it replies with label 0, FaultIP + 2 and new
 * register values, and the thread continues after the `syscall` with them. Because the
 * thread entered through `syscall` it returns through sysretq: RCX = the restart PC,
 * R11 = FLAGS (sanitised), RSP = 0, whatever the reply said. A reply with label 1 leaves the
 * thread Inactive at the `syscall`; Resume runs it again.
 * `int $0xa0` (vector >= 158, reachable from user mode) is an UnknownSyscall too, numbered
 * (vector << 24) | (RAX & 0xffffff), with FaultIP at the `int`; it returns through iretq, so
 * RCX, R11 and RSP are the replied ones.
 * Cairn records RCX, R11 and RSP at a `syscall` entry (MR2, MR10, MR16); seL4 leaves them
 * stale there (abi §11), so no seL4 program relies on them.
 */
#include <stdio.h>
#include <string.h>
#include <sel4/sel4.h>
#include "../common/check.h"
#include "../common/thread.h"
#include "../common/fault_helpers.h"

FPROBE_DECLARE(us_syscall);
FPROBE_DECLARE(us_int);

#define FLAGS_IN 0xac7ul /* CF PF ZF SF OF, IF, bit 1 */
#define BADGE 0x5c
#define NUM1 ((seL4_Word)-100)
#define NUM2 ((seL4_Word)-101)
#define INT_RAX 0x12abcdef12345678ul

static seL4_CPtr fep, freply, park_ntfn;
static seL4_Word in1[P_NREGS], out1[P_NREGS], sp1, in2[P_NREGS], out2[P_NREGS], in3[P_NREGS], out3[P_NREGS], sp3;
static volatile int step;

static void faulter(seL4_Word a0, seL4_Word a1)
{
    (void)a0, (void)a1;
    probe_fill(in1, 0x1000000000000000ul, FLAGS_IN);
    in1[P_RDX] = NUM1;
    memcpy(us_syscall_in, in1, sizeof(in1));
    us_syscall();
    memcpy(out1, us_syscall_out, sizeof(out1));
    sp1 = us_syscall_sp;
    step = 1;

    probe_fill(in2, 0x2000000000000000ul, FLAGS_IN);
    in2[P_RDX] = NUM2;
    memcpy(us_syscall_in, in2, sizeof(in2));
    us_syscall();
    memcpy(out2, us_syscall_out, sizeof(out2));
    step = 2;

    probe_fill(in3, 0x3000000000000000ul, FLAGS_IN);
    in3[P_RAX] = INT_RAX;
    memcpy(us_int_in, in3, sizeof(in3));
    us_int();
    memcpy(out3, us_int_out, sizeof(out3));
    sp3 = us_int_sp;
    step = 3;
    seL4_Word b;
    for (;;)
        seL4_Wait(park_ntfn, &b);
}

/* The 19 MRs the handler should get for a fault at site with the given registers. */
static void expected_mrs(seL4_Word *w, const seL4_Word *in, seL4_Word rcx, seL4_Word r11, seL4_Word ip, seL4_Word sp,
                         seL4_Word number)
{
    static const int order[15] = { P_RAX, P_RBX, P_RCX, P_RDX, P_RSI, P_RDI, P_RBP, P_R8,
                                   P_R9,  P_R10, P_R11, P_R12, P_R13, P_R14, P_R15 };
    for (int i = 0; i < 15; i++)
        w[i] = in[order[i]];
    w[seL4_UnknownSyscall_RCX] = rcx;
    w[seL4_UnknownSyscall_R11] = r11;
    w[seL4_UnknownSyscall_FaultIP] = ip;
    w[seL4_UnknownSyscall_SP] = sp;
    w[seL4_UnknownSyscall_FLAGS] = FLAGS_IN;
    w[seL4_UnknownSyscall_Syscall] = number;
}

/* Let the faulter (below us) run until it blocks again. */
static void let_it_run(void)
{
    seL4_TCB_SetPriority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, 50);
    seL4_TCB_SetPriority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, 255);
}

int main(void)
{
    test_init();
    fep = test_alloc_obj(seL4_EndpointObject, 0);
    freply = test_alloc_obj(seL4_ReplyObject, 0);
    park_ntfn = test_alloc_obj(seL4_NotificationObject, 0);
    struct test_thread t = faulter_new("unknown-syscall", 100, faulter, 0, 0, mint_badged(fep, seL4_AllRights, BADGE), true);
    struct fault_msg m;
    seL4_Word want[seL4_UnknownSyscall_Length];

    /* 1. The message, then an emulating reply. */
    fault_recv(fep, freply, &m);
    expected_mrs(want, in1, (seL4_Word)us_syscall_site + 2, FLAGS_IN, (seL4_Word)us_syscall_site, us_syscall_sp, NUM1);
    CHECK("syscall -100: UnknownSyscall, length 19, the handler cap's badge",
          m.label == seL4_Fault_UnknownSyscall && m.length == seL4_UnknownSyscall_Length && m.badge == BADGE);
    CHECK("all 19 MRs: RAX..R15 as loaded (RCX/R11 as the syscall instruction set them), FaultIP = the "
          "syscall instruction, SP, FLAGS 0xac7, MR18 = -100",
          fault_is(&m, seL4_Fault_UnknownSyscall, BADGE, seL4_UnknownSyscall_Length, want));
    seL4_Word reply[18];
    memcpy(reply, m.mr, sizeof(reply));
    reply[seL4_UnknownSyscall_RAX] = 0x600dcafe;
    reply[seL4_UnknownSyscall_RBX] ^= 0xff;
    reply[seL4_UnknownSyscall_RBP] = 0xbeef;
    reply[seL4_UnknownSyscall_R15] = 0x1515;
    reply[seL4_UnknownSyscall_RCX] = 0xbad1;
    reply[seL4_UnknownSyscall_R11] = 0xbad2;
    reply[seL4_UnknownSyscall_SP] = 0xbad3;
    reply[seL4_UnknownSyscall_FaultIP] += 2;
    reply[seL4_UnknownSyscall_FLAGS] = ~0ul;
    for (int i = 0; i < 18; i++)
        seL4_SetMR(i, reply[i]);
    reply_to_fault(freply, 0, 18);
    let_it_run();
    seL4_Word expect_out[P_NREGS];
    memcpy(expect_out, in1, sizeof(expect_out));
    expect_out[P_RAX] = 0x600dcafe;
    expect_out[P_RBX] = in1[P_RBX] ^ 0xff;
    expect_out[P_RBP] = 0xbeef;
    expect_out[P_R15] = 0x1515;
    expect_out[P_RCX] = (seL4_Word)us_syscall_after; /* sysretq: RCX = the restart PC */
    expect_out[P_R11] = 0xed7;                       /* FLAGS ~0 sanitised: low 12 bits, IF, no TF/bits 3, 5 */
    expect_out[P_RSP] = 0;
    expect_out[P_FLAGS] = 0xed7;
    int bad = 0;
    for (int r = 0; r < P_NREGS; r++)
        if (out1[r] != expect_out[r]) {
            printf("  register %d = 0x%lx, expected 0x%lx\n", r, (unsigned long)out1[r], (unsigned long)expect_out[r]);
            bad++;
        }
    CHECK("label-0 reply with FaultIP + 2: the thread continues after the syscall with the replied registers "
          "(RCX = next PC, R11 = RFLAGS = 0xed7, RSP = 0 from sysretq)",
          step >= 1 && bad == 0);

    /* 2. A reply with label 1: the thread stays Inactive; Resume runs the syscall again. */
    fault_recv(fep, freply, &m);
    expected_mrs(want, in2, (seL4_Word)us_syscall_site + 2, FLAGS_IN, (seL4_Word)us_syscall_site, us_syscall_sp, NUM2);
    CHECK("syscall -101: UnknownSyscall with its 19 MRs (MR3 = MR18 = -101)",
          fault_is(&m, seL4_Fault_UnknownSyscall, BADGE, seL4_UnknownSyscall_Length, want));
    reply_to_fault(freply, 1, 0);
    let_it_run();
    seL4_Word badge = 0x1234;
    seL4_NBRecv(fep, &badge, freply);
    CHECK("after a reply with label 1 the thread does not run on (and sends nothing)", step == 1 && badge == 0);
    seL4_TCB_Resume(t.tcb);
    fault_recv(fep, freply, &m);
    /* The restart went through sysretq, which left RSP = 0 at the syscall. */
    expected_mrs(want, in2, (seL4_Word)us_syscall_site + 2, FLAGS_IN, (seL4_Word)us_syscall_site, 0, NUM2);
    CHECK("Resume of the Inactive thread executes the syscall again: the same fault (SP 0 after the sysretq restart)",
          fault_is(&m, seL4_Fault_UnknownSyscall, BADGE, seL4_UnknownSyscall_Length, want));
    seL4_SetMR(seL4_UnknownSyscall_RAX, 0x2222);
    for (int i = 1; i < 16; i++)
        seL4_SetMR(i, m.mr[i]);
    seL4_SetMR(seL4_UnknownSyscall_FaultIP, m.mr[seL4_UnknownSyscall_FaultIP] + 2);
    reply_to_fault(freply, 0, 16); /* RAX..R15 and FaultIP only */
    let_it_run();
    CHECK("a 16-word label-0 reply sets RAX..R15 and FaultIP; RFLAGS stays 0xac7",
          step >= 2 && out2[P_RAX] == 0x2222 && out2[P_RDI] == in2[P_RDI] && out2[P_R14] == in2[P_R14] &&
              out2[P_FLAGS] == FLAGS_IN);

    /* 3. int $0xa0. */
    fault_recv(fep, freply, &m);
    expected_mrs(want, in3, in3[P_RCX], in3[P_R11], (seL4_Word)us_int_site, us_int_sp,
                 (0xa0ul << 24) | (INT_RAX & 0xffffff));
    CHECK("int $0xa0: UnknownSyscall, FaultIP = the int instruction, number (0xa0 << 24) | (RAX & 0xffffff), "
          "RCX and R11 as loaded",
          fault_is(&m, seL4_Fault_UnknownSyscall, BADGE, seL4_UnknownSyscall_Length, want));
    memcpy(reply, m.mr, sizeof(reply));
    reply[seL4_UnknownSyscall_RAX] = 0x3333;
    reply[seL4_UnknownSyscall_RCX] = 0xc1c1;
    reply[seL4_UnknownSyscall_R11] = 0xd1d1;
    reply[seL4_UnknownSyscall_SP] = 0x77770000;
    reply[seL4_UnknownSyscall_FaultIP] += 2;
    reply[seL4_UnknownSyscall_FLAGS] = 0;
    for (int i = 0; i < 18; i++)
        seL4_SetMR(i, reply[i]);
    reply_to_fault(freply, 0, 18);
    let_it_run();
    CHECK("after int, the thread returns through iretq: RCX, R11 and RSP are the replied ones, RFLAGS 0 "
          "sanitised to 0x202",
          step == 3 && out3[P_RAX] == 0x3333 && out3[P_RCX] == 0xc1c1 && out3[P_R11] == 0xd1d1 &&
              out3[P_RSP] == 0x77770000 && out3[P_FLAGS] == 0x202 && out3[P_R12] == in3[P_R12]);
    (void)sp1, (void)sp3;
    return 0;
}
