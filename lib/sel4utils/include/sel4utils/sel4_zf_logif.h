/* ZF_LOG?_IFERR(err, fmt, ...): log (and for F, stop the program) when err is not
 * seL4_NoError, naming the error. As seL4's libsel4utils sel4_zf_logif.h. */
#pragma once

#include <stdlib.h>
#include <sel4/sel4.h>
#include <utils/zf_log.h>
#include <sel4utils/strerror.h>

/* Like seL4's, these expand to a braced `if`, so a call works with or without a trailing
 * semicolon (tutorial code leaves it out in places). */
#define SEL4UTILS_LOG_IFERR(log, err, fmt, ...) \
    if ((err) != seL4_NoError) { \
        log("[Err %s]:\n\t" fmt, sel4_strerror(err), ##__VA_ARGS__); \
    }

#define ZF_LOGD_IFERR(err, fmt, ...) SEL4UTILS_LOG_IFERR(ZF_LOGD, err, fmt, ##__VA_ARGS__)
#define ZF_LOGI_IFERR(err, fmt, ...) SEL4UTILS_LOG_IFERR(ZF_LOGI, err, fmt, ##__VA_ARGS__)
#define ZF_LOGW_IFERR(err, fmt, ...) SEL4UTILS_LOG_IFERR(ZF_LOGW, err, fmt, ##__VA_ARGS__)
#define ZF_LOGE_IFERR(err, fmt, ...) SEL4UTILS_LOG_IFERR(ZF_LOGE, err, fmt, ##__VA_ARGS__)
/* Fatal: log and abort. */
#define ZF_LOGF_IFERR(err, fmt, ...) \
    if ((err) != seL4_NoError) { \
        ZF_LOGF("[Err %s]:\n\t" fmt, sel4_strerror(err), ##__VA_ARGS__); \
        abort(); \
    }
