# Cairn for projects outside the tree: a root task and its process images built from your
# own directory with Cairn's headers and libraries, booted on a Cairn kernel in QEMU.
#
#   CAIRN := /path/to/cairn          # your Makefile: these two lines are enough
#   include $(CAIRN)/mk/sdk.mk
#
# Variables (set before the include; all optional but CAIRN):
#   ROOT_TASK        the root task's name: $(BUILD)/$(ROOT_TASK).elf (default: this directory's)
#   ROOT_TASK_SRCS   its sources (default: the .c and .S files here)
#   IMAGES           the process image directories (default: every subdirectory with .c or .S
#                    files); each is a program of its own, packed into the root task's CPIO
#                    archive as a member named after the directory
#   BUILD            the build directory (default: build)
#   CAIRN_KERNEL     a kernel32.elf to boot (default: build one from $(CAIRN) into $(BUILD)/cairn)
#   EXTRA_CFLAGS     more compiler flags for your sources (e.g. -Iinclude)
#   USER_WARNINGS    the warning flags for your code (default: -Wall; the tree itself uses
#                    -Wall -Wextra -Werror)
#   ROOT_CNODE_BITS  the root CNode size the kernel gives the root task (default 16)
#   ACCEL, TIMEOUT   for QEMU: tcg|kvm|auto, and seconds allowed by `make boot`
# Targets: all (the default: kernel and root task), run (boot in QEMU, interactive), boot
# (boot with the console on stdout; the exit status is the root task's), gdb, clean.

ifndef CAIRN
$(error set CAIRN to the Cairn source tree before including mk/sdk.mk)
endif
CAIRN := $(abspath $(CAIRN))
BUILD ?= build
ROOT_CNODE_BITS ?= 16
ifeq ($(origin CC),default)
CC := gcc
endif
LD ?= ld
OBJCOPY ?= objcopy

.DEFAULT_GOAL := all
ifndef V
.SILENT:
endif

# seL4 programs (tutorial code) are usually written against -Wall only.
USER_WARNINGS ?= -Wall
include $(CAIRN)/mk/user.mk

ROOT_TASK ?= $(notdir $(CURDIR))
ROOT_TASK_SRCS ?= $(wildcard *.c *.S)
IMAGES ?= $(filter-out $(patsubst ./%,%,$(BUILD)),$(patsubst ./%,%,$(call cairn_image_dirs,.)))

ROOT_ELF := $(BUILD)/$(ROOT_TASK).elf
$(call cairn_root_task,$(ROOT_ELF),$(ROOT_TASK_SRCS),$(IMAGES))

# The kernel: built by Cairn's own Makefile into $(BUILD)/cairn (it checks what is up to
# date), unless CAIRN_KERNEL names one already built.
ifdef CAIRN_KERNEL
KERNEL32 := $(CAIRN_KERNEL)
cairn-kernel:
else
KERNEL32 := $(BUILD)/cairn/kernel/kernel32.elf
cairn-kernel:
	$(MAKE) --no-print-directory -C $(CAIRN) CAIRN=$(CAIRN) BUILD=$(abspath $(BUILD))/cairn \
	    ROOT_CNODE_BITS=$(ROOT_CNODE_BITS) kernel
endif

all: cairn-kernel $(ROOT_ELF)

deps:
	$(CAIRN)/tools/deps.sh

run: deps all
	$(CAIRN)/tools/run-qemu.sh --interactive $(KERNEL32) $(ROOT_ELF)

boot: deps all
	$(CAIRN)/tools/run-qemu.sh $(KERNEL32) $(ROOT_ELF)

gdb: deps all
	echo "QEMU waits for gdb on :1234; in another terminal run: gdb -x $(BUILD)/gdbinit"
	printf 'file %s\nadd-symbol-file %s\ntarget remote :1234\n' $(KERNEL32:kernel32.elf=kernel.elf) $(ROOT_ELF) \
	    > $(BUILD)/gdbinit
	$(CAIRN)/tools/run-qemu.sh --interactive --gdb $(KERNEL32) $(ROOT_ELF)

clean:
	rm -rf $(BUILD)

.PHONY: all cairn-kernel deps run boot gdb clean

-include $(shell find $(USER_BUILD) -name '*.d' 2>/dev/null)
