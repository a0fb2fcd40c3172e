# make test: host unit tests (kernel core and libraries built for the host under ASan and
# UBSan), QEMU system tests and examples, all counted by tools/harness.sh.

HOST_CC := gcc
HOST_SAN := -fsanitize=address,undefined -fno-sanitize-recover=all
HOST_CFLAGS := -std=gnu11 -O1 -g -Wall -Wextra -Werror $(HOST_SAN) -fno-omit-frame-pointer
HOST_TEST_DIR := $(BUILD)/host-tests
HOST_OBJ_DIR := $(BUILD)/host-objs
HOST_TESTS :=

# libsel4's ABI numbers and layouts against the fact sheet
HOST_TESTS += $(HOST_TEST_DIR)/libsel4_abi
$(HOST_TEST_DIR)/libsel4_abi: tests/host/test_libsel4_abi.c $(shell find libsel4/include -name '*.h')
	@mkdir -p $(dir $@)
	$(HOST_CC) $(HOST_CFLAGS) -Ilibsel4/include $< -o $@

# Every libsel4 stub and wrapper compiles freestanding (no main: compile only).
HOST_TESTS += $(HOST_OBJ_DIR)/compile_all_wrappers.o
$(HOST_OBJ_DIR)/compile_all_wrappers.o: tests/host/compile_all_wrappers.c $(shell find libsel4/include -name '*.h')
	@mkdir -p $(dir $@)
	$(CC) -std=gnu11 -O2 -ffreestanding -nostdlib -Wall -Wextra -Werror -Ilibsel4/include -c $< -o $@

# The libc, compiled for the host with its public names prefixed cairn_, against glibc.
HOST_LIBC_SRCS := $(patsubst $(CAIRN)/%,%,$(wildcard $(CAIRN)/lib/libc/src/*.c))
HOST_LIBC_OBJS := $(patsubst lib/libc/src/%.c,$(HOST_OBJ_DIR)/libc/%.o,$(HOST_LIBC_SRCS))
$(HOST_OBJ_DIR)/libc/%.o: lib/libc/src/%.c mk/tests.mk
	@mkdir -p $(dir $@)
	$(HOST_CC) -std=gnu11 -O2 -g -Wall -Wextra -Werror $(HOST_SAN) -ffreestanding -nostdinc \
	    -isystem $(shell $(HOST_CC) -print-file-name=include) -Ilib/libc/include \
	    -DCAIRN_LIBC_TEST_PREFIX -c $< -o $@
HOST_TESTS += $(HOST_TEST_DIR)/libc
$(HOST_TEST_DIR)/libc: tests/host/test_libc.c $(HOST_LIBC_OBJS)
	@mkdir -p $(dir $@)
	$(HOST_CC) $(HOST_CFLAGS) $^ -o $@


# The kernel core for the host: core/*.c except the parts that are the arch's or libc's
# business on a host, plus the arch's cap rules, linked with a fake arch layer. One program
# per tests/host/kernel/test_*.c.
HOST_KERNEL_CFLAGS := $(HOST_CFLAGS) -Ikernel/include -Ikernel/arch/$(KERNEL_ARCH)/include \
    -Ilibsel4/include -Itests/host/kernel -DCONFIG_ROOT_CNODE_SIZE_BITS=$(ROOT_CNODE_BITS) -DHOST_TEST
HOST_KERNEL_SRCS := $(wildcard kernel/core/*.c) kernel/arch/$(KERNEL_ARCH)/cap.c tests/host/kernel/fake_arch.c
HOST_KERNEL_OBJS := $(patsubst %.c,$(HOST_OBJ_DIR)/%.o,$(HOST_KERNEL_SRCS))
$(HOST_OBJ_DIR)/%.o: %.c mk/tests.mk
	@mkdir -p $(dir $@)
	$(HOST_CC) $(HOST_KERNEL_CFLAGS) -MMD -MP -c $< -o $@
HOST_KERNEL_TESTS := $(patsubst tests/host/kernel/test_%.c,$(HOST_TEST_DIR)/kernel_%,$(wildcard tests/host/kernel/test_*.c))
$(HOST_TEST_DIR)/kernel_%: $(HOST_OBJ_DIR)/tests/host/kernel/test_%.o $(HOST_KERNEL_OBJS)
	@mkdir -p $(dir $@)
	$(HOST_CC) $(HOST_CFLAGS) $^ -o $@
HOST_TESTS += $(HOST_KERNEL_TESTS)

# Host tests of the x86_64 virtual-memory code (tests/host/kernel/test_vm_*.c): also link
# the arch's address-space files, whose real functions replace the fake's weak stand-ins.
HOST_VM_SRCS := $(addprefix kernel/arch/$(KERNEL_ARCH)/,vspace.c asid.c mapping.c)
HOST_VM_OBJS := $(patsubst %.c,$(HOST_OBJ_DIR)/%.o,$(HOST_VM_SRCS))
$(HOST_VM_OBJS): mk/tests.mk
$(HOST_TEST_DIR)/kernel_vm_%: $(HOST_OBJ_DIR)/tests/host/kernel/test_vm_%.o $(HOST_KERNEL_OBJS) $(HOST_VM_OBJS)
	@mkdir -p $(dir $@)
	$(HOST_CC) $(HOST_CFLAGS) $^ -o $@

test: deps all $(HOST_TESTS)
	tools/harness.sh $(BUILD) $(KERNEL32)
