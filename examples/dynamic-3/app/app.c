/* dynamic-3's second process: it finds its endpoint cap in argv[0], calls the root task with
 * one word and checks the answer (the word inverted). */
#include <stdio.h>
#include <stdlib.h>
#include <sel4/sel4.h>
#include <sel4utils/process.h>
#include <utils/zf_log.h>
#include <sel4utils/sel4_zf_logif.h>

#define MSG_DATA 0x6161

int main(int argc, char **argv)
{
    printf("process_2: hey hey hey\n");
    ZF_LOGF_IF(argc < 1, "No endpoint argument.");
    seL4_CPtr ep = (seL4_CPtr)atol(argv[0]);

    seL4_SetMR(0, MSG_DATA);
    seL4_MessageInfo_t tag = seL4_Call(ep, seL4_MessageInfo_new(0, 0, 0, 1));
    ZF_LOGF_IF(seL4_MessageInfo_get_length(tag) != 1, "The reply carried %lu words, not 1.",
               (unsigned long)seL4_MessageInfo_get_length(tag));
    seL4_Word msg = seL4_GetMR(0);
    ZF_LOGF_IF(msg != ~(seL4_Word)MSG_DATA, "Unexpected reply %#lx.", (unsigned long)msg);
    printf("process_2: got a reply: %#" PRIxPTR "\n", msg);
    return 0;
}
