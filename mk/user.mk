# Rules for user programs (root tasks and process images): freestanding, static, linked with
# Cairn's runtime and libc. Out-of-tree projects include this file (see README.md).

CAIRN ?= $(CURDIR)
USER_BUILD := $(BUILD)/user

USER_CFLAGS := -std=gnu11 -O2 -g -ffreestanding -fno-pic -fno-pie -mno-red-zone \
    -fno-stack-protector -fno-omit-frame-pointer -fno-strict-aliasing -Wall -Wextra -Werror \
    -nostdinc -isystem $(shell $(CC) -print-file-name=include) \
    -I$(CAIRN)/lib/libc/include -I$(CAIRN)/lib/runtime/include -I$(CAIRN)/lib/include \
    -I$(CAIRN)/lib/cairn_alloc/include \
    -I$(CAIRN)/libsel4/include -DCONFIG_ROOT_CNODE_SIZE_BITS=$(ROOT_CNODE_BITS) -MMD -MP
USER_LDFLAGS := -nostdlib -static -no-pie -Wl,-z,max-page-size=4096 -Wl,-z,noexecstack \
    -Wl,--no-warn-rwx-segments -Wl,--build-id=none

LIBC_SRCS := $(wildcard $(CAIRN)/lib/libc/src/*.c)
LIBC_OBJS := $(patsubst $(CAIRN)/%,$(USER_BUILD)/cairn/%.o,$(LIBC_SRCS))
LIBC := $(USER_BUILD)/libc.a
RUNTIME_SRCS := $(wildcard $(CAIRN)/lib/runtime/*.c) $(wildcard $(CAIRN)/lib/runtime/*.S)
RUNTIME_OBJS := $(patsubst $(CAIRN)/%,$(USER_BUILD)/cairn/%.o,$(RUNTIME_SRCS))
RUNTIME := $(USER_BUILD)/libruntime.a
# The tiny root-task allocator over BootInfo's slots and untypeds (<cairn/alloc.h>).
CAIRN_ALLOC_SRCS := $(wildcard $(CAIRN)/lib/cairn_alloc/*.c)
CAIRN_ALLOC_OBJS := $(patsubst $(CAIRN)/%,$(USER_BUILD)/cairn/%.o,$(CAIRN_ALLOC_SRCS))
CAIRN_ALLOC := $(USER_BUILD)/libcairn_alloc.a
USER_LIBS := $(RUNTIME) $(LIBC) $(CAIRN_ALLOC)

# Cairn's own libraries build under cairn/, a program's sources under their own path.
$(USER_BUILD)/cairn/%.c.o: $(CAIRN)/%.c
	@mkdir -p $(dir $@)
	$(CC) $(USER_CFLAGS) -c $< -o $@

$(USER_BUILD)/cairn/%.S.o: $(CAIRN)/%.S
	@mkdir -p $(dir $@)
	$(CC) $(USER_CFLAGS) -c $< -o $@

$(USER_BUILD)/%.c.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(USER_CFLAGS) -c $< -o $@

$(LIBC): $(LIBC_OBJS)
	rm -f $@ && ar rcs $@ $^

$(RUNTIME): $(RUNTIME_OBJS)
	rm -f $@ && ar rcs $@ $^

$(CAIRN_ALLOC): $(CAIRN_ALLOC_OBJS)
	rm -f $@ && ar rcs $@ $^

# Objects follow a change of flags.
$(LIBC_OBJS) $(RUNTIME_OBJS) $(CAIRN_ALLOC_OBJS): mk/user.mk

# $(call user_program,OUTPUT.elf,SOURCES): link a program from its sources.
define user_program
$(1): $(patsubst %,$(USER_BUILD)/%.o,$(2)) $(USER_LIBS)
	@mkdir -p $$(dir $$@)
	$(CC) $(USER_LDFLAGS) -o $$@ $$(filter %.o,$$^) -Wl,--start-group $(USER_LIBS) -Wl,--end-group -lgcc
endef

$(USER_BUILD)/%.S.o: %.S
	@mkdir -p $(dir $@)
	$(CC) $(USER_CFLAGS) -c $< -o $@
