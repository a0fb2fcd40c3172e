/* Syscall handling shared between core files. */
#pragma once
#include "types.h"
#include "fault.h"

struct tcb;
void handle_invocation(bool is_call, bool is_blocking);
/* Debug syscalls (abi §13.1): handle `number` if it is one; false otherwise. */
bool handle_debug_syscall(word_t number);
/* Deliver a fault for thread t (to its handler, or report it and stop the thread). */
void handle_fault(struct tcb *t, struct fault *f);
void raise_cap_fault(struct tcb *t, word_t addr, bool in_recv_phase, const struct lookup_fault *lf);
