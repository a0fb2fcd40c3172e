/* Debug syscalls (abi §13.1). A bad argument never stops the kernel here: where seL4 halts,
 * Cairn explains the mistake on the console and ignores the call. */
#include "syscall.h"
#include "tcb.h"
#include "cspace.h"
#include "invocation.h"
#include "printk.h"
#include "kstring.h"
#include "abi.h"

/* seL4 13..15 numbered SetTLSBase -32; -32 is otherwise unused here (abi README). */
#define SYS_SET_TLS_BASE_BEFORE_16 (-32)

static void debug_name_thread(tcb_t *caller)
{
    word_t cptr = caller->ctx.ARCH_REG_CAP;
    cap_t c = lookup_cap_or_null(caller, cptr);
    if (cap_get_type(c) != cap_thread) {
        user_error("seL4_DebugNameThread: cap #%lu is not a TCB cap (it is %s); name not set.",
                   cptr, cap_type_name(cap_get_type(c)));
        return;
    }
    const char *name = (const char *)(thread_ipc_buffer(caller, false));
    if (!name) {
        user_error("seL4_DebugNameThread: the caller has no IPC buffer to read the name from.");
        return;
    }
    name += sizeof(word_t); /* msg[0] */
    const size_t max = seL4_MsgMaxLength * sizeof(word_t);
    size_t len = kstrnlen(name, max);
    if (len == max) {
        user_error("seL4_DebugNameThread: the name has no NUL within %zu bytes; name not set.", max);
        return;
    }
    tcb_t *target = cap_ptr(c);
    len = MIN(len, (size_t)TCB_NAME_LEN - 1);
    memmove(target->name, name, len);
    target->name[len] = '\0';
}

static void debug_dump_scheduler(void)
{
    kprintf("Dumping all tcbs!\n");
    kprintf("%-40s %-16s %-18s %-5s %-5s\n", "Name", "State", "IP", "Prio", "Core");
    kprintf("--------------------------------------------------------------------------------------\n");
    for (tcb_t *t = tcb_first(); t; t = t->debug_next)
        kprintf("%-40s %-16s 0x%016lx %-5u %-5u\n", t->name, thread_state_name(t->state),
                arch_context_ip(&t->ctx), t->priority, 0);
}

bool handle_debug_syscall(word_t number)
{
    tcb_t *t = current_thread;
    switch ((sword_t)number) {
    case seL4_SysDebugPutChar:
        arch_putc((char)(t->ctx.ARCH_REG_CAP & 0xff));
        return true;
    case seL4_SysDebugDumpScheduler:
        debug_dump_scheduler();
        return true;
    case seL4_SysDebugHalt:
        kprintf("Debug halt syscall from user thread %p \"%s\"\n", (void *)t, t->name);
        kprintf("halting...\n");
        kprintf("kernel entry: syscall DebugHalt at %p\n", (void *)arch_context_ip(&t->ctx));
        arch_halt_cpu();
    case seL4_SysDebugCapIdentify:
        t->ctx.ARCH_REG_CAP = cap_get_type(lookup_cap_or_null(t, t->ctx.ARCH_REG_CAP));
        return true;
    case seL4_SysDebugSnapshot:
        kprintf("Debug snapshot syscall from user thread %p \"%s\"\n", (void *)t, t->name);
        kprintf("(Cairn does not write capDL snapshots yet)\n");
        return true;
    case seL4_SysDebugNameThread:
        debug_name_thread(t);
        return true;
    case seL4_SysSetTLSBase:
    case SYS_SET_TLS_BASE_BEFORE_16:
        arch_set_tls_base(t, t->ctx.ARCH_REG_CAP);
        return true;
    default:
        return false;
    }
}
