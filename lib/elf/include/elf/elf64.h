/* libelf's class test for 64-bit files (the rest is in <elf/elf.h>). */
#pragma once
#include <elf/elf.h>

static inline bool elf_isElf64(const elf_t *elf) { return elf->elfClass == ELFCLASS64; }
