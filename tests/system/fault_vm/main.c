/*
 * VM faults (abi §11, label 6 under MCS): a thread reads, writes and jumps to unmapped
 * addresses and reads a kernel address, with known registers (probes.S). The root task, its
 * fault handler, gets [IP, Addr, PrefetchFault, FSR] with FSR = the x86 page-fault error
 * code's low 5 bits (P 1, W 2, U 4, I/D 16).
 * The handler cannot map pages (no VM invocations yet): a reply only restarts the thread,
 * which faults again with the same message. The handler then emulates the access instead:
 * it reads the thread's registers, sets RIP past the instruction (and RAX, for a load) and
 * writes them back with resume, which ends the fault (or it Suspends the thread first).
 * The I/D bit exists only when EFER.NXE is on. seL4 x86_64 does not turn it on, and neither
 * does Cairn, so an instruction fetch reports PrefetchFault 0 and FSR 4 there, like a read;
 * the handler tells it apart by IP = Addr.
 */
#include <stdio.h>
#include <string.h>
#include <sel4/sel4.h>
#include "../common/check.h"
#include "../common/thread.h"
#include "../common/fault_helpers.h"

FPROBE_DECLARE(vm_read);
FPROBE_DECLARE(vm_write);
FPROBE_DECLARE(vm_fetch);
FPROBE_DECLARE(vm_kread);

#define BADGE 0x7a
#define FLAGS_IN 0xac7ul
#define ADDR_R 0x00007ff000001238ul
#define ADDR_W 0x00007ff000002468ul
#define ADDR_X 0x00007ff000003000ul
#define ADDR_K 0xffffff8000001000ul /* Cairn's kernel window: present, supervisor only */

struct vm_case {
    void (*probe)(void);
    seL4_Word *in, *out, *sp;
    char *after;
    seL4_Word addr;
};
static struct vm_case cases[] = {
    { vm_read, vm_read_in, vm_read_out, &vm_read_sp, vm_read_after, ADDR_R },
    { vm_write, vm_write_in, vm_write_out, &vm_write_sp, vm_write_after, ADDR_W },
    { vm_fetch, vm_fetch_in, vm_fetch_out, &vm_fetch_sp, vm_fetch_after, ADDR_X },
    { vm_kread, vm_kread_in, vm_kread_out, &vm_kread_sp, vm_kread_after, ADDR_K },
};
#define NCASES (sizeof(cases) / sizeof(cases[0]))

static seL4_Word ins[NCASES][P_NREGS], outs[NCASES][P_NREGS];
static volatile unsigned done;
static seL4_CPtr fep, freply, park_ntfn;

