/* seL4 keeps the x86 part of simple_t in <simple/arch/simple.h>; Cairn keeps it in
 * <simple/simple.h>. */
#pragma once
#include <simple/simple.h>
