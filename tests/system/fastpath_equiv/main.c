/*
 * The fastpath and the general path must give the same result (DESIGN §2, abi §1.2, §10.5).
 * The same 25 Call/ReplyRecv exchanges (0..4 message words each way, labels up to 52 bits,
 * badges 0, small, large and all-ones, a Write+GrantReply cap) run twice:
 *   run 0: a passive server (no SC of its own): Call and ReplyRecv take the fastpath;
 *   run 1: an active server with its own SC: both go through the general path.
 * An assembly probe (probe.S) loads every register before the `syscall` and stores every
 * register right after it, in the caller (the root task) and in the server thread. Every
 * register each side sees is checked against the ABI (received MRs up to the length, the
 * receiver's own values in the MR registers past it, badge, MessageInfo, preserved registers,
 * RCX = return address, R11 = RFLAGS, RSP = 0), and the two runs are compared register by
 * register. Each server has its own one-level CSpace with the endpoint and reply in the same
 * slots, so that the two runs load identical values.
 * tests/system/fastpath_equiv_slowpath runs this same program with the fastpath switched off.
 */
#include <stdio.h>
#include <string.h>
#include <sel4/sel4.h>
#include "../common/check.h"
#include "../common/thread.h"

enum { RAX, RBX, RCX, RDX, RSI, RDI, RBP, R8, R9, R10, R11, R12, R13, R14, R15, RSP, NREGS };
static const char *const reg_names[NREGS] = { "rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp", "r8",
                                              "r9", "r10", "r11", "r12", "r13", "r14", "r15", "rsp" };
static const int mr_reg[4] = { R10, R8, R9, R15 }; /* MR0..MR3 */

extern seL4_Word caller_probe_in[NREGS], caller_probe_out[NREGS];
extern seL4_Word server_probe_in[NREGS], server_probe_out[NREGS];
extern char caller_probe_ret[], server_probe_ret[];
void caller_probe(void);
void server_probe(void);

#define NSCEN 25
#define NRUNS 2
#define FLAGS_AT_SYSCALL 0x246ul /* what probe.S loads into RFLAGS */
#define SERVER_EP 1              /* slots in each server's own CNode */
#define SERVER_REPLY 2
#define SERVER_CNODE_BITS 4

static const seL4_Word labels[4] = { 0, 1, 0x12345, (1ul << 52) - 1 };
static const seL4_Word badges[5] = { 0, 1, 0xbadc0ffee0ddf00dul, ~0ul, 0x42 };
static const char *const run_names[NRUNS] = { "passive server", "active server" };

struct scenario {
    unsigned cap; /* index into badges[] / the caller's caps */
    seL4_Word label, len, rlabel, rlen;
};
static struct scenario scen[NSCEN];

/* What each side loaded and saw: [run][exchange][register]. */
static seL4_Word caller_in[NRUNS][NSCEN][NREGS], caller_out[NRUNS][NSCEN][NREGS];
static seL4_Word server_in[NRUNS][NSCEN][NREGS], server_out[NRUNS][NSCEN][NREGS];
static seL4_CPtr caller_caps[NRUNS][5];

static seL4_Word call_mr(unsigned i, unsigned k) { return 0x1100000000000000ul + i * 0x100 + k; }
static seL4_Word reply_mr(unsigned i, unsigned k) { return 0x2200000000000000ul + i * 0x100 + k; }

static void fill_pattern(seL4_Word *regs, seL4_Word base, unsigned i)
{
    for (int r = 0; r < NREGS; r++)
        regs[r] = base | ((seL4_Word)i << 16) | (seL4_Word)r;
}

/* The server: Recv, then ReplyRecv for each exchange. Syscall s returns with call s, so
 * server_out[s] is what call s delivered; the loads for syscall s are server_in[s]. */
