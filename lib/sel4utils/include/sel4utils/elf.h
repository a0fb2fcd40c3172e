/* Loading ELF images into a vspace (libsel4utils' elf.h). The image is a 64-bit ELF in
 * memory, opened with libelf (elf_newFile); processes take theirs from the CPIO archive
 * linked into the program. */
#pragma once

#include <autoconf.h>
#include <stdint.h>
#include <sel4/sel4.h>
#include <vka/vka.h>
#include <vspace/vspace.h>
#include <elf.h>
#include <elf/elf.h>

#define Elf_Phdr Elf64_Phdr

/* One PT_LOAD segment and the part of the vspace reserved for it. */
typedef struct sel4utils_elf_region {
    seL4_CapRights_t rights;      /* from the segment's p_flags */
    void *elf_vstart;             /* p_vaddr */
    void *reservation_vstart;     /* page aligned */
    uint32_t size;                /* p_memsz */
    size_t reservation_size;      /* bytes, whole pages (0: its pages belong to a neighbour) */
    reservation_t reservation;
    int cacheable;
    int segment_index;            /* index of the program header */
} sel4utils_elf_region_t;

/* Reserve, map and fill (file bytes copied, the rest zero) every PT_LOAD segment of elf_file
 * at its own address in `loadee`, with page rights from p_flags. Frames and page tables come
 * from loadee_vka and are tracked by the loadee vspace; the loader side (temporary mappings
 * in `loader`, slots of loader_vka) is left exactly as it was, also on error. If `regions` is
 * given (sel4utils_elf_num_regions entries) the regions and their reservations are recorded
 * there; otherwise the reservations are released (the mappings stay). mapanywhere: place the
 * segments anywhere (contiguously), for inspection only. Returns the entry point, NULL on
 * error. */
void *sel4utils_elf_load_record_regions(vspace_t *loadee, vspace_t *loader, vka_t *loadee_vka,
                                        vka_t *loader_vka, const elf_t *elf_file,
                                        sel4utils_elf_region_t *regions, int mapanywhere);

/* sel4utils_elf_load_record_regions without recording the regions. */
void *sel4utils_elf_load(vspace_t *loadee, vspace_t *loader, vka_t *loadee_vka, vka_t *loader_vka,
                         const elf_t *elf_file);

/* Only reserve the segments' ranges in `loadee` (nothing mapped), recording them in
 * `regions`. Returns the entry point, NULL on error. */
void *sel4utils_elf_reserve(vspace_t *loadee, const elf_t *elf_file, sel4utils_elf_region_t *regions);

/* Number of PT_LOAD segments (-1 for a bad argument). */
int sel4utils_elf_num_regions(const elf_t *elf_file);

/* The word stored at the start of the "__vsyscall" section, 0 if there is none. */
uintptr_t sel4utils_elf_get_vsyscall(const elf_t *elf_file);

/* Address (in the loaded file) and size of a named section, 0 if there is none. */
uintptr_t sel4utils_elf_get_section(const elf_t *elf_file, const char *section_name, uint64_t *section_size);

/* Number of program headers (0 for a bad argument). */
uint32_t sel4utils_elf_num_phdrs(const elf_t *elf_file);

/* Copy up to max_phdrs program headers into phdrs. */
void sel4utils_elf_read_phdrs(const elf_t *elf_file, size_t max_phdrs, Elf_Phdr *phdrs);
