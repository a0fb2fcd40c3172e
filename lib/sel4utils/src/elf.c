/* Loading the PT_LOAD segments of an ELF image into a vspace. */
#include <autoconf.h>
#include <stdlib.h>
#include <string.h>
#include <elf.h>
#include <elf/elf.h>
#include <sel4/sel4.h>
#include <utils/util.h>
#include <vka/vka.h>
#include <vka/capops.h>
#include <vspace/vspace.h>
#include <sel4utils/elf.h>
#include "internal.h"

/* Highest address (exclusive) a segment may reach. */
#define USER_TOP ((uintptr_t)seL4_UserTop)

static seL4_CapRights_t rights_from_flags(uint32_t flags)
{
    /* x86 cannot map a page executable without making it readable. */
    bool read = (flags & (PF_R | PF_X)) != 0;
    bool write = (flags & PF_W) != 0;
    return seL4_CapRights_new(0, 0, read, write);
}

static bool is_load(const elf_t *elf, size_t i)
{
    return elf_getProgramHeaderType(elf, i) == PT_LOAD;
}

int sel4utils_elf_num_regions(const elf_t *elf_file)
{
    if (elf_file == NULL || elf_file->elfFile == NULL) {
        ZF_LOGE("elf_file is NULL or not opened");
        return -1;
    }
    int n = 0;
    size_t num = elf_getNumProgramHeaders(elf_file);
    for (size_t i = 0; i < num; i++) {
        n += is_load(elf_file, i);
    }
    return n;
}

/* Fill regions[0..n) from the PT_LOAD headers, sorted by address, and check them: file size
 * within memory size, inside the user address space, no two overlapping. */
static int read_regions(const elf_t *elf, int n, sel4utils_elf_region_t *regions)
{
    int r = 0;
    size_t num = elf_getNumProgramHeaders(elf);
    for (size_t i = 0; i < num && r < n; i++) {
        if (!is_load(elf, i)) {
            continue;
        }
        uintptr_t vaddr = elf_getProgramHeaderVaddr(elf, i);
        size_t memsz = elf_getProgramHeaderMemorySize(elf, i);
        size_t filesz = elf_getProgramHeaderFileSize(elf, i);
        if (filesz > memsz) {
            ZF_LOGE("bad ELF: segment %zu has %zu file bytes but only %zu memory bytes", i, filesz, memsz);
            return -1;
        }
        if (memsz > UINT32_MAX || vaddr >= USER_TOP || memsz > USER_TOP - vaddr) {
            ZF_LOGE("bad ELF: segment %zu [%p, +%#zx) is outside the user address space", i, (void *)vaddr, memsz);
            return -1;
        }
        if (filesz > 0 && elf_getProgramSegment(elf, i) == NULL) {
            ZF_LOGE("bad ELF: segment %zu's file bytes are not in the file", i);
            return -1;
        }
        sel4utils_elf_region_t region = {
            .rights = rights_from_flags(elf_getProgramHeaderFlags(elf, i)),
            .elf_vstart = (void *)vaddr,
            .size = (uint32_t)memsz,
            .cacheable = 1,
            .segment_index = (int)i,
        };
        /* insertion sort by address */
        int j = r;
        while (j > 0 && (uintptr_t)regions[j - 1].elf_vstart > vaddr) {
            regions[j] = regions[j - 1];
            j--;
        }
        regions[j] = region;
        r++;
    }
    if (r != n) {
        ZF_LOGE("found %d loadable segments, expected %d", r, n);
        return -1;
    }
    for (int k = 1; k < n; k++) {
        uintptr_t prev_end = (uintptr_t)regions[k - 1].elf_vstart + regions[k - 1].size;
        if (prev_end > (uintptr_t)regions[k].elf_vstart) {
            ZF_LOGE("bad ELF: segments %d and %d overlap", regions[k - 1].segment_index, regions[k].segment_index);
            return -1;
        }
    }
    return 0;
}

