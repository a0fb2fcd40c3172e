/* Faults: delivered to the thread's fault handler (threads issue), or, without one, reported
 * on the console in seL4's format (abi §13.3) and the thread stops. */
#include "syscall.h"
#include "tcb.h"
#include "printk.h"
#include "sched.h"

static void print_fault(const tcb_t *t, const struct fault *f)
{
    switch (f->type) {
    case seL4_Fault_CapFault:
        kprintf("cap fault in %s phase at address %p\n", f->cap.in_recv_phase ? "receive" : "send",
                (void *)f->cap.addr);
        break;
    case seL4_Fault_UnknownSyscall:
        kprintf("unknown syscall %p\n", (void *)f->unknown_syscall.number);
        break;
    case seL4_Fault_UserException:
        kprintf("user exception %p code %p\n", (void *)f->user_exception.number,
                (void *)f->user_exception.code);
        break;
    case seL4_Fault_VMFault:
        kprintf("vm fault on %s at address %p with status %p\n", f->vm.prefetch ? "code" : "data",
                (void *)f->vm.addr, (void *)f->vm.fsr);
        break;
    default:
        kprintf("fault of type %lu\n", f->type);
    }
    (void)t;
}

static void report_unhandled_fault(tcb_t *t, const struct fault *f)
{
    kprintf("Found thread has no fault handler while trying to handle:\n");
    print_fault(t, f);
    kprintf("in thread %p \"%s\" at address %p\n", (void *)t, t->name,
            (void *)arch_context_ip(&t->ctx));
    kprintf("With stack:\n");
    word_t sp = arch_context_sp(&t->ctx);
    for (unsigned i = 0; i < 16; i++) {
        word_t addr = sp + i * sizeof(word_t), v;
        if (arch_read_user_word(t, addr, &v))
            kprintf("%p: %p\n", (void *)addr, (void *)v);
        else
            kprintf("%p: INVALID\n", (void *)addr);
    }
}

void handle_fault(tcb_t *t, struct fault *f)
{
    report_unhandled_fault(t, f);
    thread_stop(t);
}

void raise_cap_fault(tcb_t *t, word_t addr, bool in_recv_phase, const struct lookup_fault *lf)
{
    struct fault f = { .type = seL4_Fault_CapFault };
    f.cap.addr = addr;
    f.cap.in_recv_phase = in_recv_phase;
    f.cap.lookup = *lf;
    handle_fault(t, &f);
}

NORETURN void handle_user_fault(struct fault *f)
{
    handle_fault(current_thread, f);
    schedule_and_return();
}
