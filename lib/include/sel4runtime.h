/* sel4runtime's interface (seL4's names and signatures) over Cairn's runtime: the program's
 * BootInfo, and thread-local storage for threads a program starts itself. */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <sel4/sel4.h>
#include <sel4runtime/auxv.h>
#include <sel4runtime/bootinfo.h>

/* Bytes a memory region must have to hold one thread's TLS (template copy, alignment and
 * the thread pointer's self-pointer). */
size_t sel4runtime_get_tls_size(void);

/* Lay out a new thread's TLS in `tls_memory` (at least sel4runtime_get_tls_size() bytes, any
 * alignment): a fresh copy of the program's TLS template. Returns the thread pointer to hand
 * to seL4_TCB_SetTLSBase, or 0 if tls_memory is NULL. */
uintptr_t sel4runtime_write_tls_image(void *tls_memory);

/* The calling thread's TLS base (its thread pointer), and setting it. */
static inline uintptr_t sel4runtime_get_tls_base(void)
{
    uintptr_t tp;
    __asm__ volatile("movq %%fs:0, %0" : "=r"(tp));
    return tp;
}

static inline void sel4runtime_set_tls_base(uintptr_t tls_base)
{
    seL4_SetTLSBase(tls_base);
}

/* Copy `bytes` from `src` into another thread's TLS (thread pointer `dest_tls_base`), at the
 * place of the variable that is at `local_tls_dest` in the caller's own TLS. 0 on success,
 * -1 if dest_tls_base is 0 or local_tls_dest..+bytes is not inside the caller's TLS. */
int __sel4runtime_write_tls_variable(uintptr_t dest_tls_base, unsigned char *local_tls_dest,
                                     unsigned char *src, size_t bytes);

/* Set thread-local `variable` of the thread whose thread pointer is `thread_pointer` to
 * `value` (same size as the variable); evaluates to 0 on success, -1 on a bad argument. */
#define sel4runtime_set_tls_variable(thread_pointer, variable, value) ({ \
    _Static_assert(sizeof(variable) == sizeof(value), "value must have the variable's size"); \
    __typeof__(variable) sel4runtime_value_ = (value); \
    __sel4runtime_write_tls_variable((thread_pointer), (unsigned char *)&(variable), \
                                     (unsigned char *)&sel4runtime_value_, sizeof(sel4runtime_value_)); \
})
