/* Page sizes: which frame sizes can be mapped (libsel4vspace <vspace/page.h>), plus the small
 * page-arithmetic macros of seL4's <utils/page.h> that vspace code uses (defined here only
 * when nothing else defined them first). */
#pragma once

#include <assert.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <utils/util.h>
#include <vspace/arch/page.h>
#if __has_include(<utils/page.h>)
#include <utils/page.h>
#endif

#ifndef PAGE_BITS_4K
#define PAGE_BITS_4K 12
#endif
#ifndef PAGE_SIZE_4K
#define PAGE_SIZE_4K (1ul << PAGE_BITS_4K)
#endif
#ifndef SIZE_BITS_TO_BYTES
#define SIZE_BITS_TO_BYTES(size_bits) (1ul << (size_bits))
#endif
#ifndef BYTES_TO_SIZE_BITS_PAGES
/* Number of pages of 2^size_bits bytes needed to hold `bytes` (rounded up). */
#define BYTES_TO_SIZE_BITS_PAGES(bytes, size_bits) \
    (((bytes) + SIZE_BITS_TO_BYTES(size_bits) - 1) >> (size_bits))
#endif
#ifndef BYTES_TO_4K_PAGES
#define BYTES_TO_4K_PAGES(bytes) BYTES_TO_SIZE_BITS_PAGES(bytes, PAGE_BITS_4K)
#endif
#ifndef PAGE_ALIGN_4K
#define PAGE_ALIGN_4K(addr) ((addr) & ~(PAGE_SIZE_4K - 1))
#endif

#define SEL4_NUM_PAGE_SIZES ((int)ARRAY_SIZE(sel4_page_sizes))

/* True if a frame of 2^size_bits bytes can be mapped on this architecture. */
static inline bool sel4_valid_size_bits(size_t size_bits)
{
    for (int i = 0; i < SEL4_NUM_PAGE_SIZES; i++) {
        if (sel4_page_sizes[i] == size_bits) {
            return true;
        }
    }
    return false;
}

/* The largest mappable frame size that is not bigger than size_bytes (the smallest page
 * size when size_bytes is smaller than every page). */
static inline int sel4_page_size_bits_for_memory_region(size_t size_bytes)
{
    int best = 0;
    for (int i = 1; i < SEL4_NUM_PAGE_SIZES; i++) {
        if ((size_bytes >> sel4_page_sizes[i]) != 0) {
            best = i;
        }
    }
    return (int)sel4_page_sizes[best];
}
