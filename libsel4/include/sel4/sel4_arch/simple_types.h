/* Shared with the Cairn kernel: freestanding-safe, no user-only code. */
/* x86_64 (LP64): 64-bit integers are `long`, so a word prints with "l". */
#pragma once

#define SEL4_INT64_IS_LONG 1
#define SEL4_WORD_IS_UINT64 1
#define _seL4_int64_type long
#define _seL4_word_fmt l
