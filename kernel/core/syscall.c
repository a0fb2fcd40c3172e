/* The syscall entry point: dispatch on the syscall number (abi §1). */
#include "syscall.h"
#include "tcb.h"
#include "sched.h"
#include "invocation.h"
#include "printk.h"
#include "invariants.h"
#include "abi.h"

static void unknown_syscall(tcb_t *t, word_t number)
{
    struct fault f = { .type = seL4_Fault_UnknownSyscall };
    f.unknown_syscall.number = number;
    arch_restart_syscall(&t->ctx); /* FaultIP is the syscall instruction itself */
    handle_fault(t, &f);
}

NORETURN void handle_syscall(word_t number)
{
    tcb_t *t = current_thread;
    switch ((sword_t)number) {
    case seL4_SysCall:
        handle_invocation(true, true);
        break;
    case seL4_SysSend:
        handle_invocation(false, true);
        break;
    case seL4_SysNBSend:
        handle_invocation(false, false);
        break;
    case seL4_SysYield:
        sched_dequeue(t);
        sched_enqueue(t);
        break;
    case seL4_SysReplyRecv:
    case seL4_SysNBSendRecv:
    case seL4_SysNBSendWait:
    case seL4_SysRecv:
    case seL4_SysNBRecv:
    case seL4_SysWait:
    case seL4_SysNBWait:
        user_error("Receiving (syscall %ld) is not implemented in Cairn yet.", (sword_t)number);
        break;
    default:
        if (!handle_debug_syscall(number))
            unknown_syscall(t, number);
    }
    if (invariants_enabled) {
        unsigned n = check_invariants();
        if (n)
            panic("%u kernel invariant violation(s) after syscall %ld", n, (sword_t)number);
    }
    schedule_and_return();
}
