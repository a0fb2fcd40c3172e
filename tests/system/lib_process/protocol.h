/* What the lib_process root task and its "child" image say to each other. */
#pragma once

#define CHILD_TLS_INIT 0x7151
#define CHILD_DATA_INIT 0xda7a

/* message labels */
enum { MSG_REPORT = 1, MSG_SECRET, MSG_PEEKED };

/* the words of a MSG_REPORT */
enum {
    REPORT_N,
    REPORT_ARGC,
    REPORT_CHECKSUM,
    REPORT_TLS,
    REPORT_DATA,
    REPORT_BSS,
    REPORT_IPCBUF,
    REPORT_AUX_IPCBUF,
    REPORT_AUX_TCB,
    REPORT_AUX_PAGESZ,
    REPORT_USERDATA,
    REPORT_FRAME,
    REPORT_CNODE_TYPE,
    REPORT_EP_TYPE,
    REPORT_PD_TYPE,
    REPORT_TCB_TYPE,
    REPORT_SC_TYPE,
    REPORT_REPLY_TYPE,
    REPORT_WORDS
};
