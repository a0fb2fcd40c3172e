/* libsel4utils' x86_64 register helpers: read and set the instruction and stack pointers in
 * an seL4_UserContext (for seL4_TCB_ReadRegisters / seL4_TCB_WriteRegisters). */
#pragma once

#include <stdint.h>
#include <sel4/sel4.h>

static inline void sel4utils_set_instruction_pointer(seL4_UserContext *regs, seL4_Word value)
{
    regs->rip = value;
}

static inline seL4_Word sel4utils_get_instruction_pointer(seL4_UserContext regs)
{
    return regs.rip;
}

static inline void sel4utils_set_stack_pointer(seL4_UserContext *regs, seL4_Word value)
{
    regs->rsp = value;
}

static inline seL4_Word sel4utils_get_sp(seL4_UserContext regs)
{
    return regs.rsp;
}
