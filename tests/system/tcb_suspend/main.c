/* TCB_Suspend and TCB_Resume (abi §5.3, §1.2 restart semantics): a suspended thread stops
 * and Resume continues it where it stopped; a thread can suspend itself; Resume of a running
 * thread (or of oneself) changes nothing; Resume of a thread blocked in Recv, or suspended
 * while blocked in Recv or Send, re-executes its syscall (the PC stays on the `syscall`
 * instruction), so it blocks again and then receives/sends normally. */
#include <stdio.h>
#include <string.h>
#include <sel4/sel4.h>
#include "../common/check.h"
#include "../common/thread.h"
#include "../common/sched_util.h"

static volatile uint64_t progress;
static volatile int entries, self_suspended_after, recv_count, send_done;
static volatile seL4_Word got_label, got_mr0, got_badge;
static seL4_CPtr ep, reply_obj, self_tcb_of_thread;

static void count_fn(seL4_Word a0, seL4_Word a1)
{
    (void)a0, (void)a1;
    entries++;
    for (uint64_t i = 1;; i++)
        progress = i;
}

static void self_suspend_fn(seL4_Word tcb, seL4_Word a1)
{
    (void)a1;
    seL4_TCB_Suspend(tcb);
    self_suspended_after = 1;
    seL4_TCB_Suspend(tcb);
}

static void receiver_fn(seL4_Word a0, seL4_Word a1)
{
    (void)a0, (void)a1;
    entries++;
    for (;;) {
        seL4_Word badge = 0;
        seL4_MessageInfo_t info = seL4_Recv(ep, &badge, reply_obj);
        got_label = seL4_MessageInfo_get_label(info);
        got_mr0 = seL4_GetMR(0);
        got_badge = badge;
        recv_count++;
    }
}

static void sender_fn(seL4_Word a0, seL4_Word a1)
{
    (void)a0, (void)a1;
    entries++;
    seL4_SetMR(0, 0x5e5e);
    seL4_Send(ep, seL4_MessageInfo_new(33, 0, 0, 1));
    send_done++;
    seL4_TCB_Suspend(self_tcb_of_thread);
}

/* Let the threads at priority 100 run for a while (round robin with the root task). */
static void let_run(uint64_t us)
{
    seL4_TCB_SetPriority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, 100);
    yield_for_us(us);
    seL4_TCB_SetPriority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, 255);
}

static seL4_Word restart_pc(seL4_CPtr tcb)
{
    seL4_UserContext regs;
    seL4_TCB_ReadRegisters(tcb, false, 0, 1, &regs);
    return regs.rip;
}

