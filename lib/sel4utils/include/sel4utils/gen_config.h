/* libsel4utils build options, with seL4's names and default values. */
#pragma once

/* Bytes of stack given to a thread or process by sel4utils (a whole number of 4 KiB pages). */
#ifndef CONFIG_SEL4UTILS_STACK_SIZE
#define CONFIG_SEL4UTILS_STACK_SIZE 65536
#endif
/* log2 of the number of slots in the CNode that sel4utils creates for a new process. */
#ifndef CONFIG_SEL4UTILS_CSPACE_SIZE_BITS
#define CONFIG_SEL4UTILS_CSPACE_SIZE_BITS 12
#endif
