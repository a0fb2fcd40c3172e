# Cairn: build everything with the host gcc in freestanding mode; boot it in QEMU.
#   make run    build, then boot the demo root task (examples/hello)
#   make test   build, then run host unit tests, system tests and examples
#   make gdb    boot the demo with QEMU waiting for gdb (symbols for kernel and root task)
#   make clean
# Options: ROOT_CNODE_BITS=16 (root CNode size), ACCEL=tcg|kvm|auto, BUILD=build

BUILD ?= build
ROOT_CNODE_BITS ?= 16
RUN ?= hello
CC ?= gcc
ifeq ($(origin CC),default)
CC := gcc
endif
LD := ld
OBJCOPY := objcopy

all: kernel userland

ifndef V
.SILENT:
endif

include mk/kernel.mk
include mk/user.mk
include mk/programs.mk
include mk/tests.mk

.PHONY: all kernel userland run gdb test deps clean bench

deps:
	@tools/deps.sh

run: deps all
	tools/run-qemu.sh --interactive $(KERNEL32) $(BUILD)/examples/$(RUN).elf

gdb: deps all
	@echo "QEMU waits for gdb on :1234; in another terminal run: gdb -x $(BUILD)/gdbinit"
	@printf 'file %s\nadd-symbol-file %s\ntarget remote :1234\n' $(KERNEL_ELF) $(BUILD)/examples/$(RUN).elf > $(BUILD)/gdbinit
	tools/run-qemu.sh --interactive --gdb $(KERNEL32) $(BUILD)/examples/$(RUN).elf

clean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