/* Decide which pages each region's reservation covers. Neighbouring segments may share a
 * page; it goes to the writable one if only one of them is writable, otherwise it stays
 * with the lower one. A region may thus end up with an empty reservation. */
static void plan_reservations(int n, sel4utils_elf_region_t *regions)
{
    uintptr_t claimed_end = 0; /* end of the pages taken by earlier regions */
    int last = -1;             /* region owning the page just below claimed_end */
    for (int i = 0; i < n; i++) {
        uintptr_t start = PAGE_ALIGN_4K((uintptr_t)regions[i].elf_vstart);
        uintptr_t end = ROUND_UP((uintptr_t)regions[i].elf_vstart + regions[i].size, PAGE_SIZE_4K);
        if (regions[i].size == 0) {
            end = start;
        }
        if (end > start && start < claimed_end) {
            /* the first page is shared with region `last` */
            bool mine = seL4_CapRights_get_capAllowWrite(regions[i].rights) &&
                        !seL4_CapRights_get_capAllowWrite(regions[last].rights);
            if (mine) {
                regions[last].reservation_size -= PAGE_SIZE_4K;
            } else {
                start = claimed_end;
            }
        }
        if (end < start) {
            end = start;
        }
        regions[i].reservation_vstart = (void *)start;
        regions[i].reservation_size = end - start;
        regions[i].reservation.res = NULL;
        if (end > start) {
            claimed_end = end;
            last = i;
        }
    }
}

static void free_reservations(vspace_t *vspace, int n, sel4utils_elf_region_t *regions)
{
    for (int i = 0; i < n; i++) {
        if (regions[i].reservation.res != NULL) {
            vspace_free_reservation(vspace, regions[i].reservation);
            regions[i].reservation.res = NULL;
        }
    }
}

static int make_reservations(vspace_t *vspace, int n, sel4utils_elf_region_t *regions, int anywhere)
{
    if (anywhere) {
        /* keep the segments' relative layout: one block, then sub-reservations in it */
        uintptr_t lo = (uintptr_t)regions[0].reservation_vstart;
        uintptr_t hi = (uintptr_t)regions[n - 1].reservation_vstart + regions[n - 1].reservation_size;
        for (int i = 0; i < n; i++) {
            hi = MAX(hi, (uintptr_t)regions[i].reservation_vstart + regions[i].reservation_size);
        }
        void *base = NULL;
        reservation_t block = vspace_reserve_range(vspace, hi - lo, seL4_ReadWrite, 1, &base);
        if (block.res == NULL) {
            ZF_LOGE("no room for %#zx bytes of segments", (size_t)(hi - lo));
            return -1;
        }
        vspace_free_reservation(vspace, block);
        for (int i = 0; i < n; i++) {
            regions[i].reservation_vstart =
                (char *)base + ((uintptr_t)regions[i].reservation_vstart - lo);
        }
    }
    for (int i = 0; i < n; i++) {
        if (regions[i].reservation_size == 0) {
            continue;
        }
        regions[i].reservation = vspace_reserve_range_at(vspace, regions[i].reservation_vstart,
                                                         regions[i].reservation_size, regions[i].rights,
                                                         regions[i].cacheable);
        if (regions[i].reservation.res == NULL) {
            ZF_LOGE("could not reserve [%p, +%#zx) for segment %d", regions[i].reservation_vstart,
                    regions[i].reservation_size, regions[i].segment_index);
            free_reservations(vspace, n, regions);
            return -1;
        }
    }
    return 0;
}

/* Check the entry point lies in an executable loadable segment. */
static void *entry_point(const elf_t *elf, int n, const sel4utils_elf_region_t *regions)
{
    uintptr_t entry = elf_getEntryPoint(elf);
    for (int i = 0; i < n; i++) {
        uintptr_t start = (uintptr_t)regions[i].elf_vstart;
        if (entry >= start && entry - start < regions[i].size &&
            (elf_getProgramHeaderFlags(elf, regions[i].segment_index) & PF_X)) {
            return (void *)entry;
        }
    }
    ZF_LOGE("bad ELF: entry point %p is not in an executable segment", (void *)entry);
    return NULL;
}