static void faulter(seL4_Word a0, seL4_Word a1)
{
    (void)a0, (void)a1;
    for (unsigned i = 0; i < NCASES; i++) {
        probe_fill(ins[i], 0x0a00000000000000ul * (i + 1), FLAGS_IN);
        ins[i][P_RAX] = cases[i].addr;
        memcpy(cases[i].in, ins[i], sizeof(ins[i]));
        cases[i].probe();
        memcpy(outs[i], cases[i].out, sizeof(outs[i]));
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

/* Emulate: move the thread past the instruction (RAX = rax for a load) and resume it. */
static seL4_Error skip_instruction(seL4_CPtr tcb, const char *after, bool set_rax, seL4_Word rax)
{
    seL4_UserContext regs;
    const seL4_Word n = sizeof(regs) / sizeof(seL4_Word);
    seL4_Error e = seL4_TCB_ReadRegisters(tcb, false, 0, n, &regs);
    regs.rip = (seL4_Word)after;
    if (set_rax)
        regs.rax = rax;
    return e | seL4_TCB_WriteRegisters(tcb, true, 0, n, &regs);
}

static bool resumed_intact(unsigned i, seL4_Word rax)
{
    seL4_Word want[P_NREGS];
    memcpy(want, ins[i], sizeof(want));
    want[P_RAX] = rax;
    want[P_RSP] = *cases[i].sp;
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
    struct test_thread t = faulter_new("vm-faulter", 100, faulter, 0, 0, mint_badged(fep, seL4_AllRights, BADGE), true);
    struct fault_msg m;
    seL4_Word badge;
    seL4_Error e;

    /* 1. Read. */
    fault_recv(fep, freply, &m);
    CHECK("read of an unmapped address: VMFault [IP, 0x7ff000001238, 0, FSR 4 (user read, not present)], "
          "label 6, badge 0x7a",
          FAULT_IS(&m, seL4_Fault_VMFault, BADGE, (seL4_Word)vm_read_site, ADDR_R, 0, 4));
    reply_to_fault(freply, 0, 0);
    fault_recv(fep, freply, &m);
    CHECK("a reply restarts the thread, which faults again on the same read",
          FAULT_IS(&m, seL4_Fault_VMFault, BADGE, (seL4_Word)vm_read_site, ADDR_R, 0, 4));
    e = skip_instruction(t.tcb, vm_read_after, true, 0x10ad);
    /* Receiving with the reply object again would stop the faulter if the object still held
     * it (abi §10.5): it must not. */
    badge = 0x1234;
    seL4_NBRecv(fep, &badge, freply);
    let_it_run();
    CHECK("the handler emulates the load (WriteRegisters: RAX 0x10ad, RIP past it, resume): the fault is over "
          "(the reply object is free) and the thread goes on with every other register intact",
          e == seL4_NoError && badge == 0 && done == 1 && resumed_intact(0, 0x10ad));

    /* 2. Write; the handler Suspends the thread, and Resume runs the write again. */
    fault_recv(fep, freply, &m);
    CHECK("write to an unmapped address: VMFault [IP, 0x7ff000002468, 0, FSR 6 (user write, not present)]",
          FAULT_IS(&m, seL4_Fault_VMFault, BADGE, (seL4_Word)vm_write_site, ADDR_W, 0, 6));
    e = seL4_TCB_Suspend(t.tcb);
    let_it_run();
    badge = 0x1234;
    seL4_NBRecv(fep, &badge, freply);
    CHECK("a suspended faulter stays stopped", e == seL4_NoError && done == 1 && badge == 0);
    seL4_TCB_Resume(t.tcb);
    fault_recv(fep, freply, &m);
    CHECK("Resume runs the write again: the same VMFault",
          FAULT_IS(&m, seL4_Fault_VMFault, BADGE, (seL4_Word)vm_write_site, ADDR_W, 0, 6));
    e = skip_instruction(t.tcb, vm_write_after, false, 0);
    let_it_run();
    CHECK("the handler skips the write: the thread goes on with every register intact",
          e == seL4_NoError && done == 2 && resumed_intact(1, ins[1][P_RAX]));

    /* 3. Instruction fetch. */
    fault_recv(fep, freply, &m);
    CHECK("jump to an unmapped address: VMFault [IP = Addr = 0x7ff000003000, PrefetchFault 0, FSR 4] "
          "(no I/D bit without EFER.NXE, as on seL4)",
          FAULT_IS(&m, seL4_Fault_VMFault, BADGE, ADDR_X, ADDR_X, 0, 4));
    reply_to_fault(freply, 0, 0);
    fault_recv(fep, freply, &m);
    CHECK("a reply restarts the thread at the unmapped address: the same fault",
          FAULT_IS(&m, seL4_Fault_VMFault, BADGE, ADDR_X, ADDR_X, 0, 4));
    e = skip_instruction(t.tcb, vm_fetch_after, false, 0);
    let_it_run();
    CHECK("the handler sends it back to the instruction after the jump: it goes on with every register intact",
          e == seL4_NoError && done == 3 && resumed_intact(2, ins[2][P_RAX]));

    /* 4. A kernel address: present, but not for user mode. */
    fault_recv(fep, freply, &m);
    CHECK("read of a kernel address: VMFault [IP, 0xffffff8000001000, 0, FSR 5 (user, present)]",
          FAULT_IS(&m, seL4_Fault_VMFault, BADGE, (seL4_Word)vm_kread_site, ADDR_K, 0, 5));
    e = skip_instruction(t.tcb, vm_kread_after, true, 0);
    let_it_run();
    CHECK("the handler emulates it (RAX 0): the thread goes on", e == seL4_NoError && done == 4 && resumed_intact(3, 0));
    return 0;
}
