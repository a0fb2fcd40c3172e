/* Host test support for the kernel core. */
#pragma once
#include "types.h"

/* Reset the fake physical memory (allocated once, zeroed each time). */
void fake_arch_init(word_t phys_bytes);
paddr_t fake_phys_base(void);

/* Test reporting: one line per check, as the harness counts them. */
#include <stdio.h>
extern int host_failures;
#define HCHECK(name, cond) \
    do { \
        if (cond) \
            printf("PASS: %s\n", name); \
        else { \
            printf("FAIL: %s (%s:%d: %s)\n", name, __FILE__, __LINE__, #cond); \
            host_failures++; \
        } \
    } while (0)
