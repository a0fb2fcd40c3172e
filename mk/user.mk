# Rules for user programs (root tasks and process images): freestanding, static, linked with
# Cairn's runtime and libc. Out-of-tree projects include this file (see README.md).

CAIRN ?= $(CURDIR)
USER_BUILD := $(BUILD)/user

USER_CFLAGS := -std=gnu11 -O2 -g -ffreestanding -fno-pic -fno-pie -mno-red-zone \
    -fno-stack-protector -fno-omit-frame-pointer -fno-strict-aliasing -Wall -Wextra -Werror \
    -nostdinc -isystem $(shell $(CC) -print-file-name=include) \
    -I$(CAIRN)/lib/include \
    -I$(CAIRN)/libsel4/include -DCONFIG_ROOT_CNODE_SIZE_BITS=$(ROOT_CNODE_BITS) -MMD -MP
USER_LDFLAGS := -nostdlib -static -no-pie -Wl,-z,max-page-size=4096 -Wl,-z,noexecstack \
    -Wl,--no-warn-rwx-segments -Wl,--build-id=none

# Every directory lib/<name>/ is one library, lib<name>.a, built from its *.c, *.S and src/*.c
# files; its include/ directory (if any) is on every program's include path. Programs link
# against all of them (archives: only what is used is pulled in).
LIB_NAMES := $(sort $(notdir $(patsubst %/,%,$(dir $(wildcard $(CAIRN)/lib/*/.)))))
LIB_NAMES := $(filter-out include,$(LIB_NAMES))
lib_srcs = $(wildcard $(CAIRN)/lib/$(1)/*.c $(CAIRN)/lib/$(1)/*.S $(CAIRN)/lib/$(1)/src/*.c)
lib_objs = $(patsubst $(CAIRN)/%,$(USER_BUILD)/cairn/%.o,$(call lib_srcs,$(1)))
USER_CFLAGS += $(foreach l,$(LIB_NAMES),$(if $(wildcard $(CAIRN)/lib/$(l)/include),-I$(CAIRN)/lib/$(l)/include))
USER_LIBS := $(foreach l,$(LIB_NAMES),$(USER_BUILD)/lib$(l).a)
define user_library
$(USER_BUILD)/lib$(1).a: $(call lib_objs,$(1))
	rm -f $$@ && ar rcs $$@ $$^
$(call lib_objs,$(1)): $(CAIRN)/mk/user.mk
endef
$(foreach l,$(LIB_NAMES),$(eval $(call user_library,$(l))))

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

# $(call user_program,OUTPUT.elf,SOURCES): link a program from its sources.
define user_program
$(1): $(patsubst %,$(USER_BUILD)/%.o,$(2)) $(USER_LIBS)
	@mkdir -p $$(dir $$@)
	$(CC) $(USER_LDFLAGS) -o $$@ $$(filter %.o,$$^) -Wl,--start-group $(USER_LIBS) -Wl,--end-group -lgcc
endef

$(USER_BUILD)/%.S.o: %.S
	@mkdir -p $(dir $@)
	$(CC) $(USER_CFLAGS) -c $< -o $@