static void server(seL4_Word run, seL4_Word unused)
{
    (void)unused;
    for (unsigned s = 0; s < NSCEN; s++) {
        seL4_Word *in = server_in[run][s];
        fill_pattern(in, 0x5e00000000000000ul, s);
        in[RDI] = SERVER_EP;
        in[R12] = SERVER_REPLY;
        if (s == 0) {
            in[RDX] = (seL4_Word)seL4_SysRecv;
        } else {
            const struct scenario *p = &scen[s - 1]; /* reply to the previous call */
            in[RDX] = (seL4_Word)seL4_SysReplyRecv;
            in[RSI] = seL4_MessageInfo_new(p->rlabel, 0, 0, p->rlen).words[0];
            for (unsigned k = 0; k < 4; k++)
                in[mr_reg[k]] = reply_mr(s - 1, k); /* also past the length */
        }
        memcpy(server_probe_in, in, sizeof(server_probe_in));
        server_probe();
        memcpy(server_out[run][s], server_probe_out, sizeof(server_probe_out));
    }
    /* Reply to the last call and wait for ever. */
    const struct scenario *p = &scen[NSCEN - 1];
    for (unsigned k = 0; k < 4; k++)
        seL4_SetMR(k, reply_mr(NSCEN - 1, k));
    seL4_Word badge;
    seL4_ReplyRecv(SERVER_EP, seL4_MessageInfo_new(p->rlabel, 0, 0, p->rlen), &badge, SERVER_REPLY);
    for (;;)
        seL4_Recv(SERVER_EP, &badge, SERVER_REPLY);
}

static void caller(unsigned run)
{
    for (unsigned i = 0; i < NSCEN; i++) {
        const struct scenario *p = &scen[i];
        seL4_Word *in = caller_in[run][i];
        fill_pattern(in, 0xca00000000000000ul, i);
        in[RDX] = (seL4_Word)seL4_SysCall;
        in[RDI] = caller_caps[run][p->cap];
        in[RSI] = seL4_MessageInfo_new(p->label, 0, 0, p->len).words[0];
        for (unsigned k = 0; k < 4; k++)
            in[mr_reg[k]] = call_mr(i, k);
        memcpy(caller_probe_in, in, sizeof(caller_probe_in));
        caller_probe();
        memcpy(caller_out[run][i], caller_probe_out, sizeof(caller_probe_out));
    }
}

/* What the ABI says the receiver of a message sees: its own registers, except the badge,
 * the MessageInfo and the MRs up to the length; RCX/R11/RSP from sysretq. */
static void model(seL4_Word *want, const seL4_Word *own, seL4_Word badge, seL4_Word label, seL4_Word len,
                  const seL4_Word *sent, seL4_Word ret)
{
    memcpy(want, own, NREGS * sizeof(seL4_Word));
    want[RDI] = badge;
    want[RSI] = seL4_MessageInfo_new(label, 0, 0, len).words[0];
    for (unsigned k = 0; k < len; k++)
        want[mr_reg[k]] = sent[mr_reg[k]];
    want[RCX] = ret;
    want[R11] = FLAGS_AT_SYSCALL;
    want[RSP] = 0;
}

static unsigned compare(const char *run, const char *side, unsigned i, const seL4_Word *got, const seL4_Word *want)
{
    unsigned bad = 0;
    for (int r = 0; r < NREGS; r++)
        if (got[r] != want[r]) {
            printf("  %s, exchange %u, %s: %s = 0x%lx, expected 0x%lx\n", run, i, side, reg_names[r],
                   (unsigned long)got[r], (unsigned long)want[r]);
            bad++;
        }
    return bad;
}

static void run_once(unsigned run, seL4_CPtr ep, seL4_CPtr reply, bool passive)
{
    /* The server's own CSpace: a 16-slot CNode with a 60-bit guard, ep and reply at 1 and 2. */
    seL4_CPtr cnode = test_alloc_obj(seL4_CapTableObject, SERVER_CNODE_BITS);
    seL4_Error e = seL4_CNode_Copy(cnode, SERVER_EP, SERVER_CNODE_BITS, seL4_CapInitThreadCNode, ep, 64, seL4_AllRights);
    e |= seL4_CNode_Copy(cnode, SERVER_REPLY, SERVER_CNODE_BITS, seL4_CapInitThreadCNode, reply, 64, seL4_AllRights);
    struct test_thread s = test_thread_new(passive ? "server-passive" : "server-active", 200, server, run, 0, false, false);
    e |= seL4_TCB_SetSpace(s.tcb, seL4_CapNull, cnode, seL4_CNode_CapData_new(0, 64 - SERVER_CNODE_BITS).words[0],
                           seL4_CapInitThreadVSpace, 0);
    e |= seL4_TCB_Resume(s.tcb); /* it runs (priority 200 > ours) to its Recv */
    if (passive)
        e |= seL4_SchedContext_UnbindObject(s.sc, s.tcb);
    if (e)
        printf("FAIL: setting up the %s failed\n", run_names[run]);

    /* The caller's caps: the original (badge 0) and badged copies. */
    caller_caps[run][0] = ep;
    for (unsigned b = 1; b < 5; b++) {
        seL4_CPtr slot;
        cairn_alloc_slot(&test_alloc, &slot);
        seL4_CapRights_t rights = b == 4 ? seL4_CapRights_new(1, 0, 0, 1) /* Write + GrantReply */ : seL4_AllRights;
        if (seL4_CNode_Mint(seL4_CapInitThreadCNode, slot, 64, seL4_CapInitThreadCNode, ep, 64, rights, badges[b]))
            printf("FAIL: minting badge 0x%lx failed\n", (unsigned long)badges[b]);
        caller_caps[run][b] = slot;
    }
    caller(run);
}

