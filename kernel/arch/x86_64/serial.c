/* The debug console: a 16550 UART, polled, 115200 8N1. Kernel messages and seL4_DebugPutChar
 * share it, so kernel and user output interleave. */
#include "x86.h"
#include "arch.h"

static uint16_t serial_port = 0x3f8;

void serial_init(uint16_t port)
{
    if (port)
        serial_port = port;
    outb(serial_port + 1, 0x00); /* no interrupts */
    outb(serial_port + 3, 0x80); /* DLAB */
    outb(serial_port + 0, 0x01); /* divisor 1: 115200 baud */
    outb(serial_port + 1, 0x00);
    outb(serial_port + 3, 0x03); /* 8N1 */
    outb(serial_port + 4, 0x03); /* DTR, RTS */
}

static void serial_raw(char c)
{
    while (!(inb(serial_port + 5) & 0x20))
        ;
    outb(serial_port, (uint8_t)c);
}

void arch_putc(char c)
{
    if (c == '\n')
        serial_raw('\r');
    serial_raw(c);
}
