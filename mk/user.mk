# Rules for user programs (root tasks and process images): freestanding, static, linked with
# Cairn's runtime and libc. Out-of-tree projects include this file (see README.md).

CAIRN ?= $(CURDIR)
USER_BUILD := $(BUILD)/user

USER_WARNINGS ?= -Wall -Wextra -Werror
USER_CFLAGS := -std=gnu11 -O2 -g -ffreestanding -fno-pic -fno-pie -mno-red-zone \
    -fno-stack-protector -fno-omit-frame-pointer -fno-strict-aliasing $(USER_WARNINGS) \
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

# A program's own sources also get PROGRAM_CFLAGS (from a `cflags` file next to them, e.g.
# -Wno-unused-parameter for seL4 tutorial code kept as it is) and EXTRA_CFLAGS (the user's).
$(USER_BUILD)/%.c.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(USER_CFLAGS) $(PROGRAM_CFLAGS) $(EXTRA_CFLAGS) -c $< -o $@

# $(call user_program,OUTPUT.elf,SOURCES[,EXTRA_OBJECTS]): link a program from its sources.
define user_program
$(1): $(patsubst %,$(USER_BUILD)/%.o,$(2)) $(3) $(USER_LIBS)
	@mkdir -p $$(dir $$@)
	$(CC) $(USER_LDFLAGS) -o $$@ $$(filter %.o,$$^) -Wl,--start-group $(USER_LIBS) -Wl,--end-group -lgcc
$(if $(strip $(call program_cflags,$(2))),$(patsubst %,$(USER_BUILD)/%.o,$(2)): PROGRAM_CFLAGS := $(call program_cflags,$(2)))
$(if $(call program_cflags_files,$(2)),$(patsubst %,$(USER_BUILD)/%.o,$(2)): $(call program_cflags_files,$(2)))
endef
program_cflags_files = $(wildcard $(addsuffix cflags,$(sort $(dir $(1)))))
program_cflags = $(foreach f,$(call program_cflags_files,$(1)),$(strip $(file <$(f))))

# ---- Process images and the CPIO archive of a root task ----
# A root task carries the ELF images of the processes it may start in a "newc" CPIO archive
# linked into it between the symbols _cpio_archive and _cpio_archive_end (seL4's names;
# lib/cpio reads it). Each image is a program of its own (same flags and libraries),
# stripped of debug info and packed as a member named after its directory.

HOSTCC ?= cc
OBJCOPY ?= objcopy
MKCPIO := $(BUILD)/tools/mkcpio
$(MKCPIO): $(CAIRN)/tools/mkcpio.c
	@mkdir -p $(dir $@)
	$(HOSTCC) -std=gnu11 -O2 -Wall -Wextra -Werror $< -o $@

# $(call cairn_image_dirs,DIR): the subdirectories of DIR holding .c or .S files.
cairn_image_dirs = $(sort $(patsubst %/,%,$(dir $(wildcard $(1)/*/*.c $(1)/*/*.S))))

# An archive as an object file: mk/cpio_archive.S includes it with .incbin.
CPIO_ARCHIVE_S := $(CAIRN)/mk/cpio_archive.S
cpio_object_recipe = $(CC) -c $(CPIO_ARCHIVE_S) -DCAIRN_CPIO_FILE='"$(abspath $(1))"' -o $(2)

# Process images link an empty archive, so that library code naming _cpio_archive links
# in any program.
EMPTY_CPIO_OBJ := $(USER_BUILD)/empty.cpio.o
$(USER_BUILD)/empty.cpio: $(MKCPIO)
	@mkdir -p $(dir $@)
	$(MKCPIO) $@
$(EMPTY_CPIO_OBJ): $(USER_BUILD)/empty.cpio $(CPIO_ARCHIVE_S)
	$(call cpio_object_recipe,$<,$@)

# $(call cairn_image,BASE,IMAGE_DIR): image IMAGE_DIR/*.c *.S of the root task BASE.elf,
# linked as BASE/<image>.elf, stripped to BASE/<image>.stripped.
define cairn_image
$(call user_program,$(1)/$(notdir $(2)).elf,$(wildcard $(2)/*.c $(2)/*.S),$(EMPTY_CPIO_OBJ))
$(1)/$(notdir $(2)).stripped: $(1)/$(notdir $(2)).elf
	$(OBJCOPY) --strip-debug $$< $$@
endef

# $(call cairn_root_task_rules,OUTPUT.elf,SOURCES,IMAGE_DIRS)
define cairn_root_task_rules
$(basename $(1)).cpio: $(foreach d,$(3),$(basename $(1))/$(notdir $(d)).stripped) $(MKCPIO) $(abspath $(sort $(dir $(2))))
	@mkdir -p $$(dir $$@)
	$(MKCPIO) $$@ $(foreach d,$(3),$(notdir $(d))=$(basename $(1))/$(notdir $(d)).stripped)
$(basename $(1)).cpio.o: $(basename $(1)).cpio $(CPIO_ARCHIVE_S)
	$$(call cpio_object_recipe,$$<,$$@)
$(call user_program,$(1),$(2),$(basename $(1)).cpio.o)
endef

# $(call cairn_root_task,OUTPUT.elf,SOURCES,IMAGE_DIRS): the root task OUTPUT.elf from
# SOURCES, carrying one CPIO member per directory in IMAGE_DIRS (built from its .c/.S
# files; the member is named after the directory). Expands to nothing: use it bare, not
# inside $(eval).
cairn_root_task = $(foreach d,$(3),$(eval $(call cairn_image,$(basename $(1)),$(d))))$(eval $(call cairn_root_task_rules,$(1),$(2),$(3)))

$(USER_BUILD)/%.S.o: %.S
	@mkdir -p $(dir $@)
	$(CC) $(USER_CFLAGS) $(PROGRAM_CFLAGS) $(EXTRA_CFLAGS) -c $< -o $@
