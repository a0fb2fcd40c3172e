/* Moving a message (or a fault message) from one thread to another. */
#pragma once
#include "types.h"

struct tcb;
struct endpoint;

/* Transfer sender's message (its MessageInfo in its registers, MRs in registers and IPC
 * buffer, extra caps if grant) or its pending fault to receiver; receiver gets the badge. */
void do_ipc_transfer(struct tcb *sender, struct endpoint *ep, word_t badge, bool grant, struct tcb *receiver);
/* Nothing was received by a non-blocking receive: the badge register is 0. */
void do_nb_recv_failed_transfer(struct tcb *t);
/* The faulting thread's handler replied (replier's message): true = restart the thread. */
bool handle_fault_reply(struct tcb *faulter, struct tcb *replier);
/* Write message register i of thread t (registers, then the IPC buffer `buf` if any). */
void set_mr(struct tcb *t, word_t *buf, unsigned i, word_t v);
word_t get_mr(struct tcb *t, word_t *buf, unsigned i);
