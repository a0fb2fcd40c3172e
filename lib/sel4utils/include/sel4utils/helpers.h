/* Helpers shared by sel4utils' thread and process code (libsel4utils' helpers.h): writing a
 * stack in another vspace, and the x86_64 initial register state of a thread. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <elf.h>
#include <sel4/sel4.h>
#include <vka/vka.h>
#include <vspace/vspace.h>
#include <sel4utils/thread.h>

#define Elf_auxv_t Elf64_auxv_t

/* x86_64 System V: the stack pointer is 16-byte aligned at a call. */
#ifndef STACK_CALL_ALIGNMENT
#define STACK_CALL_ALIGNMENT 16
#endif

/* Push len bytes of buf onto a stack in target_vspace whose current top is *stack_top
 * (lowered by len), going through frames mapped temporarily in current_vspace. 0 on
 * success, -1 on failure. */
int sel4utils_stack_write(vspace_t *current_vspace, vspace_t *target_vspace, vka_t *vka, void *buf,
                          size_t len, uintptr_t *stack_top);

/* Registers for a thread entering entry_point with the stack pointer at stack_top. */
int sel4utils_arch_init_context(void *entry_point, void *stack_top, seL4_UserContext *context);

/* Registers for calling entry_point(arg0, arg1, arg2) with a stack whose top (16-byte
 * aligned) is stack_top, as if by a call instruction. local_stack, vka and the vspaces are
 * kept for seL4 compatibility (x86_64 passes everything in registers). 0 on success, -1 if
 * stack_top is misaligned. */
int sel4utils_arch_init_context_with_args(sel4utils_thread_entry_fn entry_point, void *arg0, void *arg1,
                                          void *arg2, bool local_stack, void *stack_top,
                                          seL4_UserContext *context, vka_t *vka, vspace_t *local_vspace,
                                          vspace_t *remote_vspace);

static inline int sel4utils_arch_init_local_context(sel4utils_thread_entry_fn entry_point, void *arg0,
                                                    void *arg1, void *arg2, void *stack_top,
                                                    seL4_UserContext *context)
{
    return sel4utils_arch_init_context_with_args(entry_point, arg0, arg1, arg2, true, stack_top, context,
                                                 NULL, NULL, NULL);
}
