/* User-only: never included by the kernel. */
/* The whole libsel4 API for user programs. */
#pragma once

#include <sel4/config.h>
#include <sel4/macros.h>
#include <sel4/types.h>
#include <sel4/bootinfo.h>
#include <sel4/functions.h>
#include <sel4/syscalls.h>
#include <sel4/faults.h>
#include <sel4/messages.h>
#include <sel4/assert.h>
#include <sel4/debug_assert.h>
#include <interfaces/sel4_client.h>
