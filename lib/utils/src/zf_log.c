/* Run-time state of the ZF_LOG macros (<utils/zf_log.h>): the line prefix and output level. */
#include <string.h>
#include <utils/zf_log.h>

#define PREFIX_MAX 64

static char prefix_buf[PREFIX_MAX + 2];
const char *_zf_log_line_prefix = "";
int _zf_log_output_lvl = 0;

void zf_log_set_tag_prefix(const char *const prefix)
{
    if (prefix == NULL || prefix[0] == '\0') {
        _zf_log_line_prefix = "";
        return;
    }
    size_t n = strlen(prefix);
    if (n > PREFIX_MAX)
        n = PREFIX_MAX;
    memcpy(prefix_buf, prefix, n);
    prefix_buf[n] = ' ';
    prefix_buf[n + 1] = '\0';
    _zf_log_line_prefix = prefix_buf;
}

void zf_log_set_output_level(const int lvl)
{
    _zf_log_output_lvl = lvl;
}
