/* Reading ELF files in memory, with the interface of seL4's libelf.
 *
 * elf_newFile checks the whole file first (header, program header table, every segment's
 * and section's extent against the file size); after it succeeds every other function
 * is safe to call on the elf_t. A bad index gives 0 (or NULL) and a ZF_LOGE line.
 * Both ELFCLASS32 and ELFCLASS64 little-endian files are read. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <elf.h>

typedef struct elf {
    void const *elfFile;
    size_t elfSize;
    unsigned char elfClass; /* ELFCLASS32 or ELFCLASS64 */
} elf_t;

typedef enum elf_addr_type {
    VIRTUAL,
    PHYSICAL
} elf_addr_type_t;

/* File: 0 on success, < 0 if the file is not a valid ELF file of the given size. */
int elf_newFile(const void *file, size_t size, elf_t *res);
/* As elf_newFile, checking the program header table and section table only if asked. */
int elf_newFile_maybe_unsafe(const void *file, size_t size, bool check_pht, bool check_st, elf_t *res);
/* 0 if file starts with the 4-byte ELF magic, -1 if not. */
int elf_check_magic(const char *file);
/* The ELF header alone (sets elfFile->elfClass): 0 or -1. */
int elf_checkFile(elf_t *elfFile);
int elf_checkProgramHeaderTable(const elf_t *elfFile);
int elf_checkSectionTable(const elf_t *elfFile);

uintptr_t elf_getEntryPoint(const elf_t *elfFile);
size_t elf_getNumProgramHeaders(const elf_t *elfFile);
size_t elf_getNumSections(const elf_t *elfFile);
size_t elf_getSectionStringTableIndex(const elf_t *elf);
/* Section `string_segment` if it is a NUL-terminated SHT_STRTAB, else NULL. */
const char *elf_getStringTable(const elf_t *elfFile, size_t string_segment);
const char *elf_getSectionStringTable(const elf_t *elfFile);

/* Sections: the contents of section i (NULL for section 0, an empty or SHT_NOBITS section,
 * or one outside the file). */
const void *elf_getSection(const elf_t *elfFile, size_t i);
/* The first section called str (its index in *i if i is not NULL), or NULL. */
const void *elf_getSectionNamed(const elf_t *elfFile, const char *str, size_t *i);
/* The name of section i, or "<corrupted>" if it has none that can be read. */
const char *elf_getSectionName(const elf_t *elfFile, size_t i);
size_t elf_getSectionNameOffset(const elf_t *elfFile, size_t i);
uint32_t elf_getSectionType(const elf_t *elfFile, size_t i);
size_t elf_getSectionFlags(const elf_t *elfFile, size_t i);
uintptr_t elf_getSectionAddr(const elf_t *elfFile, size_t i);
size_t elf_getSectionOffset(const elf_t *elfFile, size_t i);
size_t elf_getSectionSize(const elf_t *elfFile, size_t i);
uint32_t elf_getSectionLink(const elf_t *elfFile, size_t i);
uint32_t elf_getSectionInfo(const elf_t *elfFile, size_t i);
size_t elf_getSectionAddrAlign(const elf_t *elfFile, size_t i);
size_t elf_getSectionEntrySize(const elf_t *elfFile, size_t i);

/* Program headers: the file bytes of segment ph (p_filesz of them), or NULL. */
const void *elf_getProgramSegment(const elf_t *elf, size_t ph);
uint32_t elf_getProgramHeaderType(const elf_t *elfFile, size_t ph);
size_t elf_getProgramHeaderOffset(const elf_t *elfFile, size_t ph);
uintptr_t elf_getProgramHeaderVaddr(const elf_t *elfFile, size_t ph);
uintptr_t elf_getProgramHeaderPaddr(const elf_t *elfFile, size_t ph);
size_t elf_getProgramHeaderFileSize(const elf_t *elfFile, size_t ph);
size_t elf_getProgramHeaderMemorySize(const elf_t *elfFile, size_t ph);
uint32_t elf_getProgramHeaderFlags(const elf_t *elfFile, size_t ph);
size_t elf_getProgramHeaderAlign(const elf_t *elfFile, size_t ph);

/* The lowest and highest (exclusive) address covered by the segments with a memory size:
 * 1 on success, 0 on bad arguments. */
int elf_getMemoryBounds(const elf_t *elfFile, elf_addr_type_t addr_type, uintptr_t *min, uintptr_t *max);
/* 1 if vaddr lies in segment ph's memory, else 0. */
int elf_vaddrInProgramHeader(const elf_t *elfFile, size_t ph, uintptr_t vaddr);
/* vaddr in segment ph translated to the segment's physical address. */
uintptr_t elf_vtopProgramHeader(const elf_t *elfFile, size_t ph, uintptr_t vaddr);
/* Copy every PT_LOAD segment to its (virtual or physical) address and zero the rest of its
 * memory size: for loaders that can write there directly. 1 on success, 0 on failure. */
int elf_loadFile(const elf_t *elfFile, elf_addr_type_t addr_type);
