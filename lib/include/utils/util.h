/* seL4 libutils' umbrella header <utils/util.h>, the parts the tutorials and seL4 libraries
 * use: <utils/arith.h> (BIT, MASK, ALIGN_UP, IS_ALIGNED, ROUND_UP, MIN/MAX, ARRAY_SIZE...),
 * attributes (UNUSED, PACKED...), builtins, STRINGIFY/JOIN, compile_time_assert, the ZF_LOG
 * logging macros; and, as there, what the C library headers bring along (PRIxPTR from
 * <inttypes.h>, atol from <stdlib.h>, bool). */
#pragma once
#include <assert.h>
#include <autoconf.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <utils/arith.h>
#include <utils/attribute.h>
#include <utils/builtin.h>
#include <utils/compile_time.h>
#include <utils/stringify.h>
#include <utils/zf_log.h>

/* Older names for ZF_LOGE/ZF_LOGI. */
#define LOG_ERROR(args...) ZF_LOGE(args)
#define LOG_INFO(args...) ZF_LOGI(args)
