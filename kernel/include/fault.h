/* Faults a thread can raise (seL4_Fault_* labels, abi §11). */
#pragma once
#include "types.h"
#include "abi.h"

struct lookup_fault {
    word_t type; /* seL4_InvalidRoot .. seL4_GuardMismatch, 0 = none */
    word_t bits_left;
    word_t bits_found_or_guard; /* DepthMismatch bitsFound / GuardMismatch guardFound */
    word_t guard_bits_found;    /* GuardMismatch bitsFound (the guard size) */
};

struct fault {
    word_t type; /* seL4_Fault_CapFault, ... */
    union {
        struct {
            word_t addr;
            bool in_recv_phase;
            struct lookup_fault lookup;
        } cap;
        struct {
            word_t number;
        } unknown_syscall;
        struct {
            word_t number, code;
        } user_exception;
        struct {
            word_t addr, fsr;
            bool prefetch;
        } vm;
    };
};
