/* libelf's class test for 32-bit files (the rest is in <elf/elf.h>). */
#pragma once
#include <elf/elf.h>

static inline bool elf_isElf32(const elf_t *elf) { return elf->elfClass == ELFCLASS32; }
