/* Shared with the Cairn kernel: freestanding-safe, no user-only code. */
/*
 * The one build configuration Cairn implements: the seL4 16.0.0 x86_64
 * "column A" configuration of the ABI sheet (MCS, 1 core, no IOMMU, no
 * hardware-debug API, no VT-x, huge pages, FXSAVE, `syscall` entry, IOAPIC).
 *
 * Names follow seL4's generated gen_config.h so that code testing them
 * (#ifdef CONFIG_KERNEL_MCS, ...) behaves as on a real seL4 build.
 * Options that are off in this configuration are deliberately left
 * undefined: CONFIG_IOMMU, CONFIG_VTX, CONFIG_HARDWARE_DEBUG_API,
 * CONFIG_ENABLE_SMP_SUPPORT, CONFIG_ENABLE_BENCHMARKS,
 * CONFIG_BENCHMARK_TRACK_UTILISATION, CONFIG_KERNEL_X86_DANGEROUS_MSR,
 * CONFIG_DANGEROUS_CODE_INJECTION, CONFIG_KERNEL_INVOCATION_REPORT_ERROR_IPC,
 * CONFIG_SYSENTER, CONFIG_FSGSBASE_INST, CONFIG_XSAVE.
 */
#pragma once

/* Architecture and platform */
#define CONFIG_ARCH_X86 1
#define CONFIG_ARCH_X86_64 1
#define CONFIG_SEL4_ARCH_X86_64 1
#define CONFIG_X86_64 1
#define CONFIG_ARCH "x86"
#define CONFIG_SEL4_ARCH "x86_64"
#define CONFIG_PLAT_PC99 1
#define CONFIG_PLAT "pc99"
#define CONFIG_WORD_SIZE 64

/* Kernel flavour */
#define CONFIG_KERNEL_MCS 1
#define CONFIG_DEBUG_BUILD 1
#define CONFIG_PRINTING 1
#define CONFIG_COLOUR_PRINTING 1
#define CONFIG_USER_STACK_TRACE_LENGTH 16
#define CONFIG_MAX_NUM_NODES 1

/* x86 specifics */
#define CONFIG_SYSCALL 1            /* syscall entry through the `syscall` instruction */
#define CONFIG_IRQ_IOAPIC 1
#define CONFIG_HUGE_PAGE 1
#define CONFIG_HAVE_FPU 1
#define CONFIG_FXSAVE 1
#define CONFIG_XSAVE_SIZE 512       /* FXSAVE area; < 832 keeps seL4_TCBBits = 11 */
#define CONFIG_FSGSBASE_MSR 1       /* no wrfsbase in user mode ... */
#define CONFIG_SET_TLS_BASE_SELF 1  /* ... so the seL4_SetTLSBase syscall exists */
#define CONFIG_PADDR_USER_DEVICE_TOP 0x800000000000 /* device untypeds cover [0, 2^47) */

/* Sizes and limits */
#ifndef CONFIG_ROOT_CNODE_SIZE_BITS
#define CONFIG_ROOT_CNODE_SIZE_BITS 16 /* build option; override with -D */
#endif
#define CONFIG_MAX_NUM_BOOTINFO_UNTYPED_CAPS 230
#define CONFIG_RETYPE_FAN_OUT_LIMIT 256
#define CONFIG_RESET_CHUNK_BITS 8
#define CONFIG_NUM_PRIORITIES 256
#define CONFIG_NUM_DOMAINS 1
#define CONFIG_NUM_DOMAIN_SCHEDULES 2

/* MCS timing */
#define CONFIG_BOOT_THREAD_TIME_SLICE 5 /* ms, the root task's round-robin budget */
#define CONFIG_KERNEL_WCET_SCALE 1
#define CONFIG_KERNEL_STATIC_MAX_PERIOD_US 0 /* 0: computed from the TSC at boot */

/* libsel4 options */
#define CONFIG_LIB_SEL4_USE_THREAD_LOCALS 1 /* __sel4_ipc_buffer is a __thread variable */
