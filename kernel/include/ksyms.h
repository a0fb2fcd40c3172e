/* Kernel symbol table for panic backtraces, generated from the linked kernel (tools/ksyms.sh)
 * and linked in by a second link step. */
#pragma once
#include "types.h"

const char *ksym_lookup(word_t addr, word_t *offset);
