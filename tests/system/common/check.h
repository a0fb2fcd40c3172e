/* System-test helpers: one PASS/FAIL line per check, counted by the harness. */
#pragma once
#include <stdio.h>

static int check_failures;

#define CHECK(name, cond) \
    do { \
        if (cond) { \
            printf("PASS: %s\n", name); \
        } else { \
            printf("FAIL: %s (%s:%d: %s)\n", name, __FILE__, __LINE__, #cond); \
            check_failures++; \
        } \
    } while (0)
