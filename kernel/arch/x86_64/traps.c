/* CPU exceptions and interrupts: user-mode ones become seL4 faults or IRQs, kernel-mode
 * exceptions are kernel bugs and panic. */
#include "x86.h"
#include "arch.h"
#include "printk.h"
#include "tcb.h"
#include "fault.h"
#include "ksyms.h"
#include "x86_internal.h"
#include "config.h"

_Static_assert(offsetof(struct user_context, error) == 128, "entry.S offsets");
_Static_assert(offsetof(struct user_context, rip) == 136, "entry.S offsets");
_Static_assert(offsetof(struct user_context, ss) == 168, "entry.S offsets");
_Static_assert(CONTEXT_FRAME_END == 176, "entry.S offsets");
_Static_assert(offsetof(struct user_context, fault_ip) == 192, "entry.S offsets");

static bool is_interrupt_vector(word_t v) { return v >= VECTOR_IRQ_BASE && v < VECTOR_USER_TRAP_MIN; }

void c_handle_user_trap(void)
{
    struct user_context *ctx = &current_thread->ctx;
    word_t v = ctx->vector;
    ctx->fault_ip = ctx->rip;
    if (is_interrupt_vector(v))
        handle_interrupt((unsigned)(v - VECTOR_IRQ_BASE));
    if (v == VECTOR_SPURIOUS)
        arch_restore_user(current_thread);

    if (v == 7 && arch_fpu_trap(current_thread))
        arch_restore_user(current_thread); /* the lazy FPU switch: run the instruction again */
    struct fault f;
    if (v == 14) {
        f.type = seL4_Fault_VMFault;
        f.vm.addr = read_cr2();
        f.vm.fsr = ctx->error & 0x1f;
        f.vm.prefetch = (ctx->error >> 4) & 1;
    } else if (v >= VECTOR_USER_TRAP_MIN) {
        /* `int n` to a user-accessible gate: an unknown syscall, with the PC backed up
         * over the 2-byte instruction so that a handler sees where it happened. */
        ctx->rip -= 2;
        ctx->fault_ip = ctx->rip;
        f.type = seL4_Fault_UnknownSyscall;
        f.unknown_syscall.number = (v << 24) | (ctx->rax & 0xffffff);
    } else {
        f.type = seL4_Fault_UserException;
        f.user_exception.number = v;
        f.user_exception.code = ctx->error & MASK(28);
    }
    handle_user_fault(&f);
}

static const char *const exception_names[32] = {
    "divide error", "debug", "NMI", "breakpoint", "overflow", "bound range", "invalid opcode",
    "device not available", "double fault", "coprocessor overrun", "invalid TSS",
    "segment not present", "stack fault", "general protection", "page fault", "reserved",
    "x87 FP error", "alignment check", "machine check", "SIMD FP error", "virtualization",
    "control protection",
};

void c_handle_kernel_trap(struct user_context *frame)
{
    word_t v = frame->vector;
    if (is_interrupt_vector(v))
        handle_interrupt((unsigned)(v - VECTOR_IRQ_BASE));
    if (v == VECTOR_SPURIOUS)
        return;

    const char *name = v < 32 && exception_names[v] ? exception_names[v] : "unexpected vector";
    kprintf("\n*** KERNEL PANIC: CPU exception %lu (%s) in kernel mode\n", v, name);
    kprintf("error code 0x%lx  CR2 0x%lx  CR3 0x%lx\n", frame->error, read_cr2(), read_cr3());
    const char *fn = NULL;
    word_t off = 0;
    fn = ksym_lookup(frame->rip, &off);
    kprintf("RIP 0x%016lx <%s+0x%lx>  RSP 0x%016lx  RFLAGS 0x%lx\n", frame->rip,
            fn ? fn : "?", off, frame->rsp, frame->rflags);
    kprintf("RAX 0x%016lx RBX 0x%016lx RCX 0x%016lx RDX 0x%016lx\n", frame->rax, frame->rbx,
            frame->rcx, frame->rdx);
    kprintf("RSI 0x%016lx RDI 0x%016lx RBP 0x%016lx R8  0x%016lx\n", frame->rsi, frame->rdi,
            frame->rbp, frame->r8);
    kprintf("R9  0x%016lx R10 0x%016lx R11 0x%016lx R12 0x%016lx\n", frame->r9, frame->r10,
            frame->r11, frame->r12);
    kprintf("R13 0x%016lx R14 0x%016lx R15 0x%016lx\n", frame->r13, frame->r14, frame->r15);
    arch_print_backtrace(frame->rsp);
    arch_halt_machine(0x7f);
}

/* Return addresses on the kernel stack: words that point into kernel text just after a call
 * instruction. A scan rather than a frame-pointer walk, so that frameless functions and
 * half-built frames (a fault in a prologue) do not hide callers. */
void arch_print_backtrace(word_t sp)
{
    extern char text_start[], text_end[];
    word_t stack_lo = (word_t)kernel_stack_top - BIT(KERNEL_STACK_BITS);
    if (sp < stack_lo || sp >= (word_t)kernel_stack_top)
        sp = stack_lo;
    kprintf("Backtrace:\n");
    for (word_t *p = (word_t *)ROUND_UP(sp, 3); (word_t)p < (word_t)kernel_stack_top; p++) {
        word_t ret = *p;
        if (ret < (word_t)text_start + 5 || ret >= (word_t)text_end)
            continue;
        const uint8_t *code = (const uint8_t *)ret;
        bool after_call = code[-5] == 0xe8 || (code[-2] == 0xff && (code[-1] & 0x38) == 0x10) ||
                          (code[-3] == 0xff && (code[-2] & 0x38) == 0x10);
        if (!after_call)
            continue;
        word_t off = 0;
        const char *fn = ksym_lookup(ret, &off);
        kprintf("  0x%016lx <%s+0x%lx>\n", ret, fn ? fn : "?", off);
    }
}