/* Common checks; the number of regions, or -1. */
static int check_args(vspace_t *loadee, const elf_t *elf_file)
{
    if (loadee == NULL || elf_file == NULL || elf_file->elfFile == NULL) {
        ZF_LOGE("%s is NULL", loadee == NULL ? "loadee vspace" : "elf_file");
        return -1;
    }
    if (elf_file->elfClass != ELFCLASS64) {
        ZF_LOGE("not a 64-bit ELF file");
        return -1;
    }
    int n = sel4utils_elf_num_regions(elf_file);
    if (n <= 0) {
        ZF_LOGE("the ELF file has no loadable segment");
        return -1;
    }
    return n;
}

void *sel4utils_elf_reserve(vspace_t *loadee, const elf_t *elf_file, sel4utils_elf_region_t *regions)
{
    int n = check_args(loadee, elf_file);
    if (n < 0) {
        return NULL;
    }
    if (regions == NULL) {
        ZF_LOGE("regions is NULL");
        return NULL;
    }
    if (read_regions(elf_file, n, regions) != 0) {
        return NULL;
    }
    void *entry = entry_point(elf_file, n, regions);
    if (entry == NULL) {
        return NULL;
    }
    plan_reservations(n, regions);
    if (make_reservations(loadee, n, regions, 0) != 0) {
        return NULL;
    }
    return entry;
}

void *sel4utils_elf_load_record_regions(vspace_t *loadee, vspace_t *loader, vka_t *loadee_vka, vka_t *loader_vka,
                                        const elf_t *elf_file, sel4utils_elf_region_t *regions, int mapanywhere)
{
    int n = check_args(loadee, elf_file);
    if (n < 0) {
        return NULL;
    }
    if (loader == NULL || loadee_vka == NULL || loader_vka == NULL) {
        ZF_LOGE("%s is NULL", loader == NULL ? "loader vspace" : "vka");
        return NULL;
    }
    sel4utils_elf_region_t *r = regions;
    if (r == NULL) {
        r = malloc(n * sizeof(*r));
        if (r == NULL) {
            ZF_LOGE("no memory for %d region records", n);
            return NULL;
        }
    }
    void *entry = NULL;
    if (read_regions(elf_file, n, r) != 0 || (entry = entry_point(elf_file, n, r)) == NULL) {
        goto out;
    }
    plan_reservations(n, r);
    if (make_reservations(loadee, n, r, mapanywhere) != 0) {
        entry = NULL;
        goto out;
    }

    /* Back every reserved page with a new (zeroed) frame. */
    for (int i = 0; i < n; i++) {
        if (r[i].reservation_size == 0) {
            continue;
        }
        if (vspace_new_pages_at_vaddr(loadee, r[i].reservation_vstart, r[i].reservation_size / PAGE_SIZE_4K,
                                      seL4_PageBits, r[i].reservation) != 0) {
            ZF_LOGE("could not map %zu frames at %p for segment %d", r[i].reservation_size / PAGE_SIZE_4K,
                    r[i].reservation_vstart, r[i].segment_index);
            goto fail;
        }
    }
    /* Copy the file bytes; the rest (bss) is already zero. */
    for (int k = 0; k < n; k++) {
        size_t filesz = elf_getProgramHeaderFileSize(elf_file, r[k].segment_index);
        uintptr_t dest = (uintptr_t)r[k].elf_vstart;
        if (mapanywhere) {
            uintptr_t delta = (uintptr_t)r[k].reservation_vstart - PAGE_ALIGN_4K((uintptr_t)r[k].elf_vstart);
            dest += delta;
        }
        if (filesz > 0 &&
            sel4utils_internal_write(loader, loader_vka, loadee, loadee_vka, dest,
                                     elf_getProgramSegment(elf_file, r[k].segment_index), filesz) != 0) {
            ZF_LOGE("could not copy segment %d into the new vspace", r[k].segment_index);
            goto fail;
        }
    }
    if (regions == NULL) {
        free_reservations(loadee, n, r);
    }
    goto out;

fail:
    /* Undo: unmap and free the frames made so far, then the reservations. */
    for (int k = 0; k < n; k++) {
        if (r[k].reservation_size != 0) {
            for (uintptr_t p = (uintptr_t)r[k].reservation_vstart;
                 p < (uintptr_t)r[k].reservation_vstart + r[k].reservation_size; p += PAGE_SIZE_4K) {
                if (vspace_get_cap(loadee, (void *)p) != seL4_CapNull) {
                    vspace_unmap_pages(loadee, (void *)p, 1, seL4_PageBits, VSPACE_FREE);
                }
            }
        }
    }
    free_reservations(loadee, n, r);
    entry = NULL;
out:
    if (regions == NULL) {
        free(r);
    }
    return entry;
}

