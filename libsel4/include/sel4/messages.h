/* User-only: never included by the kernel. */
/* Helpers for interpreting kernel messages. */
#pragma once

#include <sel4/types.h>
#include <sel4/faults.h>
#include <sel4/arch/mapping.h>
