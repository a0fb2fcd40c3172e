/* The runtime: TLS and the IPC buffer pointer, main's arguments, exit; for the root task
 * (started by the kernel) and for processes (started by a loader, System V stack). */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <stdlib.h>
#include <elf.h>
#include <sel4/sel4.h>
#include <sel4runtime/auxv.h>
#include <cairn/runtime.h>
#include <cairn/libc_hooks.h>

__thread seL4_IPCBuffer *__sel4_ipc_buffer;
static seL4_BootInfo *bootinfo;

/* A process: its auxiliary vector and its own TCB cap (0: not given). */
static bool is_process;
static const uintptr_t *process_auxv;
static seL4_CPtr process_tcb;

int main(int argc, char **argv);

seL4_BootInfo *cairn_bootinfo(void) { return bootinfo; }
seL4_BootInfo *sel4runtime_bootinfo(void) { return bootinfo; }

/* Static TLS (x86_64 variant II): the TLS block sits just below the thread pointer, and the
 * word at the thread pointer points to itself. The template comes from our PT_TLS header. */
#define ROOT_TLS_SIZE 8192
static unsigned char root_tls[ROOT_TLS_SIZE] __attribute__((aligned(64)));
extern const Elf64_Ehdr __ehdr_start;

const Elf64_Phdr *cairn_tls_header(void)
{
    const Elf64_Phdr *ph = (const Elf64_Phdr *)((const char *)&__ehdr_start + __ehdr_start.e_phoff);
    for (unsigned i = 0; i < __ehdr_start.e_phnum; i++)
        if (ph[i].p_type == PT_TLS)
            return &ph[i];
    return NULL;
}

uintptr_t cairn_tls_init(void *area, size_t size)
{
    const Elf64_Phdr *tls = cairn_tls_header();
    size_t memsz = tls ? tls->p_memsz : 0, align = tls && tls->p_align > 8 ? tls->p_align : 8;
    uintptr_t tp = ((uintptr_t)area + memsz + align - 1) & ~(uintptr_t)(align - 1);
    if (tp + sizeof(uintptr_t) > (uintptr_t)area + size)
        return 0;
    if (tls) {
        memcpy((void *)(tp - memsz), (const void *)tls->p_vaddr, tls->p_filesz);
        memset((void *)(tp - memsz + tls->p_filesz), 0, memsz - tls->p_filesz);
    }
    *(uintptr_t *)tp = tp;
    return tp;
}

void *cairn_tls_variable(uintptr_t tp, void *var)
{
    uintptr_t mine;
    __asm__("movq %%fs:0, %0" : "=r"(mine));
    return (void *)(tp + ((uintptr_t)var - mine));
}

static _Noreturn void stop_process(void);

static uintptr_t setup_tls(void)
{
    uintptr_t tp = cairn_tls_init(root_tls, sizeof(root_tls));
    if (!tp) {
        static const char msg[] = "cairn runtime: the program's TLS does not fit; stopping\n";
        __cairn_write(msg, sizeof(msg) - 1);
        if (is_process)
            stop_process();
        seL4_DebugHalt();
    }
    return tp;
}

void __cairn_start_root(seL4_BootInfo *bi)
{
    bootinfo = bi;
    seL4_SetTLSBase(setup_tls());
    __sel4_ipc_buffer = bi->ipcBuffer;
    char *argv[] = { "rootserver", NULL };
    exit(main(1, argv));
}

/* A process (contract: a System V initial stack at `sp`): argc, argv[argc] = NULL, envp
 * ending in NULL, then the auxiliary vector of (type, value) pairs ending in AT_NULL. */
void __cairn_start_process(uintptr_t *sp)
{
    int argc = (int)sp[0];
    char **argv = (char **)&sp[1];
    char **envp = argv + argc + 1;
    char **p = envp;
    while (*p)
        p++;
    is_process = true;
    process_auxv = (const uintptr_t *)(p + 1);
    process_tcb = (seL4_CPtr)cairn_getauxval(AT_SEL4_TCB);
    seL4_SetTLSBase(setup_tls());
    __sel4_ipc_buffer = (seL4_IPCBuffer *)cairn_getauxval(AT_SEL4_IPC_BUFFER_PTR);
    exit(main(argc, argv));
}

uintptr_t cairn_getauxval(unsigned long type)
{
    if (process_auxv)
        for (const uintptr_t *a = process_auxv; a[0] != AT_NULL; a += 2)
            if (a[0] == type)
                return a[1];
    return 0;
}

/* A process stops by suspending its own TCB; only the root task's exit ends QEMU. Without
 * a TCB cap (or if the suspend fails) nothing can stop this thread for good, and halting
 * the kernel would stop everyone: give the CPU away forever instead, as seL4's runtime does. */
static _Noreturn void stop_process(void)
{
    if (process_tcb)
        seL4_TCB_Suspend(process_tcb);
    static const char msg[] =
        "cairn runtime: process exited, but this thread could not suspend itself (no AT_SEL4_TCB cap); yielding forever\n";
    __cairn_write(msg, sizeof(msg) - 1);
    for (;;)
        seL4_Yield();
}

void __cairn_write(const char *buf, size_t len)
{
    for (size_t i = 0; i < len; i++)
        seL4_DebugPutChar(buf[i]);
}

/* A free slot of the root CNode for the runtime's own use, searched from the end of the
 * empty region so that it does not disturb the program's allocation from the start. */
static seL4_CPtr spare_slot(void)
{
    for (seL4_CPtr s = bootinfo->empty.end; s-- > bootinfo->empty.start;)
        if (seL4_DebugCapIdentify(s) == 0)
            return s;
    return 0;
}

/* QEMU's isa-debug-exit device (port 0xf4) ends QEMU with status (value << 1) | 1, which is
 * how `make test` reads a root task's exit status. */
#define DEBUG_EXIT_PORT 0xf4

void _exit(int status)
{
    if (is_process)
        stop_process();
    seL4_CPtr slot = bootinfo ? spare_slot() : 0;
    if (slot && seL4_X86_IOPortControl_Issue(seL4_CapIOPortControl, DEBUG_EXIT_PORT, DEBUG_EXIT_PORT,
                                             seL4_CapInitThreadCNode, slot, seL4_WordBits) == seL4_NoError)
        seL4_X86_IOPort_Out8(slot, DEBUG_EXIT_PORT, (seL4_Uint8)status);
    /* Still here: no debug-exit device (or not the root task). Stop this thread. */
    static const char msg[] = "cairn runtime: program exited; no QEMU debug-exit device to report it\n";
    __cairn_write(msg, sizeof(msg) - 1);
    for (;;)
        seL4_DebugHalt();
}
