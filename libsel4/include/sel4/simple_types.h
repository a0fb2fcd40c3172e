/* Shared with the Cairn kernel: freestanding-safe, no user-only code. */
/* Fixed-width integer types without <stdint.h> (seL4's names). */
#pragma once

#include <sel4/macros.h>
#include <sel4/sel4_arch/simple_types.h>

typedef signed char seL4_Int8;
typedef unsigned char seL4_Uint8;
typedef signed short seL4_Int16;
typedef unsigned short seL4_Uint16;
typedef signed int seL4_Int32;
typedef unsigned int seL4_Uint32;
typedef signed _seL4_int64_type seL4_Int64;
typedef unsigned _seL4_int64_type seL4_Uint64;

typedef seL4_Int8 seL4_Bool;
#define seL4_True  1
#define seL4_False 0

#define seL4_Null ((void *)0)

/* printf length modifiers for a seL4_Word: printf("%" SEL4_PRIx_word, w) */
#define _sel4_stringify(x) #x
#define _sel4_fmt(x) _sel4_stringify(x)
#define SEL4_PRIx_word _sel4_fmt(_seL4_word_fmt) "x"
#define SEL4_PRIo_word _sel4_fmt(_seL4_word_fmt) "o"
#define SEL4_PRIu_word _sel4_fmt(_seL4_word_fmt) "u"
#define SEL4_PRId_word _sel4_fmt(_seL4_word_fmt) "d"
#define SEL4_PRIi_word _sel4_fmt(_seL4_word_fmt) "i"

SEL4_COMPILE_ASSERT(seL4_Uint8_is_1_byte, sizeof(seL4_Uint8) == 1)
SEL4_COMPILE_ASSERT(seL4_Uint16_is_2_bytes, sizeof(seL4_Uint16) == 2)
SEL4_COMPILE_ASSERT(seL4_Uint32_is_4_bytes, sizeof(seL4_Uint32) == 4)
SEL4_COMPILE_ASSERT(seL4_Uint64_is_8_bytes, sizeof(seL4_Uint64) == 8)
