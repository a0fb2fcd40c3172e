/*
 * UserException faults (abi §11, §12.1, §12.2): a thread executes instructions that raise
 * CPU exceptions, with every register and RFLAGS set to known values (probes.S). The root
 * task, its fault handler, gets [FaultIP, SP, FLAGS, vector, error code] and lets the
 * thread skip the instruction by replying a new FaultIP (label 0). The thread came in
 * through an exception, so it returns through iretq with every register as it was, except
 * those the reply set (FaultIP, SP, FLAGS, sanitised). A reply with label 1 leaves it
 * Inactive; Resume runs the instruction again.
 *   #DE divq by 0 (0), ud2 (#UD, 6), int3 (#BP 3, a trap: FaultIP is the next instruction),
 *   int $0x80 (DPL-0 gate: #GP with code (0x80 << 3) | 2), in and out (#GP 13, code 0:
 *   the TSS I/O bitmap is all ones).
 * The kernel passes the CPU's error code on unchanged. For int $0x80 a real CPU (and KVM)
 * pushes (0x80 << 3) | 2 = 0x402; QEMU's TCG before its fix pushes (0x80 << 4) | 2 = 0x802
 * in 64-bit mode (it scales the vector by the 16-byte gate size): both are accepted.
 */
#include <stdio.h>
#include <string.h>
#include <sel4/sel4.h>
#include "../common/check.h"
#include "../common/thread.h"
#include "../common/fault_helpers.h"

FPROBE_DECLARE(ue_div);
FPROBE_DECLARE(ue_ud2);
FPROBE_DECLARE(ue_int3);
FPROBE_DECLARE(ue_int80);
FPROBE_DECLARE(ue_in);
FPROBE_DECLARE(ue_out);

#define BADGE 0xe0
#define FLAGS_IN 0xac7ul /* CF PF ZF SF OF, IF, bit 1 */
#define FLAGS_DF 0x400ul

struct ue_case {
    const char *what;
    void (*probe)(void);
    seL4_Word *in, *out, *sp;
    char *site, *after;
    seL4_Word number, code, flags;
    bool trap;
};

static struct ue_case cases[] = {
    { "divq by zero: #DE (0)", ue_div, ue_div_in, ue_div_out, &ue_div_sp, ue_div_site, ue_div_after, 0, 0, FLAGS_IN, false },
    { "ud2 (with DF set): #UD (6)", ue_ud2, ue_ud2_in, ue_ud2_out, &ue_ud2_sp, ue_ud2_site, ue_ud2_after, 6, 0,
      FLAGS_IN | FLAGS_DF, false },
    { "int3: #BP (3), FaultIP after it", ue_int3, ue_int3_in, ue_int3_out, &ue_int3_sp, ue_int3_site, ue_int3_after, 3,
      0, FLAGS_IN, true },
    { "int $0x80: #GP (13), code 0x402", ue_int80, ue_int80_in, ue_int80_out, &ue_int80_sp, ue_int80_site,
      ue_int80_after, 13, (0x80 << 3) | 2, FLAGS_IN, false },
    { "in from a port: #GP (13), code 0", ue_in, ue_in_in, ue_in_out, &ue_in_sp, ue_in_site, ue_in_after, 13, 0,
      FLAGS_IN, false },
    { "out to a port: #GP (13), code 0", ue_out, ue_out_in, ue_out_out, &ue_out_sp, ue_out_site, ue_out_after, 13, 0,
      FLAGS_IN, false },
};
#define NCASES (sizeof(cases) / sizeof(cases[0]))

static seL4_Word ins[NCASES][P_NREGS], outs[NCASES][P_NREGS];
static volatile unsigned done;
static seL4_CPtr fep, freply, park_ntfn;

static void faulter(seL4_Word a0, seL4_Word a1)
{
    (void)a0, (void)a1;
    for (unsigned i = 0; i < NCASES; i++) {
        struct ue_case *c = &cases[i];
        probe_fill(ins[i], 0x0100000000000000ul * (i + 1), c->flags);
        ins[i][P_RCX] = 0; /* the divisor */
        ins[i][P_RDX] = 0x3f8 + i;
        memcpy(c->in, ins[i], sizeof(ins[i]));
        c->probe();
        memcpy(outs[i], c->out, sizeof(outs[i]));
        done = i + 1;
    }
    seL4_Word b;
    for (;;)
        seL4_Wait(park_ntfn, &b);
}

