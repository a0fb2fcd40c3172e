/* User-only: never included by the kernel (reads the IPC buffer). */
/*
 * Which paging level was missing when a Map failed with seL4_FailedLookup:
 * the kernel reports a MissingCapability lookup failure whose bitsLeft (MR2)
 * names the level (ABI sheet §5.9).
 */
#pragma once

#include <sel4/types.h>
#include <sel4/functions.h>

#define SEL4_MAPPING_LOOKUP_LEVEL   2
#define SEL4_MAPPING_LOOKUP_NO_PT   21 /* no page table covering the address */
#define SEL4_MAPPING_LOOKUP_NO_PD   30 /* no page directory */
#define SEL4_MAPPING_LOOKUP_NO_PDPT 39 /* no PDPT */

LIBSEL4_INLINE_FUNC seL4_Word seL4_MappingFailedLookupLevel(void)
{
    return seL4_GetMR(SEL4_MAPPING_LOOKUP_LEVEL);
}
