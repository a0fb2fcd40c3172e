/* The syscall register convention (abi §1.2), checked register by register from user mode. */
#include <stdio.h>
#include <string.h>
#include <sel4/sel4.h>
#include <sel4platsupport/bootinfo.h>
#include "../common/check.h"

enum { RAX, RBX, RCX, RDX, RSI, RDI, RBP, R8, R9, R10, R11, R12, R13, R14, R15, RSP, NREGS };
static const char *const reg_names[NREGS] = { "rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp", "r8",
                                              "r9", "r10", "r11", "r12", "r13", "r14", "r15", "rsp" };
seL4_Word probe_in[NREGS], probe_out[NREGS];
void abi_probe(void);
extern char abi_probe_return[];

static void load_patterns(seL4_Word syscall, seL4_Word rdi, seL4_Word rsi)
{
    for (int i = 0; i < NREGS; i++)
        probe_in[i] = 0x1111111111111111ul * (seL4_Word)(i + 1) + 0x0102030405060708ul;
    probe_in[RDX] = syscall;
    probe_in[RDI] = rdi;
    probe_in[RSI] = rsi;
}

/* Check that every register in `kept` came back unchanged. */
static void check_preserved(const char *what, const int *kept, int n)
{
    char name[96];
    for (int i = 0; i < n; i++) {
        snprintf(name, sizeof(name), "%s preserves %s", what, reg_names[kept[i]]);
        CHECK(name, probe_out[kept[i]] == probe_in[kept[i]]);
    }
}

static void check_sysret(const char *what)
{
    char name[96];
    snprintf(name, sizeof(name), "%s returns RSP = 0", what);
    CHECK(name, probe_out[RSP] == 0);
    snprintf(name, sizeof(name), "%s returns RCX = the next instruction", what);
    CHECK(name, probe_out[RCX] == (seL4_Word)abi_probe_return);
    snprintf(name, sizeof(name), "%s returns R11 = RFLAGS with IF set", what);
    CHECK(name, (probe_out[R11] & 0x202) == 0x202);
}

int main(void)
{
    static const int all_but_rcx_r11[] = { RAX, RBX, RDX, RSI, RDI, RBP, R8, R9, R10, R12, R13, R14, R15 };
    const int n_all = sizeof(all_but_rcx_r11) / sizeof(all_but_rcx_r11[0]);

    /* A send-type syscall: nothing but RCX, R11 and RSP changes. */
    load_patterns((seL4_Word)seL4_SysDebugPutChar, '.', 0);
    abi_probe();
    printf("\n");
    check_preserved("DebugPutChar", all_but_rcx_r11, n_all);
    check_sysret("DebugPutChar");

    /* DebugCapIdentify: the result in RDI, everything else kept. */
    load_patterns((seL4_Word)seL4_SysDebugCapIdentify, seL4_CapInitThreadCNode, 0);
    abi_probe();
    CHECK("DebugCapIdentify returns the cap type in RDI", probe_out[RDI] == 10);
    static const int not_rdi[] = { RAX, RBX, RDX, RSI, RBP, R8, R9, R10, R12, R13, R14, R15 };
    check_preserved("DebugCapIdentify", not_rdi, sizeof(not_rdi) / sizeof(not_rdi[0]));
    check_sysret("DebugCapIdentify");

    /* seL4_Call on an empty slot: an error reply, InvalidCapability with MR0 = 0 (the invoked
     * cap), badge 0; MR1..MR3 (R8, R9, R15) are not written. */
    seL4_CPtr empty = platsupport_get_bootinfo()->empty.start;
    load_patterns((seL4_Word)seL4_SysCall, empty, seL4_MessageInfo_new(77, 0, 0, 2).words[0]);
    abi_probe();
    seL4_MessageInfo_t reply = { .words = { probe_out[RSI] } };
    CHECK("Call to an empty slot replies InvalidCapability", seL4_MessageInfo_get_label(reply) == seL4_InvalidCapability);
    CHECK("the error reply has length 1", seL4_MessageInfo_get_length(reply) == 1);
    CHECK("the error reply has no caps", seL4_MessageInfo_get_extraCaps(reply) == 0 &&
                                             seL4_MessageInfo_get_capsUnwrapped(reply) == 0);
    CHECK("the error reply's badge (RDI) is 0", probe_out[RDI] == 0);
    CHECK("MR0 (R10) is the invalid cap's index 0", probe_out[R10] == 0);
    static const int call_kept[] = { RAX, RBX, RDX, RBP, R8, R9, R12, R13, R14, R15 };
    check_preserved("Call error reply", call_kept, sizeof(call_kept) / sizeof(call_kept[0]));
    check_sysret("Call");

    /* SetTLSBase under both numbers (-33 since seL4 16.0.0, -32 before). */
    static seL4_Word fake_tls[2];
    seL4_Word old_tls;
    __asm__ volatile("movq %%fs:0, %0" : "=r"(old_tls));
    fake_tls[0] = 0x5eed;
    load_patterns((seL4_Word)seL4_SysSetTLSBase, (seL4_Word)fake_tls, 0);
    abi_probe();
    seL4_Word seen;
    __asm__ volatile("movq %%fs:0, %0" : "=r"(seen));
    seL4_SetTLSBase(old_tls); /* printf's TLS (the IPC buffer pointer) needs the real one back */
    CHECK("SetTLSBase (-33) moves FS base", seen == 0x5eed);
    check_preserved("SetTLSBase", all_but_rcx_r11, n_all);
    fake_tls[0] = 0xbeef;
    load_patterns((seL4_Word)-32, (seL4_Word)fake_tls, 0);
    abi_probe();
    __asm__ volatile("movq %%fs:0, %0" : "=r"(seen));
    seL4_SetTLSBase(old_tls);
    CHECK("SetTLSBase as numbered before seL4 16.0.0 (-32) moves FS base", seen == 0xbeef);
    load_patterns((seL4_Word)seL4_SysSetTLSBase, 0x0000800000000000ul, 0);
    abi_probe();
    __asm__ volatile("movq %%fs:0, %0" : "=r"(seen));
    CHECK("a non-canonical TLS base is ignored", seen == old_tls);
    return 0;
}