static void let_it_run(void)
{
    seL4_TCB_SetPriority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, 50);
    seL4_TCB_SetPriority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, 255);
}

/* Did the thread come back with exactly its own registers, except RSP and RFLAGS? */
static bool resumed_intact(unsigned i, seL4_Word rsp, seL4_Word flags)
{
    seL4_Word want[P_NREGS];
    memcpy(want, ins[i], sizeof(want));
    want[P_RSP] = rsp;
    want[P_FLAGS] = flags;
    bool ok = true;
    for (int r = 0; r < P_NREGS; r++)
        if (outs[i][r] != want[r]) {
            printf("  register %d = 0x%lx, expected 0x%lx\n", r, (unsigned long)outs[i][r], (unsigned long)want[r]);
            ok = false;
        }
    return ok;
}

int main(void)
{
    test_init();
    fep = test_alloc_obj(seL4_EndpointObject, 0);
    freply = test_alloc_obj(seL4_ReplyObject, 0);
    park_ntfn = test_alloc_obj(seL4_NotificationObject, 0);
    struct test_thread t = faulter_new("user-exceptions", 100, faulter, 0, 0, mint_badged(fep, seL4_AllRights, BADGE), true);
    struct fault_msg m;
    char name[200];

    for (unsigned i = 0; i < NCASES; i++) {
        struct ue_case *c = &cases[i];
        fault_recv(fep, freply, &m);
        seL4_Word ip = (seL4_Word)(c->trap ? c->after : c->site);
        snprintf(name, sizeof(name), "%s: UserException [FaultIP, SP, FLAGS 0x%lx, %lu, 0x%lx], badge 0x%x", c->what,
                 (unsigned long)c->flags, (unsigned long)c->number, (unsigned long)c->code, BADGE);
        seL4_Word code = c->code;
        if (c->code == ((0x80 << 3) | 2) && m.length == seL4_UserException_Length && m.mr[4] == ((0x80 << 4) | 2))
            code = m.mr[4]; /* QEMU TCG's encoding, see above */
        CHECK(name, FAULT_IS(&m, seL4_Fault_UserException, BADGE, ip, *c->sp, c->flags, c->number, code));

        if (i == 0) {
            /* All three reply MRs: FaultIP, SP and FLAGS (all ones: sanitised to 0xed7). */
            seL4_SetMR(0, (seL4_Word)c->after);
            seL4_SetMR(1, 0x55550000);
            seL4_SetMR(2, ~0ul);
            reply_to_fault(freply, 0, 3);
            let_it_run();
            CHECK("a 3-word reply [next IP, SP, FLAGS ~0] resumes it after the div with that SP and FLAGS 0xed7, "
                  "every other register intact",
                  done == 1 && resumed_intact(0, 0x55550000, 0xed7));
            continue;
        }
        if (i == 1) {
            reply_to_fault(freply, 1, 0);
            let_it_run();
            seL4_Word badge = 0x1234;
            seL4_NBRecv(fep, &badge, freply);
            CHECK("after a reply with label 1 the thread stays stopped", done == 1 && badge == 0);
            seL4_TCB_Resume(t.tcb);
            fault_recv(fep, freply, &m);
            CHECK("Resume runs the ud2 again: the same fault",
                  FAULT_IS(&m, seL4_Fault_UserException, BADGE, ip, *c->sp, c->flags, c->number, code));
        }
        if (c->trap) {
            reply_to_fault(freply, 0, 0); /* FaultIP is already past the int3 */
        } else {
            seL4_SetMR(0, (seL4_Word)c->after);
            reply_to_fault(freply, 0, 1);
        }
        let_it_run();
        snprintf(name, sizeof(name), "%s: the reply resumes it after the instruction, all registers and RFLAGS intact",
                 c->what);
        CHECK(name, done == i + 1 && resumed_intact(i, *c->sp, c->flags));
    }
    return 0;
}
