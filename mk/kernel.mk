# The kernel: core (arch-neutral) + arch/x86_64, linked twice so that panics can name
# functions (the second link adds the symbol table made from the first).

KERNEL_ARCH := x86_64
KERNEL_BUILD := $(BUILD)/kernel
KERNEL_ELF := $(KERNEL_BUILD)/kernel.elf
KERNEL32 := $(KERNEL_BUILD)/kernel32.elf

KERNEL_CFLAGS := -std=gnu11 -O2 -g -ffreestanding -nostdlib -fno-pic -fno-pie -mcmodel=kernel \
    -mno-red-zone -mgeneral-regs-only -fno-stack-protector -fno-omit-frame-pointer -mno-omit-leaf-frame-pointer -fno-optimize-sibling-calls \
    -fno-asynchronous-unwind-tables -fno-strict-aliasing -Wall -Wextra -Werror \
    -Wstrict-prototypes -Wmissing-prototypes -Wno-missing-prototypes \
    -Ikernel/include -Ikernel/arch/$(KERNEL_ARCH)/include -Ilibsel4/include \
    -DCONFIG_ROOT_CNODE_SIZE_BITS=$(ROOT_CNODE_BITS) -MMD -MP

KERNEL_SRCS := $(wildcard kernel/core/*.c) $(wildcard kernel/arch/$(KERNEL_ARCH)/*.c) \
    $(wildcard kernel/arch/$(KERNEL_ARCH)/*.S)
KERNEL_OBJS := $(patsubst %,$(BUILD)/%.o,$(KERNEL_SRCS))
KERNEL_LDS := kernel/arch/$(KERNEL_ARCH)/linker.ld

kernel: $(KERNEL_ELF) $(KERNEL32)

$(BUILD)/kernel/%.c.o: kernel/%.c
	@mkdir -p $(dir $@)
	$(CC) $(KERNEL_CFLAGS) -c $< -o $@

# The fastpath's entry points are called from the syscall stub and never return, so nothing
# needs the callee-saved registers kept: letting gcc use them freely spares the pushes. Nor
# does a backtrace need their frame pointer (panic.c scans the stack for return addresses);
# rbp stays out of use rather than be saved.
$(BUILD)/kernel/core/fastpath.c.o: KERNEL_CFLAGS += -fcall-used-rbx -fcall-used-r12 \
    -fcall-used-r13 -fcall-used-r14 -fcall-used-r15 -fomit-frame-pointer -ffixed-rbp

$(BUILD)/kernel/%.S.o: kernel/%.S
	@mkdir -p $(dir $@)
	$(CC) $(KERNEL_CFLAGS) -c $< -o $@

KERNEL_LDFLAGS := -nostdlib -n -z max-page-size=4096 -z noexecstack --no-warn-rwx-segments -T $(KERNEL_LDS)

$(KERNEL_BUILD)/kernel.stage1.elf: $(KERNEL_OBJS) $(KERNEL_LDS)
	$(LD) $(KERNEL_LDFLAGS) -o $@ $(KERNEL_OBJS)

$(KERNEL_BUILD)/ksyms.S: $(KERNEL_BUILD)/kernel.stage1.elf tools/ksyms.sh
	tools/ksyms.sh $< > $@

$(KERNEL_BUILD)/ksyms.o: $(KERNEL_BUILD)/ksyms.S
	$(CC) -c $< -o $@

$(KERNEL_ELF): $(KERNEL_OBJS) $(KERNEL_BUILD)/ksyms.o $(KERNEL_LDS)
	$(LD) $(KERNEL_LDFLAGS) -o $@ $(KERNEL_OBJS) $(KERNEL_BUILD)/ksyms.o

# QEMU's multiboot loader only takes 32-bit ELF files.
$(KERNEL32): $(KERNEL_ELF)
	$(OBJCOPY) -O elf32-i386 $< $@

# A change of flags rebuilds everything.
$(KERNEL_OBJS): mk/kernel.mk
