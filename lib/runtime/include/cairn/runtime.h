/* Cairn's user runtime. */
#pragma once
#include <sel4/sel4.h>

/* The BootInfo the kernel gave the root task (NULL in a process). */
seL4_BootInfo *cairn_bootinfo(void);

#include <stddef.h>
#include <stdint.h>
#include <elf.h>
/* Lay out a thread's TLS block (a copy of the program's TLS template) in `area`; returns the
 * thread pointer to give the thread as its TLS base (FS), or 0 if `size` is too small. */
uintptr_t cairn_tls_init(void *area, size_t size);
/* The program's PT_TLS program header (its TLS template), or NULL when it has none. */
const Elf64_Phdr *cairn_tls_header(void);
/* The address of TLS variable `var` (as seen by the calling thread) in the TLS block `tp`. */
void *cairn_tls_variable(uintptr_t tp, void *var);

/* In a process: the value of auxiliary vector entry `type` (AT_* from <elf.h> and
 * <sel4runtime/auxv.h>) its loader passed; 0 if absent, and always 0 in the root task. */
uintptr_t cairn_getauxval(unsigned long type);
