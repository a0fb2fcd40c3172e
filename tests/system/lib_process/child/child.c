/*
 * The process image "child" of the lib_process test, started by sel4utils_spawn_process_v.
 * argv[0] is a badged endpoint cap in its CSpace, argv[1] what to do:
 *   report N ARGS...  Call with what the loader gave it (N, argument checksum, TLS, IPC
 *                     buffer, stack alignment, auxv, CSpace layout), then return from main.
 *   secret ADDR       Call with the word at ADDR (mapped only in this process), wait for
 *                     the reply, Call again with the word read anew, then return.
 *   peek ADDR         read the word at ADDR (not mapped here): a VM fault.
 *   poke ADDR         write the word at ADDR (not mapped here): a VM fault.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sel4/sel4.h>
#include <sel4runtime/auxv.h>
#include <cairn/runtime.h>
#include <sel4utils/process.h>
#include "../protocol.h"

static __thread seL4_Word tls_word = CHILD_TLS_INIT;
static seL4_Word data_word = CHILD_DATA_INIT;
static seL4_Word bss_words[1024];

static seL4_Word checksum(int argc, char **argv)
{
    seL4_Word h = 5381;
    for (int i = 0; i < argc; i++) {
        for (const char *p = argv[i]; *p; p++)
            h = h * 33 + (unsigned char)*p;
        h = h * 33 + 0xff;
    }
    return h;
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return 1;
    seL4_CPtr ep = (seL4_CPtr)strtoul(argv[0], NULL, 10);
    const char *what = argv[1];
    seL4_MessageInfo_t tag;

    if (strcmp(what, "report") == 0) {
        seL4_Word bss_zero = 0;
        for (unsigned i = 0; i < sizeof(bss_words) / sizeof(bss_words[0]); i++)
            bss_zero |= bss_words[i];
        uintptr_t frame = (uintptr_t)__builtin_frame_address(0);
        seL4_SetMR(REPORT_N, argc >= 3 ? strtoul(argv[2], NULL, 10) : ~0ul);
        seL4_SetMR(REPORT_ARGC, argc);
        seL4_SetMR(REPORT_CHECKSUM, checksum(argc, argv));
        seL4_SetMR(REPORT_TLS, tls_word);
        seL4_SetMR(REPORT_DATA, data_word);
        seL4_SetMR(REPORT_BSS, bss_zero);
        seL4_SetMR(REPORT_IPCBUF, (seL4_Word)seL4_GetIPCBuffer());
        seL4_SetMR(REPORT_AUX_IPCBUF, cairn_getauxval(AT_SEL4_IPC_BUFFER_PTR));
        seL4_SetMR(REPORT_AUX_TCB, cairn_getauxval(AT_SEL4_TCB));
        seL4_SetMR(REPORT_AUX_PAGESZ, cairn_getauxval(AT_PAGESZ));
        seL4_SetMR(REPORT_USERDATA, seL4_GetIPCBuffer()->userData);
        seL4_SetMR(REPORT_FRAME, frame);
        /* the caps sel4utils put in our CSpace, as the kernel sees them */
        seL4_SetMR(REPORT_CNODE_TYPE, seL4_DebugCapIdentify(SEL4UTILS_CNODE_SLOT));
        seL4_SetMR(REPORT_EP_TYPE, seL4_DebugCapIdentify(SEL4UTILS_ENDPOINT_SLOT));
        seL4_SetMR(REPORT_PD_TYPE, seL4_DebugCapIdentify(SEL4UTILS_PD_SLOT));
        seL4_SetMR(REPORT_TCB_TYPE, seL4_DebugCapIdentify(SEL4UTILS_TCB_SLOT));
        seL4_SetMR(REPORT_SC_TYPE, seL4_DebugCapIdentify(SEL4UTILS_SCHED_CONTEXT_SLOT));
        seL4_SetMR(REPORT_REPLY_TYPE, seL4_DebugCapIdentify(SEL4UTILS_REPLY_SLOT));
        tls_word++;
        tag = seL4_Call(ep, seL4_MessageInfo_new(MSG_REPORT, 0, 0, REPORT_WORDS));
        (void)tag;
        return 0;
    }
    if (argc < 3)
        return 1;
    volatile seL4_Word *addr = (volatile seL4_Word *)strtoul(argv[2], NULL, 0);
    if (strcmp(what, "secret") == 0) {
        seL4_SetMR(0, *addr);
        seL4_Call(ep, seL4_MessageInfo_new(MSG_SECRET, 0, 0, 1));
        seL4_SetMR(0, *addr);
        seL4_Call(ep, seL4_MessageInfo_new(MSG_SECRET, 0, 0, 1));
        return 0;
    }
    if (strcmp(what, "peek") == 0) {
        seL4_SetMR(0, *addr);
        seL4_Call(ep, seL4_MessageInfo_new(MSG_PEEKED, 0, 0, 1));
        return 0;
    }
    if (strcmp(what, "poke") == 0) {
        *addr = 0xbad;
        seL4_Call(ep, seL4_MessageInfo_new(MSG_PEEKED, 0, 0, 0));
        return 0;
    }
    return 1;
}
