/*
 * The process of tests/system/runtime_process: started by the root task's own small loader
 * (not sel4utils) with a System V stack. It reports what the runtime gave it over IPC, on
 * the endpoint whose cptr is its last argument (as seL4's dynamic-3 app receives it), then
 * returns from main: exit() runs the atexit handler and suspends this process.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdbool.h>
#include <stdint.h>
#include <elf.h>
#include <sel4/sel4.h>
#include <sel4runtime/auxv.h>
#include <cairn/runtime.h>

/* Initialised and zero TLS: the runtime copies the image's TLS template into this thread. */
static __thread int tls_init = 42;
static __thread long tls_zero;

extern char **environ_for_test;

static void goodbye(void)
{
    printf("child: atexit handler ran\n");
}

int main(int argc, char *argv[])
{
    /* Locals the compiler aligns assuming a 16-byte aligned stack at main's entry. */
    _Alignas(16) volatile char probe[16];
    bool aligned = ((uintptr_t)probe & 15) == 0;

    printf("child: hello from a process, argc=%d argv[0]=%s argv[1]=%s\n", argc, argv[0], argc > 1 ? argv[1] : "-");
    atexit(goodbye);

    seL4_Word args_ok = argc == 3 && strcmp(argv[0], "child") == 0 && argv[3] == NULL;
    char **envp = argv + argc + 1;
    seL4_Word env_ok = envp[0] && strcmp(envp[0], "CAIRN_TEST=1") == 0 && envp[1] == NULL;
    seL4_Word tls_ok = tls_init == 42 && tls_zero == 0;
    tls_init++, tls_zero = -1;
    tls_ok = tls_ok && tls_init == 43 && tls_zero == -1;
    seL4_CPtr ep = (seL4_CPtr)atol(argv[argc - 1]);

    /* 7 words: MR4..MR6 travel through the IPC buffer. */
    seL4_SetMR(0, argc);
    seL4_SetMR(1, args_ok);
    seL4_SetMR(2, env_ok);
    seL4_SetMR(3, tls_ok);
    seL4_SetMR(4, aligned);
    seL4_SetMR(5, cairn_getauxval(AT_PAGESZ));
    seL4_SetMR(6, (seL4_Word)seL4_GetIPCBuffer());
    seL4_MessageInfo_t info = seL4_Call(ep, seL4_MessageInfo_new(1, 0, 0, 7));

    /* The reply: the same 7 words, each complemented. */
    seL4_Word ok = seL4_MessageInfo_get_length(info) == 7;
    seL4_Word want[7] = { argc, args_ok, env_ok, tls_ok, aligned, cairn_getauxval(AT_PAGESZ),
                          (seL4_Word)seL4_GetIPCBuffer() };
    for (int i = 0; i < 7; i++)
        ok = ok && seL4_GetMR(i) == ~want[i];
    printf("child: reply %s\n", ok ? "as expected" : "WRONG");
    seL4_SetMR(0, ok);
    seL4_Call(ep, seL4_MessageInfo_new(2, 0, 0, 1));
    return 0;
}
