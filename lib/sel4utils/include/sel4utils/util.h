/* libsel4utils' util.h: the general utilities sel4utils code leans on. */
#pragma once

#include <autoconf.h>
#include <assert.h>
#include <stdint.h>
#include <utils/util.h>
#include <vspace/page.h>
#include <sel4utils/sel4_zf_logif.h>
#include <sel4utils/strerror.h>
#include <sel4utils/arch/util.h>
