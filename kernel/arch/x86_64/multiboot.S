/*
 * Multiboot entry. QEMU (or GRUB) enters _start32 in 32-bit protected mode, paging off,
 * EAX = multiboot magic, EBX = physical address of the multiboot info. We check that the CPU
 * can run 64-bit code, build a temporary page table that maps the first GiB both at 0 and at
 * KERNEL_VBASE, enter long mode and jump to the higher-half C entry point boot_main().
 */
#define MB_MAGIC 0x1BADB002
#define MB_FLAGS 0x3            /* page-aligned modules, memory map */
#define KERNEL_VBASE 0xffffffff80000000
#define COM1 0x3f8

    .section .multiboot, "a"
    .align 4
    .long MB_MAGIC
    .long MB_FLAGS
    .long -(MB_MAGIC + MB_FLAGS)

    .section .boot.text, "ax"
    .code32
    .global _start32
_start32:
    cli
    cld
    movl %eax, %edi                 /* keep magic and info pointer for boot_main */
    movl %ebx, %esi
    movl $boot_stack32_top, %esp

    /* Long mode needs CPUID leaf 0x80000001 EDX bit 29. */
    movl $0x80000000, %eax
    cpuid
    cmpl $0x80000001, %eax
    jb no_long_mode
    movl $0x80000001, %eax
    cpuid
    btl $29, %edx
    jnc no_long_mode

    /* Early page tables: PML4[0] and PML4[511] -> PDPTs whose entry covers the first GiB
     * with 2 MiB pages (PDPT_lo[0] and PDPT_hi[510] share one page directory). */
    movl $boot_pd, %ebx
    xorl %ecx, %ecx
1:  movl %ecx, %eax
    shll $21, %eax
    orl $0x83, %eax                 /* present, writable, 2 MiB page */
    movl %eax, (%ebx, %ecx, 8)
    movl $0, 4(%ebx, %ecx, 8)
    incl %ecx
    cmpl $512, %ecx
    jne 1b
    movl $boot_pd, %eax
    orl $0x3, %eax
    movl %eax, boot_pdpt_lo
    movl %eax, boot_pdpt_hi + 510 * 8
    movl $boot_pdpt_lo, %eax
    orl $0x3, %eax
    movl %eax, boot_pml4
    movl $boot_pdpt_hi, %eax
    orl $0x3, %eax
    movl %eax, boot_pml4 + 511 * 8

    movl %cr4, %eax
    orl $(1 << 5), %eax             /* PAE */
    movl %eax, %cr4
    movl $boot_pml4, %eax
    movl %eax, %cr3
    movl $0xC0000080, %ecx          /* EFER.LME */
    rdmsr
    orl $(1 << 8), %eax
    wrmsr
    movl %cr0, %eax
    orl $0x80010001, %eax           /* PG | WP | PE */
    movl %eax, %cr0

    lgdt boot_gdt_ptr
    ljmp $0x08, $long_mode_entry

no_long_mode:
    movl $no_lm_msg, %ebx
2:  movb (%ebx), %al
    testb %al, %al
    jz 4f
    movw $(COM1 + 5), %dx
3:  inb %dx, %al                    /* wait for the transmitter to be empty */
    testb $0x20, %al
    jz 3b
    movb (%ebx), %al
    movw $COM1, %dx
    outb %al, %dx
    incl %ebx
    jmp 2b
4:  movw $0xf4, %dx                 /* QEMU isa-debug-exit: stop with a failure status */
    movl $0x7f, %eax
    outl %eax, %dx
5:  hlt
    jmp 5b

    .code64
long_mode_entry:
    movw $0x10, %ax
    movw %ax, %ds
    movw %ax, %es
    movw %ax, %ss
    xorw %ax, %ax
    movw %ax, %fs
    movw %ax, %gs
    movabsq $high_entry, %rax
    jmp *%rax

    .section .boot.data, "aw"
no_lm_msg:
    .asciz "Cairn: this CPU cannot run 64-bit code (no long mode); Cairn needs an x86_64 CPU.\r\n"
    .align 16
boot_gdt:
    .quad 0
    .quad 0x00af9a000000ffff        /* 64-bit kernel code */
    .quad 0x00cf92000000ffff        /* kernel data */
boot_gdt_ptr:
    .word boot_gdt_ptr - boot_gdt - 1
    .long boot_gdt
    .align 4096
boot_pml4:      .fill 512, 8, 0
boot_pdpt_lo:   .fill 512, 8, 0
boot_pdpt_hi:   .fill 512, 8, 0
boot_pd:        .fill 512, 8, 0
boot_stack32:   .fill 256, 1, 0
boot_stack32_top:

    .text
high_entry:
    leaq kernel_stack_top(%rip), %rsp
    xorl %ebp, %ebp
    /* EDI = multiboot magic, ESI = multiboot info (physical) */
    call boot_main
6:  hlt
    jmp 6b
