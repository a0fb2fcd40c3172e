/* sel4runtime's TLS functions for threads a program creates itself (see <sel4runtime.h>),
 * built on the runtime's own TLS layout (cairn_tls_init, start.c). */
#include <stdint.h>
#include <string.h>
#include <elf.h>
#include <sel4runtime.h>
#include <cairn/runtime.h>

size_t sel4runtime_get_tls_size(void)
{
    const Elf64_Phdr *tls = cairn_tls_header();
    size_t memsz = tls ? tls->p_memsz : 0;
    size_t align = tls && tls->p_align > 8 ? tls->p_align : 8;
    /* worst case: the block is pushed up by align - 1 bytes, then the self-pointer word */
    return memsz + align - 1 + sizeof(uintptr_t);
}

uintptr_t sel4runtime_write_tls_image(void *tls_memory)
{
    if (tls_memory == NULL)
        return 0;
    return cairn_tls_init(tls_memory, sel4runtime_get_tls_size());
}

int __sel4runtime_write_tls_variable(uintptr_t dest_tls_base, unsigned char *local_tls_dest,
                                     unsigned char *src, size_t bytes)
{
    const Elf64_Phdr *tls = cairn_tls_header();
    uintptr_t mine = sel4runtime_get_tls_base();
    uintptr_t var = (uintptr_t)local_tls_dest;
    /* x86_64 variant II: the caller's block is the p_memsz bytes just below its thread pointer */
    if (dest_tls_base == 0 || src == NULL || tls == NULL || var < mine - tls->p_memsz || var > mine ||
        bytes > mine - var)
        return -1;
    memcpy(cairn_tls_variable(dest_tls_base, local_tls_dest), src, bytes);
    return 0;
}
