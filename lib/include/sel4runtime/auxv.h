/* Auxiliary vector entries a loader puts on a new process's initial stack: the System V
 * ones (also in <elf.h>) and seL4's own (sel4runtime's names and numbers). Cairn's runtime
 * reads AT_SEL4_IPC_BUFFER_PTR (the IPC buffer's address) and AT_SEL4_TCB (the process's
 * own TCB cap, suspended when main returns). */
#pragma once

#ifndef AT_NULL
#define AT_NULL 0
#define AT_PHDR 3
#define AT_PHENT 4
#define AT_PHNUM 5
#define AT_PAGESZ 6
#define AT_SYSINFO 32
#endif

#define AT_SEL4_BOOT_INFO 64
#define AT_SEL4_CSPACE_DESCRIPTOR 65
#define AT_SEL4_VSYSCALL 66
#define AT_SEL4_IPC_BUFFER_PTR 67
#define AT_SEL4_IPC_BUFFER 68
#define AT_SEL4_TCB 69
#define AT_SEL4_CNODE 70
#define AT_SEL4_VSPACE 71
#define AT_SEL4_ASID_POOL 72

typedef struct {
    int a_type;
    union {
        long a_val;
        void *a_ptr;
        void (*a_fnc)(void);
    } a_un;
} auxv_t;
