/* Kernel panics: a kernel bug, never a user error. Print the cause and a backtrace, then stop
 * the machine with a failure status. */
#include <stdarg.h>
#include "printk.h"
#include "arch.h"

NORETURN void panic(const char *fmt, ...)
{
    kprintf("\n*** KERNEL PANIC: ");
    va_list ap;
    va_start(ap, fmt);
    vkprintf(fmt, ap);
    va_end(ap);
    kprintf("\n");
    arch_print_backtrace((word_t)__builtin_frame_address(0));
    arch_halt_machine(0x7f);
}
