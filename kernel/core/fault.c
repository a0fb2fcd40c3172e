/* Faults: sent as a message to the fault handler endpoint cap in the thread's TCB slot 3
 * (timeout faults: slot 4), or, without one, reported on the console in seL4's format
 * (abi §13.3) and the thread becomes Inactive (abi §10.9, §11). */
#include "syscall.h"
#include "tcb.h"
#include "endpoint.h"
#include "schedcontext.h"
#include "printk.h"
#include "sched.h"
#include "abi.h"

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
    case seL4_Fault_Timeout:
        kprintf("Timeout fault for %p\n", (void *)(t->sc ? t->sc->badge : 0));
        break;
    default:
        kprintf("fault of type %lu\n", f->type);
    }
}

static void report_unhandled_fault(tcb_t *t, const struct fault *f)
{
    kprintf("Found thread has no fault handler while trying to handle:\n");
    print_fault(t, f);
    kprintf("in thread %p \"%s\" at address %p\n", (void *)t, t->name, (void *)arch_context_ip(&t->ctx));
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

static bool valid_handler(cap_t c)
{
    unsigned r = cap_rights(c);
    return cap_get_type(c) == cap_endpoint && (r & seL4_CanWrite.words[0]) &&
           (r & (seL4_CanGrant.words[0] | seL4_CanGrantReply.words[0]));
}

/* Send the fault as a Call on the handler endpoint (the handler's reply resumes the thread). */
static void send_fault(tcb_t *t, cap_t handler, const struct fault *f, bool can_donate)
{
    t->fault = *f;
    unsigned r = cap_rights(handler);
    send_ipc(t, true, true, cap_badge(handler), r & seL4_CanGrant.words[0], r & seL4_CanGrantReply.words[0],
             can_donate, cap_ptr(handler));
}

void handle_fault(tcb_t *t, struct fault *f)
{
    cap_t handler = t->cnode[tcb_slot_fault_handler].cap;
    if (valid_handler(handler)) {
        send_fault(t, handler, f, true);
        return;
    }
    report_unhandled_fault(t, f);
    set_thread_state(t, thread_inactive);
}

void raise_cap_fault(tcb_t *t, word_t addr, bool in_recv_phase, const struct lookup_fault *lf)
{
    struct fault f = { .type = seL4_Fault_CapFault };
    f.cap.addr = addr;
    f.cap.in_recv_phase = in_recv_phase;
    f.cap.lookup = *lf;
    handle_fault(t, &f);
}

bool thread_has_timeout_handler(const tcb_t *t) { return valid_handler(t->cnode[tcb_slot_timeout_handler].cap); }

void raise_timeout_fault(tcb_t *t)
{
    struct fault f = { .type = seL4_Fault_Timeout };
    send_fault(t, t->cnode[tcb_slot_timeout_handler].cap, &f, false);
}

NORETURN void handle_user_fault(struct fault *f)
{
    sched_kernel_entry();
    if (check_budget())
        handle_fault(current_thread, f);
    schedule_and_return();
}
