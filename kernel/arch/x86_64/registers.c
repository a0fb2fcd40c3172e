/* The x86_64 register views of the seL4 API: seL4_UserContext order (abi §12.1), fault
 * messages and fault replies (abi §11), with the kernel's sanitisation of written values. */
#include "x86.h"
#include "arch.h"
#include "tcb.h"
#include "fault.h"
#include "abi.h"

static bool is_canonical(word_t v) { return (word_t)((sword_t)(v << 16) >> 16) == v; }

/* rflags: bit 1 set, bits 3 and 5 clear, IF set, TF clear, only the low 12 bits kept. */
static word_t sanitise_flags(word_t f) { return ((f & 0xfff) | 0x202) & ~(word_t)(0x8 | 0x20 | 0x100); }

/* seL4_UserContext: rip rsp rflags rax rbx rcx rdx rsi rdi rbp r8..r15 fs_base gs_base. */
static word_t *user_register(struct user_context *c, unsigned i)
{
    static const uint8_t offsets[ARCH_NUM_USER_REGISTERS] = {
        offsetof(struct user_context, rip), offsetof(struct user_context, rsp),
        offsetof(struct user_context, rflags), offsetof(struct user_context, rax),
        offsetof(struct user_context, rbx), offsetof(struct user_context, rcx),
        offsetof(struct user_context, rdx), offsetof(struct user_context, rsi),
        offsetof(struct user_context, rdi), offsetof(struct user_context, rbp),
        offsetof(struct user_context, r8), offsetof(struct user_context, r9),
        offsetof(struct user_context, r10), offsetof(struct user_context, r11),
        offsetof(struct user_context, r12), offsetof(struct user_context, r13),
        offsetof(struct user_context, r14), offsetof(struct user_context, r15),
        offsetof(struct user_context, fs_base), offsetof(struct user_context, gs_base),
    };
    return (word_t *)((uint8_t *)c + offsets[i]);
}

word_t arch_get_user_register(const struct user_context *ctx, unsigned i)
{
    if (i == 0)
        return ctx->fault_ip; /* the restart PC */
    return *user_register((struct user_context *)ctx, i);
}

void arch_set_user_register(struct user_context *ctx, unsigned i, word_t v)
{
    if (i == 2)
        v = sanitise_flags(v);
    else if ((i == 0 || i >= 18) && !is_canonical(v))
        v = 0;
    *user_register(ctx, i) = v;
    if (i == 0)
        ctx->fault_ip = v;
}

void arch_context_written(struct user_context *ctx)
{
    ctx->fault_ip = ctx->rip;
    ctx->error = 0; /* not back through sysretq: rcx, r11 and rsp are the written ones */
}

void arch_copy_registers(struct user_context *to, const struct user_context *from, bool frame, bool integer)
{
    if (frame) {
        for (unsigned i = 0; i < 18; i++)
            *user_register(to, i) = arch_get_user_register(from, i);
        to->fault_ip = to->rip;
    }
    if (integer) {
        to->fs_base = from->fs_base;
        to->gs_base = from->gs_base;
    }
}

unsigned arch_fault_message(const struct user_context *c, const struct fault *f, word_t *mrs)
{
    switch (f->type) {
    case seL4_Fault_UnknownSyscall: {
        const word_t regs[] = { c->rax, c->rbx, c->rcx, c->rdx, c->rsi, c->rdi, c->rbp, c->r8, c->r9,
                                c->r10, c->r11, c->r12, c->r13, c->r14, c->r15, c->fault_ip, c->rsp,
                                c->rflags, f->unknown_syscall.number };
        for (unsigned i = 0; i < ARRAY_SIZE(regs); i++)
            mrs[i] = regs[i];
        return seL4_UnknownSyscall_Length;
    }
    case seL4_Fault_UserException:
        mrs[seL4_UserException_FaultIP] = c->fault_ip;
        mrs[seL4_UserException_SP] = c->rsp;
        mrs[seL4_UserException_FLAGS] = c->rflags;
        mrs[seL4_UserException_Number] = f->user_exception.number;
        mrs[seL4_UserException_Code] = f->user_exception.code;
        return seL4_UserException_Length;
    case seL4_Fault_VMFault:
        mrs[seL4_VMFault_IP] = c->fault_ip;
        mrs[seL4_VMFault_Addr] = f->vm.addr;
        mrs[seL4_VMFault_PrefetchFault] = f->vm.prefetch;
        mrs[seL4_VMFault_FSR] = f->vm.fsr;
        return seL4_VMFault_Length;
    default:
        return 0;
    }
}

/* Registers in the order a handler's reply gives them, as seL4_UserContext indices. */
static const uint8_t unknown_syscall_reply[] = { 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 0, 1, 2 };
static const uint8_t user_exception_reply[] = { 0, 1, 2 };
static const uint8_t timeout_reply[] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18 };

void arch_fault_reply(struct user_context *ctx, const struct fault *f, const word_t *mrs, unsigned n)
{
    const uint8_t *order;
    unsigned max;
    switch (f->type) {
    case seL4_Fault_UnknownSyscall:
        order = unknown_syscall_reply, max = sizeof(unknown_syscall_reply);
        break;
    case seL4_Fault_UserException:
        order = user_exception_reply, max = sizeof(user_exception_reply);
        break;
    case seL4_Fault_Timeout:
        order = timeout_reply, max = sizeof(timeout_reply);
        break;
    default:
        return;
    }
    for (unsigned i = 0; i < n && i < max; i++)
        arch_set_user_register(ctx, order[i], mrs[i]);
}

bool arch_is_vspace_root(cap_t c) { return cap_get_type(c) == cap_pml4 && cap_mapped_asid(c) != 0; }
