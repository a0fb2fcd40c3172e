# Every user program in the tree: examples/<name>/ and tests/system/<name>/, one program per
# directory, built from all the .c files in it.

EXAMPLES := $(notdir $(wildcard examples/*))
SYSTEM_TESTS := $(filter-out common,$(notdir $(wildcard tests/system/*)))

$(foreach e,$(EXAMPLES),$(eval $(call user_program,$(BUILD)/examples/$(e).elf,$(wildcard examples/$(e)/*.c examples/$(e)/*.S))))
$(foreach t,$(SYSTEM_TESTS),$(eval $(call user_program,$(BUILD)/tests/$(t).elf,$(wildcard tests/system/$(t)/*.c tests/system/$(t)/*.S))))

PROGRAMS := $(EXAMPLES:%=$(BUILD)/examples/%.elf) $(SYSTEM_TESTS:%=$(BUILD)/tests/%.elf)
userland: $(PROGRAMS)

# Benchmarks (make bench): bench/<name>/ like the examples, run by tools/bench.sh.
BENCHES := $(notdir $(wildcard bench/*))
$(foreach b,$(BENCHES),$(eval $(call user_program,$(BUILD)/bench/$(b).elf,$(wildcard bench/$(b)/*.c))))
bench: deps all $(BENCHES:%=$(BUILD)/bench/%.elf)
	tools/bench.sh $(KERNEL32) $(BENCHES:%=$(BUILD)/bench/%.elf)