int main(void)
{
    test_init();
    /* Below the servers, so that a server runs to its Recv as soon as it is resumed. */
    seL4_TCB_SetPriority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, 100);
    for (unsigned i = 0; i < NSCEN; i++) {
        scen[i].cap = i / 5;
        scen[i].len = i % 5;
        scen[i].label = labels[(i + i / 5) % 4];
        scen[i].rlen = (i * 3 + 1) % 5;
        scen[i].rlabel = labels[(i + 2) % 4] ^ (i << 4);
    }
    for (unsigned run = 0; run < NRUNS; run++) {
        seL4_CPtr ep = test_alloc_obj(seL4_EndpointObject, 0), reply = test_alloc_obj(seL4_ReplyObject, 0);
        run_once(run, ep, reply, run == 0);
    }

    /* Each run against the ABI. */
    char name[160];
    for (unsigned run = 0; run < NRUNS; run++) {
        unsigned bad_server = 0, bad_caller = 0;
        for (unsigned i = 0; i < NSCEN; i++) {
            const struct scenario *p = &scen[i];
            seL4_Word want[NREGS];
            model(want, server_in[run][i], badges[p->cap], p->label, p->len, caller_in[run][i],
                  (seL4_Word)server_probe_ret);
            bad_server += compare(run_names[run], "server", i, server_out[run][i], want);
            model(want, caller_in[run][i], 0, p->rlabel, p->rlen, server_in[run][i + 1 < NSCEN ? i + 1 : i],
                  (seL4_Word)caller_probe_ret);
            if (i + 1 == NSCEN) { /* the last reply's MRs came from seL4_SetMR, not the probe */
                for (unsigned k = 0; k < p->rlen; k++)
                    want[mr_reg[k]] = reply_mr(i, k);
            }
            bad_caller += compare(run_names[run], "caller", i, caller_out[run][i], want);
        }
        snprintf(name, sizeof(name), "%s: the server sees exactly the ABI's registers after each of %d receives",
                 run_names[run], NSCEN);
        CHECK(name, bad_server == 0);
        snprintf(name, sizeof(name), "%s: the caller sees exactly the ABI's registers after each of %d calls",
                 run_names[run], NSCEN);
        CHECK(name, bad_caller == 0);
    }

    /* The two runs against each other, exchange by exchange. */
    for (unsigned i = 0; i < NSCEN; i++) {
        const struct scenario *p = &scen[i];
        unsigned bad = 0;
        for (int r = 0; r < NREGS; r++) {
            if (server_out[0][i][r] != server_out[1][i][r]) {
                printf("  exchange %u: server %s differs: 0x%lx (passive) vs 0x%lx (active)\n", i, reg_names[r],
                       (unsigned long)server_out[0][i][r], (unsigned long)server_out[1][i][r]);
                bad++;
            }
            if (caller_out[0][i][r] != caller_out[1][i][r]) {
                printf("  exchange %u: caller %s differs: 0x%lx (passive) vs 0x%lx (active)\n", i, reg_names[r],
                       (unsigned long)caller_out[0][i][r], (unsigned long)caller_out[1][i][r]);
                bad++;
            }
        }
        snprintf(name, sizeof(name),
                 "exchange %u (call: %lu words, label 0x%lx, badge 0x%lx; reply: %lu words, label 0x%lx): "
                 "both paths give identical registers",
                 i, (unsigned long)p->len, (unsigned long)p->label, (unsigned long)badges[p->cap],
                 (unsigned long)p->rlen, (unsigned long)p->rlabel);
        CHECK(name, bad == 0);
    }
    return 0;
}
