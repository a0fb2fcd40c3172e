/* Syscall handling shared between core files. */
#pragma once
#include "types.h"
#include "fault.h"

struct tcb;
/* Invoke the cap named by `cptr` (the message is in the current thread's registers). A
 * first-phase invocation (the send half of ReplyRecv, NBSendRecv, NBSendWait) is
 * non-blocking, may donate the SC, and refuses kernel-object caps silently. */
void handle_invocation(word_t cptr, bool is_call, bool is_blocking, bool first_phase);
/* Debug syscalls (abi §13.1): handle `number` if it is one; false otherwise. */
bool handle_debug_syscall(word_t number);
/* Deliver a fault for thread t (to its handler, or report it and stop the thread). */
void handle_fault(struct tcb *t, struct fault *f);
void raise_cap_fault(struct tcb *t, word_t addr, bool in_recv_phase, const struct lookup_fault *lf);
bool thread_has_timeout_handler(const struct tcb *t);
void raise_timeout_fault(struct tcb *t);
