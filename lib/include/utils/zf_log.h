/* ZF_LOG logging as seL4's libutils offers it: ZF_LOGV/D/I/W/E/F(fmt, ...) print one line
 * "<function>@<file>:<line> <message>", and ZF_LOG?_IF(cond, fmt, ...) print
 * "[Cond failed: <cond>]" and the message when cond is true. ZF_LOGF_IF then aborts.
 * Messages below ZF_LOG_LEVEL (default: info) are compiled out; those below the output
 * level set at run time (zf_log_set_output_level) are skipped. After
 * zf_log_set_tag_prefix("name:") every line starts with "name: ". */
#pragma once
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Set (or, with NULL or "", clear) the prefix of every log line. */
void zf_log_set_tag_prefix(const char *const prefix);
/* Skip messages below level lvl from now on. */
void zf_log_set_output_level(const int lvl);
/* The prefix and a space, or "" (lib/utils/src/zf_log.c). */
extern const char *_zf_log_line_prefix;
extern int _zf_log_output_lvl;

#define ZF_LOG_VERBOSE 1
#define ZF_LOG_DEBUG 2
#define ZF_LOG_INFO 3
#define ZF_LOG_WARN 4
#define ZF_LOG_ERROR 5
#define ZF_LOG_FATAL 6
#define ZF_LOG_NONE 0xff

#ifndef ZF_LOG_LEVEL
#define ZF_LOG_LEVEL ZF_LOG_INFO
#endif

static inline const char *zf_log_basename(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

#define ZF_LOG_ALLOW(lvl) ((lvl) >= ZF_LOG_LEVEL)
#define ZF_LOG_OUTPUT(lvl) (ZF_LOG_ALLOW(lvl) && (lvl) >= _zf_log_output_lvl)

#define ZF_LOG_WRITE(level, fmt, ...) \
    do { \
        if (ZF_LOG_OUTPUT(level)) \
            printf("%s%s@%s:%d " fmt "\n", _zf_log_line_prefix, __func__, zf_log_basename(__FILE__), __LINE__, \
                   ##__VA_ARGS__); \
    } while (0)

#define ZF_LOGV(fmt, ...) ZF_LOG_WRITE(ZF_LOG_VERBOSE, fmt, ##__VA_ARGS__)
#define ZF_LOGD(fmt, ...) ZF_LOG_WRITE(ZF_LOG_DEBUG, fmt, ##__VA_ARGS__)
#define ZF_LOGI(fmt, ...) ZF_LOG_WRITE(ZF_LOG_INFO, fmt, ##__VA_ARGS__)
#define ZF_LOGW(fmt, ...) ZF_LOG_WRITE(ZF_LOG_WARN, fmt, ##__VA_ARGS__)
#define ZF_LOGE(fmt, ...) ZF_LOG_WRITE(ZF_LOG_ERROR, fmt, ##__VA_ARGS__)
#define ZF_LOGF(fmt, ...) ZF_LOG_WRITE(ZF_LOG_FATAL, fmt, ##__VA_ARGS__)

#define ZF_LOG_IF(log, cond, fmt, ...) \
    do { \
        if (cond) \
            log("[Cond failed: %s]\n\t" fmt, #cond, ##__VA_ARGS__); \
    } while (0)
#define ZF_LOGV_IF(cond, fmt, ...) ZF_LOG_IF(ZF_LOGV, cond, fmt, ##__VA_ARGS__)
#define ZF_LOGD_IF(cond, fmt, ...) ZF_LOG_IF(ZF_LOGD, cond, fmt, ##__VA_ARGS__)
#define ZF_LOGI_IF(cond, fmt, ...) ZF_LOG_IF(ZF_LOGI, cond, fmt, ##__VA_ARGS__)
#define ZF_LOGW_IF(cond, fmt, ...) ZF_LOG_IF(ZF_LOGW, cond, fmt, ##__VA_ARGS__)
#define ZF_LOGE_IF(cond, fmt, ...) ZF_LOG_IF(ZF_LOGE, cond, fmt, ##__VA_ARGS__)
/* A fatal condition: log it and stop the program. */
#define ZF_LOGF_IF(cond, fmt, ...) \
    do { \
        if (cond) { \
            ZF_LOGF("[Cond failed: %s]\n\t" fmt, #cond, ##__VA_ARGS__); \
            abort(); \
        } \
    } while (0)
