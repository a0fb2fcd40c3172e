/* Shared with the Cairn kernel: freestanding-safe, no user-only code. */
/* x86_64 machine word, capability pointer and user register context. */
#pragma once

#include <sel4/macros.h>
#include <sel4/simple_types.h>

typedef seL4_Uint64 seL4_Word;
typedef seL4_Word seL4_CPtr;

/*
 * Register context, in the order TCB_ReadRegisters/WriteRegisters and
 * CopyRegisters transfer it (ABI sheet §12.1). Words 0..17 are the "frame"
 * registers, 18..19 the "integer" ones. seL4_TimeoutReply uses words 0..18.
 */
typedef struct seL4_UserContext_ {
    seL4_Word rip, rsp, rflags, rax, rbx, rcx, rdx, rsi, rdi, rbp;
    seL4_Word r8, r9, r10, r11, r12, r13, r14, r15;
    seL4_Word fs_base, gs_base;
} seL4_UserContext;

SEL4_COMPILE_ASSERT(seL4_UserContext_is_20_words, sizeof(seL4_UserContext) == 20 * sizeof(seL4_Word))
