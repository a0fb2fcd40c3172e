/* x86 instructions and registers used across arch/x86_64. */
#pragma once
#include "types.h"
#include "arch_types.h"

static inline void outb(uint16_t port, uint8_t v) { __asm__ volatile("outb %0, %1" ::"a"(v), "Nd"(port)); }
static inline void outw(uint16_t port, uint16_t v) { __asm__ volatile("outw %0, %1" ::"a"(v), "Nd"(port)); }
static inline void outl(uint16_t port, uint32_t v) { __asm__ volatile("outl %0, %1" ::"a"(v), "Nd"(port)); }
static inline uint8_t inb(uint16_t port)
{
    uint8_t v;
    __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}
static inline uint16_t inw(uint16_t port)
{
    uint16_t v;
    __asm__ volatile("inw %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}
static inline uint32_t inl(uint16_t port)
{
    uint32_t v;
    __asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}
static inline uint64_t rdmsr(uint32_t msr)
{
    uint32_t lo, hi;
    __asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
    return ((uint64_t)hi << 32) | lo;
}
static inline void wrmsr(uint32_t msr, uint64_t v)
{
    __asm__ volatile("wrmsr" ::"c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)));
}
static inline void cpuid(uint32_t leaf, uint32_t sub, uint32_t *a, uint32_t *b, uint32_t *c, uint32_t *d)
{
    __asm__ volatile("cpuid" : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d) : "a"(leaf), "c"(sub));
}
static inline uint64_t rdtsc(void)
{
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}
static inline word_t read_cr2(void)
{
    word_t v;
    __asm__ volatile("mov %%cr2, %0" : "=r"(v));
    return v;
}
static inline word_t read_cr3(void)
{
    word_t v;
    __asm__ volatile("mov %%cr3, %0" : "=r"(v));
    return v;
}
static inline void write_cr3(word_t v) { __asm__ volatile("mov %0, %%cr3" ::"r"(v) : "memory"); }
static inline word_t read_cr0(void)
{
    word_t v;
    __asm__ volatile("mov %%cr0, %0" : "=r"(v));
    return v;
}
static inline void write_cr0(word_t v) { __asm__ volatile("mov %0, %%cr0" ::"r"(v)); }
static inline word_t read_cr4(void)
{
    word_t v;
    __asm__ volatile("mov %%cr4, %0" : "=r"(v));
    return v;
}
static inline void write_cr4(word_t v) { __asm__ volatile("mov %0, %%cr4" ::"r"(v)); }
static inline void clts(void) { __asm__ volatile("clts"); }
static inline void invlpg(vaddr_t a) { __asm__ volatile("invlpg (%0)" ::"r"(a) : "memory"); }

#define MSR_EFER 0xC0000080
#define MSR_STAR 0xC0000081
#define MSR_LSTAR 0xC0000082
#define MSR_FMASK 0xC0000084
#define MSR_FS_BASE 0xC0000100
#define MSR_GS_BASE 0xC0000101
#define MSR_KERNEL_GS_BASE 0xC0000102
#define MSR_PAT 0x277
#define MSR_APIC_BASE 0x1B

#define EFER_SCE BIT(0)
#define EFER_NXE BIT(11)

#define RFLAGS_IF 0x200ull
#define RFLAGS_TF 0x100ull
#define RFLAGS_DF 0x400ull
#define RFLAGS_AC 0x40000ull

/* The QEMU debug-exit device: writing v makes QEMU exit with status (v << 1) | 1. */
#define DEBUG_EXIT_PORT 0xf4

/* Kernel virtual layout. */
#define KDEVICE_BASE 0xffffffffc0000000ull /* uncached device pages (LAPIC, IOAPIC) */
#define USER_TOP 0x00007fffffffffffull     /* highest user address (inclusive) */

static inline paddr_t kimage_to_paddr(const void *p) { return (word_t)p - KERNEL_VBASE; }