void *sel4utils_elf_load(vspace_t *loadee, vspace_t *loader, vka_t *loadee_vka, vka_t *loader_vka,
                         const elf_t *elf_file)
{
    return sel4utils_elf_load_record_regions(loadee, loader, loadee_vka, loader_vka, elf_file, NULL, 0);
}

uintptr_t sel4utils_elf_get_section(const elf_t *elf_file, const char *section_name, uint64_t *section_size)
{
    if (elf_file == NULL || section_name == NULL) {
        ZF_LOGE("%s is NULL", elf_file == NULL ? "elf_file" : "section_name");
        return 0;
    }
    size_t id = 0;
    const void *addr = elf_getSectionNamed(elf_file, section_name, &id);
    if (addr == NULL) {
        return 0;
    }
    if (section_size != NULL) {
        *section_size = elf_getSectionSize(elf_file, id);
    }
    return (uintptr_t)addr;
}

uintptr_t sel4utils_elf_get_vsyscall(const elf_t *elf_file)
{
    uint64_t size = 0;
    uintptr_t addr = sel4utils_elf_get_section(elf_file, "__vsyscall", &size);
    if (addr == 0 || size < sizeof(uintptr_t)) {
        return 0;
    }
    uintptr_t value;
    memcpy(&value, (const void *)addr, sizeof(value));
    return value;
}

uint32_t sel4utils_elf_num_phdrs(const elf_t *elf_file)
{
    if (elf_file == NULL || elf_file->elfFile == NULL) {
        ZF_LOGE("elf_file is NULL or not opened");
        return 0;
    }
    return (uint32_t)elf_getNumProgramHeaders(elf_file);
}

void sel4utils_elf_read_phdrs(const elf_t *elf_file, size_t max_phdrs, Elf_Phdr *phdrs)
{
    if (elf_file == NULL || phdrs == NULL) {
        ZF_LOGE("%s is NULL", elf_file == NULL ? "elf_file" : "phdrs");
        return;
    }
    size_t num = elf_getNumProgramHeaders(elf_file);
    for (size_t i = 0; i < num && i < max_phdrs; i++) {
        phdrs[i] = (Elf_Phdr){
            .p_type = elf_getProgramHeaderType(elf_file, i),
            .p_flags = elf_getProgramHeaderFlags(elf_file, i),
            .p_offset = elf_getProgramHeaderOffset(elf_file, i),
            .p_vaddr = elf_getProgramHeaderVaddr(elf_file, i),
            .p_paddr = elf_getProgramHeaderPaddr(elf_file, i),
            .p_filesz = elf_getProgramHeaderFileSize(elf_file, i),
            .p_memsz = elf_getProgramHeaderMemorySize(elf_file, i),
            .p_align = elf_getProgramHeaderAlign(elf_file, i),
        };
    }
}