int main(void)
{
    test_init();
    ep = test_alloc_obj(seL4_EndpointObject, 0);
    reply_obj = test_alloc_obj(seL4_ReplyObject, 0);
    seL4_CPtr root_reply = test_alloc_obj(seL4_ReplyObject, 0);

    /* ---- a suspended thread stops; Resume continues it ---- */
    struct test_thread c = test_thread_new("counter", 100, count_fn, 0, 0, false, true);
    let_run(12000);
    uint64_t p1 = progress;
    CHECK("Suspend of a running thread: NoError", seL4_TCB_Suspend(c.tcb) == seL4_NoError);
    uint64_t p2 = progress;
    let_run(12000);
    CHECK("the thread ran before", p1 > 0);
    CHECK("a suspended thread makes no progress", progress == p2);
    CHECK("Suspend of a suspended thread: NoError", seL4_TCB_Suspend(c.tcb) == seL4_NoError);
    CHECK("Resume: NoError", seL4_TCB_Resume(c.tcb) == seL4_NoError);
    let_run(12000);
    CHECK("after Resume it continues where it stopped (no new entry, progress above the old value)",
          progress > p2 && entries == 1);
    CHECK("Resume of a running thread: NoError, nothing changes", seL4_TCB_Resume(c.tcb) == seL4_NoError);
    let_run(6000);
    CHECK("... it still runs, entered once", entries == 1 && progress > p2);
    CHECK("Resume of oneself: NoError", seL4_TCB_Resume(seL4_CapInitThreadTCB) == seL4_NoError);
    seL4_TCB_Suspend(c.tcb);

    /* ---- a thread suspending itself ---- */
    struct test_thread s = test_thread_new("self-suspender", 200, self_suspend_fn, 0, 0, false, false);
    seL4_UserContext regs;
    seL4_TCB_ReadRegisters(s.tcb, false, 0, 20, &regs);
    regs.rdi = s.tcb;
    seL4_TCB_WriteRegisters(s.tcb, true, 0, 20, &regs);
    let_run(1000);
    CHECK("a thread that suspends itself stops at the Suspend", self_suspended_after == 0);
    seL4_Word pc = restart_pc(s.tcb);
    /* As in seL4 (its issue #870): the invoker was in Restart state, so its restart PC is
     * still the syscall instruction, and a Resume re-executes the Suspend. */
    CHECK("... its restart PC is the syscall instruction of the Suspend", *(volatile uint16_t *)pc == 0x050f);
    seL4_TCB_Resume(s.tcb);
    let_run(1000);
    CHECK("... so Resume re-executes the Suspend: it stops again, same PC",
          self_suspended_after == 0 && restart_pc(s.tcb) == pc);
    seL4_TCB_ReadRegisters(s.tcb, false, 0, 20, &regs);
    regs.rip = pc + 2;
    seL4_TCB_WriteRegisters(s.tcb, true, 0, 20, &regs);
    let_run(1000);
    CHECK("... with the PC moved past it (WriteRegisters + resume) it continues", self_suspended_after == 1);

    /* ---- Resume of a thread blocked in Recv restarts the Recv ---- */
    entries = 0;
    struct test_thread rcv = test_thread_new("receiver", 200, receiver_fn, 0, 0, false, true);
    let_run(1000); /* it runs and blocks in Recv */
    seL4_Word pc1 = restart_pc(rcv.tcb);
    CHECK("the receiver is blocked in Recv: PC on a syscall instruction", *(volatile uint16_t *)pc1 == 0x050f);
    CHECK("Resume of a thread blocked in Recv: NoError", seL4_TCB_Resume(rcv.tcb) == seL4_NoError);
    let_run(1000);
    CHECK("... it re-executes the Recv and blocks again: nothing received, same PC, one entry",
          recv_count == 0 && restart_pc(rcv.tcb) == pc1 && entries == 1);
    seL4_SetMR(0, 0x1234);
    seL4_Send(ep, seL4_MessageInfo_new(7, 0, 0, 1));
    let_run(1000);
    CHECK("... and then receives a Send normally", recv_count == 1 && got_label == 7 && got_mr0 == 0x1234);

    /* Suspended while blocked in Recv: a message sent meanwhile (NBSend) is not received. */
    seL4_TCB_Suspend(rcv.tcb);
    seL4_SetMR(0, 0x1111);
    seL4_NBSend(ep, seL4_MessageInfo_new(8, 0, 0, 1));
    let_run(1000);
    CHECK("a thread suspended in Recv receives nothing", recv_count == 1);
    seL4_TCB_Resume(rcv.tcb);
    let_run(1000);
    CHECK("after Resume it is back in Recv (the dropped NBSend stays lost)", recv_count == 1);
    seL4_SetMR(0, 0x2222);
    seL4_Send(ep, seL4_MessageInfo_new(9, 0, 0, 1));
    let_run(1000);
    CHECK("... and receives the next Send", recv_count == 2 && got_label == 9 && got_mr0 == 0x2222);
    seL4_TCB_Suspend(rcv.tcb);

    /* Suspended while blocked in Send: it leaves the endpoint queue; Resume sends again. */
    entries = 0;
    struct test_thread snd = test_thread_new("sender", 200, sender_fn, 0, 0, false, false);
    self_tcb_of_thread = snd.tcb;
    seL4_TCB_Resume(snd.tcb);
    let_run(1000); /* it blocks in Send: nobody receives */
    CHECK("the sender is blocked in Send", send_done == 0);
    seL4_TCB_Suspend(snd.tcb);
    seL4_Word badge = 99;
    seL4_SetMR(0, 0);
    seL4_MessageInfo_t info = seL4_NBRecv(ep, &badge, root_reply);
    CHECK("after Suspend the endpoint has no sender: NBRecv finds nothing (badge 0)", badge == 0 && send_done == 0);
    seL4_TCB_Resume(snd.tcb);
    let_run(1000);
    CHECK("Resume: the sender re-executes its Send and blocks again", send_done == 0 && entries == 1);
    info = seL4_Recv(ep, &badge, root_reply);
    CHECK("... and the root task receives its message", seL4_MessageInfo_get_label(info) == 33 && seL4_GetMR(0) == 0x5e5e);
    let_run(1000);
    CHECK("... after which the sender goes on", send_done == 1);
    return check_failures;
}
