/*
 * Faults without a fault handler (abi §10.9, §13.3): the kernel prints its report (fault
 * description, thread, restart address, 16 stack words) and leaves the thread Inactive;
 * everything else runs on. Four threads fault in turn (ud2 on a stack of known words, a
 * write to an unmapped address, a Send on a cptr whose guard does not match, a Recv on a
 * TCB cap); after each, another thread still runs and prints. Finally the ud2 thread gets a
 * fault handler and is resumed: it executes the ud2 again, and the handler gets the fault.
 * The report lines are checked by the expect file.
 */
#include <stdio.h>
#include <sel4/sel4.h>
#include "../common/check.h"
#include "../common/thread.h"
#include "../common/fault_helpers.h"

static seL4_Word fake_stack[16] __attribute__((aligned(16)));
static seL4_CPtr go_ntfn, park_ntfn;
static volatile int went_on, other_runs;
extern char nh_ud2_site[];

static void nh_ud2(seL4_Word a0, seL4_Word a1)
{
    (void)a0, (void)a1;
    printf("nh-ud2: about to execute ud2\n");
    __asm__ volatile("movq %0, %%rsp\n"
                     ".global nh_ud2_site\n"
                     "nh_ud2_site: ud2" ::"r"(fake_stack)
                     : "memory");
    went_on = 1;
}

static void nh_vm(seL4_Word a0, seL4_Word a1)
{
    (void)a0, (void)a1;
    printf("nh-vm: about to write to 0x7ff000002468\n");
    *(volatile seL4_Word *)0x7ff000002468ul = 1;
    went_on = 1;
}

static void nh_send(seL4_Word a0, seL4_Word a1)
{
    (void)a0, (void)a1;
    printf("nh-send: about to Send on cptr 0x100000\n");
    raw_syscall((seL4_Word)seL4_SysSend, 1ul << 20, 0, 0, NULL);
    went_on = 1;
}

static void nh_recv(seL4_Word a0, seL4_Word a1)
{
    (void)a0, (void)a1;
    printf("nh-recv: about to Recv on a TCB cap\n");
    raw_syscall((seL4_Word)seL4_SysRecv, seL4_CapInitThreadTCB, 0, 0, NULL);
    went_on = 1;
}

static void other(seL4_Word a0, seL4_Word a1)
{
    (void)a0, (void)a1;
    for (;;) {
        seL4_Word b;
        seL4_Wait(go_ntfn, &b);
        other_runs++;
        printf("other thread: still running after %d unhandled fault(s)\n", other_runs);
    }
}

static void let_them_run(void)
{
    seL4_TCB_SetPriority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, 50);
    seL4_TCB_SetPriority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, 255);
}

int main(void)
{
    test_init();
    for (int i = 0; i < 16; i++)
        fake_stack[i] = i == 3 ? 0 : 0x5a5a5a5a00000000ul | (seL4_Word)i;
    go_ntfn = test_alloc_obj(seL4_NotificationObject, 0);
    park_ntfn = test_alloc_obj(seL4_NotificationObject, 0);
    test_thread_new("other", 90, other, 0, 0, false, true);

    static void (*const faulters[])(seL4_Word, seL4_Word) = { nh_ud2, nh_vm, nh_send, nh_recv };
    static const char *const names[] = { "nh-ud2", "nh-vm", "nh-send", "nh-recv" };
    struct test_thread t[4];
    for (int i = 0; i < 4; i++) {
        t[i] = test_thread_new(names[i], 100, faulters[i], 0, 0, false, true); /* no fault handler */
        let_them_run();                                                         /* it faults */
        seL4_Signal(go_ntfn);
        let_them_run(); /* the other thread prints */
    }
    CHECK("no faulting thread went on past its fault", went_on == 0);
    CHECK("after each of the 4 unhandled faults another thread still ran", other_runs == 4);

    /* The ud2 thread was left Inactive at the ud2: give it a handler and resume it. */
    seL4_CPtr ep = test_alloc_obj(seL4_EndpointObject, 0), reply = test_alloc_obj(seL4_ReplyObject, 0);
    seL4_Error e = seL4_TCB_SetSchedParams(t[0].tcb, seL4_CapInitThreadTCB, 100, 100, t[0].sc,
                                           mint_badged(ep, seL4_AllRights, 0x11));
    e |= seL4_TCB_Resume(t[0].tcb);
    struct fault_msg m;
    fault_recv(ep, reply, &m);
    CHECK("resumed with a fault handler, it executes the same ud2 again: UserException [ud2, its stack, FLAGS, 6, 0]",
          e == seL4_NoError && m.length == seL4_UserException_Length &&
              FAULT_IS(&m, seL4_Fault_UserException, 0x11, (seL4_Word)nh_ud2_site, (seL4_Word)fake_stack,
                       m.mr[seL4_UserException_FLAGS], 6, 0));
    seL4_TCB_Suspend(t[0].tcb);
    return 0;
}
