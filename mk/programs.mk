# Every user program in the tree, one per directory, built from all the .c and .S files in
# it: examples/<name>/, tests/system/<name>/ and the benchmarks bench/<name>/; the process
# images of a root task in its subdirectories.

EXAMPLES := $(notdir $(wildcard examples/*))
SYSTEM_TESTS := $(filter-out common,$(notdir $(wildcard tests/system/*)))
BENCHES := $(notdir $(wildcard bench/*))

# A root task's subdirectories with .c/.S files (examples/<name>/<image>/) are process
# images, packed into the CPIO archive linked into the root task (mk/user.mk).
$(foreach e,$(EXAMPLES),$(call cairn_root_task,$(BUILD)/examples/$(e).elf,$(wildcard examples/$(e)/*.c examples/$(e)/*.S),$(call cairn_image_dirs,examples/$(e))))
$(foreach t,$(SYSTEM_TESTS),$(call cairn_root_task,$(BUILD)/tests/$(t).elf,$(wildcard tests/system/$(t)/*.c tests/system/$(t)/*.S),$(call cairn_image_dirs,tests/system/$(t))))
$(foreach b,$(BENCHES),$(eval $(call user_program,$(BUILD)/bench/$(b).elf,$(wildcard bench/$(b)/*.c))))

PROGRAMS := $(EXAMPLES:%=$(BUILD)/examples/%.elf) $(SYSTEM_TESTS:%=$(BUILD)/tests/%.elf) \
    $(BENCHES:%=$(BUILD)/bench/%.elf)
userland: $(PROGRAMS)

# make bench: boot each benchmark and print its table (tools/bench.sh); not a test.
bench: deps all
	tools/bench.sh $(KERNEL32) $(BENCHES:%=$(BUILD)/bench/%.elf)
