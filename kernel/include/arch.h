/*
 * The whole interface between the arch-neutral core and arch/<arch>/. The core calls the
 * arch_* functions; the arch code calls the core entry points declared at the bottom.
 */
#pragma once
#include "types.h"
#include "arch_types.h"
#include "cap.h"

struct tcb;
struct fault;

/* Debug console (the serial port on x86). '\n' is sent as "\r\n". */
void arch_putc(char c);

/* Stop the machine (QEMU's debug-exit device when present) with a status; never returns. */
NORETURN void arch_halt_machine(int status);

/* Wait for interrupts with nothing to run. Each interrupt calls handle_interrupt(). */
NORETURN void arch_idle(void);

/* Make `to` the thread whose state the next kernel entry saves into, and switch address
 * space, TLS bases and FPU state from `from` (which may be NULL). */
void arch_switch_thread(struct tcb *from, struct tcb *to);

/* Leave the kernel into the current thread. */
NORETURN void arch_restore_user(struct tcb *t);

/* The IPC fastpath's exit, arch_fastpath_switch(to): arch_switch_thread() to `to`, already
 * current_thread, and leave the kernel into it. Inline, from the arch's arch_switch.h. */

/* User context set-up and syscall arguments. */
void arch_init_user_context(struct user_context *ctx, vaddr_t entry, word_t arg0);
/* Make a thread that entered through `syscall` execute that instruction again. */
void arch_restart_syscall(struct user_context *ctx);
word_t arch_context_ip(const struct user_context *ctx); /* restart PC for reports */
word_t arch_context_sp(const struct user_context *ctx);

/* Read a word of a thread's user memory through its address space (for fault reports).
 * Returns false when the address is not mapped. */
bool arch_read_user_word(struct tcb *t, vaddr_t addr, word_t *out);

/* Time: timestamp counter and its frequency (fixed at boot; read on every budget check). */
uint64_t arch_timestamp(void);
extern uint32_t arch_tsc_mhz_value;
static inline uint32_t arch_tsc_mhz(void) { return arch_tsc_mhz_value; }

/* Whether an interrupt is waiting to be taken (interrupts are off in the kernel). */
bool arch_interrupt_pending(void);

/* Acknowledge an interrupt at the interrupt controller. */
void arch_ack_irq(unsigned irq);
/* User interrupts (abi §5.5, §12.5; core/irq.c): internal IRQ numbers 0..ARCH_NUM_IRQS-1
 * (x86: CPU vector - 32). Mask or unmask one at its interrupt controller; nothing for an
 * IRQ the arch never routed or cannot mask (an MSI). */
#define ARCH_NUM_IRQS 126
void arch_irq_mask(unsigned irq, bool masked);

/* Kernel backtrace support for panics. */
void arch_print_backtrace(word_t sp); /* from this stack pointer up */

/* Physical memory through the kernel window (inline in arch_types.h; host tests supply
 * their own). */
#ifdef HOST_TEST
void *paddr_to_kptr(paddr_t p);
paddr_t kptr_to_paddr(const void *p);
#endif

/* Object types of the arch (abi §4.1: frames and paging structures), for Untyped_Retype.
 * `type` is a valid seL4_ObjectType that is not one of the generic (core) types. */
bool arch_is_frame_type(word_t type);
word_t arch_object_size_bits(word_t type);
/* Make the object at paddr (zeroed, 2^size bits; device: frames only, never touched) and
 * return its first capability. */
cap_t arch_create_object(word_t type, paddr_t paddr, bool device);
/* The physical memory the object of an arch cap occupies; false for caps that have none. */
bool arch_cap_region(cap_t c, paddr_t *base, word_t *size_bits);

/* Capabilities of arch types (cap_is_arch(): frames, paging structures, ASIDs, IO ports),
 * the arch half of cap.c's rules (abi §9.2, §12.3); arch/<arch>/cap.c. */
cap_t arch_derive_cap(const cte_t *slot, cap_t c, word_t *error);
cap_t arch_mask_cap_rights(word_t rights, cap_t c);
bool arch_same_region_as(cap_t a, cap_t b); /* both arch caps */
bool arch_same_object_as(cap_t a, cap_t b); /* both arch caps */
bool arch_is_cap_revocable(cap_t derived, cap_t src);
/* A cap of an arch type is being deleted (final: it was the last one to its object). */
void arch_finalise_cap(cap_t c, bool final);

/* ---- core entry points the arch code calls ---- */
NORETURN void handle_syscall(word_t number);
NORETURN void handle_user_fault(struct fault *f);
NORETURN void handle_interrupt(unsigned irq);

/* Stop this CPU for good (interrupts off); used by seL4_DebugHalt. */
NORETURN void arch_halt_cpu(void);
/* Set a thread's TLS base (FS base on x86_64); non-canonical values are ignored. */
void arch_set_tls_base(struct tcb *t, word_t base);

/* ---- threads, faults, registers (seL4_UserContext order, abi §12.1) ---- */
#define ARCH_NUM_USER_REGISTERS 20
word_t arch_get_user_register(const struct user_context *ctx, unsigned i);
/* Written values are sanitised (flags, canonical addresses). */
void arch_set_user_register(struct user_context *ctx, unsigned i, word_t v);
/* Registers were rewritten by another thread: the next return must restore all of them. */
void arch_context_written(struct user_context *ctx);
void arch_copy_registers(struct user_context *to, const struct user_context *from, bool frame, bool integer);
/* The message of an UnknownSyscall, UserException or VMFault fault; returns its length. */
unsigned arch_fault_message(const struct user_context *ctx, const struct fault *f, word_t *mrs);
/* Apply a handler's reply to such a fault (or a Timeout fault) to the faulter's registers. */
void arch_fault_reply(struct user_context *ctx, const struct fault *f, const word_t *mrs, unsigned n);
/* The physical address of a thread's VSpace root (0: it has no valid one). */
paddr_t arch_thread_vspace_root(struct tcb *t);
/* A VSpace root cap that threads can run in (x86: an assigned PML4). */
bool arch_is_vspace_root(cap_t c);
/* Step 6 of check_invariants(): the arch's own structures refer only to live objects (x86:
 * every present entry of every address space with an ASID); reports through invariants.h. */
void arch_check_invariants(void);
/* A TCB is being destroyed: forget any state the arch keeps about it. */
void arch_thread_destroyed(struct tcb *t);
/* What a TCB's VSpace slot holds was changed (its cap deleted or a new one installed). */
void arch_thread_vspace_changed(struct tcb *t);
/* The current thread's TCB flags changed (FPU on or off). */
void arch_thread_flags_changed(struct tcb *t);

/* ---- the kernel timer ---- */
#define TIMER_IRQ 125
/* Interrupt at this timestamp (0: no timer needed). */
void arch_set_timer_deadline(uint64_t deadline);
