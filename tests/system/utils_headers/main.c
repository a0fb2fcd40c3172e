/*
 * The small libutils headers seL4 tutorials include: <utils/util.h> and <utils/arith.h>
 * macros (with what util.h brings along: PRIxPTR, atol, bool) and ZF_LOG with a tag prefix,
 * whose lines the `expect` file checks.
 */
#include <stdio.h>
#include <sel4/sel4.h>
#include <utils/arith.h>
#include <utils/util.h>
#include <utils/zf_log.h>
#include "../common/check.h"

struct PACKED packed {
    char c;
    int i;
};

static int UNUSED unused_function(void) { return 0; }

int main(void)
{
    int values[5];
    CHECK("BIT, MASK, ARRAY_SIZE", BIT(12) == 4096ul && MASK(12) == 4095ul && MASK(64) == ~0ul &&
                                       ARRAY_SIZE(values) == 5);
    CHECK("ALIGN_UP/DOWN and IS_ALIGNED (bits)", ALIGN_UP(4097ul, 4096ul) == 8192ul && ALIGN_DOWN(8191ul, 4096ul) == 4096ul &&
                                                     IS_ALIGNED(8192ul, 12) && !IS_ALIGNED(8200ul, 12));
    CHECK("ROUND_UP/DOWN for any divisor, DIV_ROUND_UP", ROUND_UP(10, 3) == 12 && ROUND_DOWN(10, 3) == 9 &&
                                                             ROUND_UP(9, 3) == 9 && DIV_ROUND_UP(10, 4) == 3);
    CHECK("MIN, MAX, CLAMP, LOG_BASE_2, IS_POWER_OF_2", MIN(3, -2) == -2 && MAX(3u, 7u) == 7u &&
                                                            CLAMP(0, 12, 10) == 10 && LOG_BASE_2(4096ul) == 12 &&
                                                            IS_POWER_OF_2(64) && !IS_POWER_OF_2(0));
    CHECK("PACKED, STRINGIFY, JOIN", sizeof(struct packed) == 5 && STRINGIFY(BIT(3))[0] == '(' && JOIN(val, ues)[0] == values[0]);
    char buf[32];
    snprintf(buf, sizeof(buf), "%" PRIxPTR, (uintptr_t)0xabc);
    bool ok = atol("1234") == 1234;
    CHECK("PRIxPTR and atol come along with <utils/util.h>", ok && buf[0] == 'a' && buf[2] == 'c');

    ZF_LOGE("no prefix yet");
    zf_log_set_tag_prefix("tutorial:");
    ZF_LOGF_IF(values == NULL, "never");
    ZF_LOGE_IF(1 + 1 == 2, "Failed on purpose: %d.", 42);
    zf_log_set_output_level(ZF_LOG_FATAL);
    ZF_LOGE("this error is below the output level and not printed");
    zf_log_set_output_level(ZF_LOG_VERBOSE);
    zf_log_set_tag_prefix(NULL);
    ZF_LOGW("prefix cleared");
    return check_failures ? 1 : 0;
}
