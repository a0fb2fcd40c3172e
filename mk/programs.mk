# Every user program in the tree, one per directory, built from all the .c and .S files in
# it: examples/<name>/, tests/system/<name>/ and the benchmarks bench/<name>/.

EXAMPLES := $(notdir $(wildcard examples/*))
SYSTEM_TESTS := $(filter-out common,$(notdir $(wildcard tests/system/*)))
BENCHES := $(notdir $(wildcard bench/*))

$(foreach e,$(EXAMPLES),$(eval $(call user_program,$(BUILD)/examples/$(e).elf,$(wildcard examples/$(e)/*.c examples/$(e)/*.S))))
$(foreach t,$(SYSTEM_TESTS),$(eval $(call user_program,$(BUILD)/tests/$(t).elf,$(wildcard tests/system/$(t)/*.c tests/system/$(t)/*.S))))
$(foreach b,$(BENCHES),$(eval $(call user_program,$(BUILD)/bench/$(b).elf,$(wildcard bench/$(b)/*.c))))

PROGRAMS := $(EXAMPLES:%=$(BUILD)/examples/%.elf) $(SYSTEM_TESTS:%=$(BUILD)/tests/%.elf) \
    $(BENCHES:%=$(BUILD)/bench/%.elf)
userland: $(PROGRAMS)

# make bench: boot each benchmark and print its table (tools/bench.sh); not a test.
bench: deps all
	tools/bench.sh $(KERNEL32) $(BENCHES:%=$(BUILD)/bench/%.elf)
