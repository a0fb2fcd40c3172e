/* libelf: ELF32/ELF64 files in memory. Every header is read through a bounds-checked copy
 * (the file may be unaligned, truncated or hostile), converted to the 64-bit layout. */
#include <string.h>
#include <elf/elf.h>
#include <utils/zf_log.h>

static bool in_file(const elf_t *e, uint64_t off, uint64_t len)
{
    return off <= e->elfSize && len <= e->elfSize - off;
}

/* The file header, converted to 64-bit fields; false if the file is too short for it. */
static bool read_ehdr(const elf_t *e, Elf64_Ehdr *h)
{
    if (e == NULL || e->elfFile == NULL)
        return false;
    if (e->elfClass == ELFCLASS64) {
        if (!in_file(e, 0, sizeof(Elf64_Ehdr)))
            return false;
        memcpy(h, e->elfFile, sizeof(*h));
        return true;
    }
    if (e->elfClass != ELFCLASS32 || !in_file(e, 0, sizeof(Elf32_Ehdr)))
        return false;
    Elf32_Ehdr h32;
    memcpy(&h32, e->elfFile, sizeof(h32));
    memcpy(h->e_ident, h32.e_ident, EI_NIDENT);
    h->e_type = h32.e_type;
    h->e_machine = h32.e_machine;
    h->e_version = h32.e_version;
    h->e_entry = h32.e_entry;
    h->e_phoff = h32.e_phoff;
    h->e_shoff = h32.e_shoff;
    h->e_flags = h32.e_flags;
    h->e_ehsize = h32.e_ehsize;
    h->e_phentsize = h32.e_phentsize;
    h->e_phnum = h32.e_phnum;
    h->e_shentsize = h32.e_shentsize;
    h->e_shnum = h32.e_shnum;
    h->e_shstrndx = h32.e_shstrndx;
    return true;
}

static size_t phdr_size(const elf_t *e) { return e->elfClass == ELFCLASS64 ? sizeof(Elf64_Phdr) : sizeof(Elf32_Phdr); }
static size_t shdr_size(const elf_t *e) { return e->elfClass == ELFCLASS64 ? sizeof(Elf64_Shdr) : sizeof(Elf32_Shdr); }

/* The byte offset of entry i of a table, if the whole entry lies in the file. */
static bool table_entry(const elf_t *e, uint64_t table, size_t entsize, size_t entry_min, size_t i, uint64_t *off)
{
    uint64_t rel;
    if (entsize < entry_min || __builtin_mul_overflow((uint64_t)i, (uint64_t)entsize, &rel) ||
        __builtin_add_overflow(table, rel, off))
        return false;
    return in_file(e, *off, entry_min);
}

static bool read_phdr(const elf_t *e, size_t i, Elf64_Phdr *p)
{
    Elf64_Ehdr h;
    uint64_t off;
    if (!read_ehdr(e, &h) || i >= h.e_phnum ||
        !table_entry(e, h.e_phoff, h.e_phentsize, phdr_size(e), i, &off))
        return false;
    const char *src = (const char *)e->elfFile + off;
    if (e->elfClass == ELFCLASS64) {
        memcpy(p, src, sizeof(*p));
        return true;
    }
    Elf32_Phdr p32;
    memcpy(&p32, src, sizeof(p32));
    p->p_type = p32.p_type;
    p->p_flags = p32.p_flags;
    p->p_offset = p32.p_offset;
    p->p_vaddr = p32.p_vaddr;
    p->p_paddr = p32.p_paddr;
    p->p_filesz = p32.p_filesz;
    p->p_memsz = p32.p_memsz;
    p->p_align = p32.p_align;
    return true;
}

static bool read_shdr(const elf_t *e, size_t i, Elf64_Shdr *s)
{
    Elf64_Ehdr h;
    uint64_t off;
    if (!read_ehdr(e, &h) || i >= h.e_shnum ||
        !table_entry(e, h.e_shoff, h.e_shentsize, shdr_size(e), i, &off))
        return false;
    const char *src = (const char *)e->elfFile + off;
    if (e->elfClass == ELFCLASS64) {
        memcpy(s, src, sizeof(*s));
        return true;
    }
    Elf32_Shdr s32;
    memcpy(&s32, src, sizeof(s32));
    s->sh_name = s32.sh_name;
    s->sh_type = s32.sh_type;
    s->sh_flags = s32.sh_flags;
    s->sh_addr = s32.sh_addr;
    s->sh_offset = s32.sh_offset;
    s->sh_size = s32.sh_size;
    s->sh_link = s32.sh_link;
    s->sh_info = s32.sh_info;
    s->sh_addralign = s32.sh_addralign;
    s->sh_entsize = s32.sh_entsize;
    return true;
}

/* Getters: a bad index is the caller's mistake; say so and give 0. */
static bool get_phdr(const elf_t *e, size_t ph, Elf64_Phdr *p, const char *what)
{
    if (read_phdr(e, ph, p))
        return true;
    ZF_LOGE("elf: %s: no program header %zu (elf_t %p)", what, ph, (const void *)e);
    memset(p, 0, sizeof(*p));
    return false;
}

static bool get_shdr(const elf_t *e, size_t i, Elf64_Shdr *s, const char *what)
{
    if (read_shdr(e, i, s))
        return true;
    ZF_LOGE("elf: %s: no section %zu (elf_t %p)", what, i, (const void *)e);
    memset(s, 0, sizeof(*s));
    return false;
}

/* ---- checking a file ---- */

int elf_newFile(const void *file, size_t size, elf_t *res)
{
    return elf_newFile_maybe_unsafe(file, size, true, true, res);
}

int elf_newFile_maybe_unsafe(const void *file, size_t size, bool check_pht, bool check_st, elf_t *res)
{
    elf_t e = { .elfFile = file, .elfSize = size };
    if (elf_checkFile(&e) < 0)
        return -1;
    if (check_pht && elf_checkProgramHeaderTable(&e) < 0)
        return -1;
    if (check_st && elf_checkSectionTable(&e) < 0)
        return -1;
    if (res)
        *res = e;
    return 0;
}

int elf_check_magic(const char *file)
{
    return file && memcmp(file, ELFMAG, SELFMAG) == 0 ? 0 : -1;
}

int elf_checkFile(elf_t *e)
{
    if (e == NULL || e->elfFile == NULL) {
        ZF_LOGE("elf: no file (NULL)");
        return -1;
    }
    const unsigned char *id = e->elfFile;
    if (e->elfSize < EI_NIDENT || elf_check_magic(e->elfFile) != 0) {
        ZF_LOGE("elf: not an ELF file (%zu bytes at %p)", e->elfSize, e->elfFile);
        return -1;
    }
    if (id[EI_CLASS] != ELFCLASS32 && id[EI_CLASS] != ELFCLASS64) {
        ZF_LOGE("elf: unknown ELF class %u", id[EI_CLASS]);
        return -1;
    }
    if (id[EI_DATA] != ELFDATA2LSB) {
        ZF_LOGE("elf: not a little-endian ELF file");
        return -1;
    }
    e->elfClass = id[EI_CLASS];
    Elf64_Ehdr h;
    if (!read_ehdr(e, &h)) {
        ZF_LOGE("elf: file (%zu bytes) is shorter than its ELF header", e->elfSize);
        return -1;
    }
    if (h.e_phnum > 0 && h.e_phentsize != phdr_size(e)) {
        ZF_LOGE("elf: program header entries of %u bytes, expected %zu", h.e_phentsize, phdr_size(e));
        return -1;
    }
    if (h.e_shnum > 0 && h.e_shentsize != shdr_size(e)) {
        ZF_LOGE("elf: section header entries of %u bytes, expected %zu", h.e_shentsize, shdr_size(e));
        return -1;
    }
    return 0;
}

int elf_checkProgramHeaderTable(const elf_t *e)
{
    Elf64_Ehdr h;
    uint64_t off;
    if (!read_ehdr(e, &h)) {
        ZF_LOGE("elf: not a checked ELF file");
        return -1;
    }
    if (h.e_phnum == 0)
        return 0;
    if (!table_entry(e, h.e_phoff, h.e_phentsize, phdr_size(e), h.e_phnum - 1, &off)) {
        ZF_LOGE("elf: program header table (%u entries at offset %#lx) runs past the end of the file (%zu bytes)",
                h.e_phnum, (unsigned long)h.e_phoff, e->elfSize);
        return -1;
    }
    for (size_t i = 0; i < h.e_phnum; i++) {
        Elf64_Phdr p;
        uint64_t end;
        read_phdr(e, i, &p);
        if (p.p_filesz > 0 && !in_file(e, p.p_offset, p.p_filesz)) {
            ZF_LOGE("elf: segment %zu (offset %#lx, %#lx bytes) runs past the end of the file (%zu bytes)",
                    i, (unsigned long)p.p_offset, (unsigned long)p.p_filesz, e->elfSize);
            return -1;
        }
        if (p.p_type == PT_LOAD && p.p_filesz > p.p_memsz) {
            ZF_LOGE("elf: segment %zu has more file bytes (%#lx) than memory (%#lx)",
                    i, (unsigned long)p.p_filesz, (unsigned long)p.p_memsz);
            return -1;
        }
        if (__builtin_add_overflow(p.p_vaddr, p.p_memsz, &end) ||
            __builtin_add_overflow(p.p_paddr, p.p_memsz, &end) ||
            (e->elfClass == ELFCLASS32 && (p.p_vaddr + p.p_memsz > 0x100000000ull))) {
            ZF_LOGE("elf: segment %zu (at %#lx, %#lx bytes) wraps around the address space",
                    i, (unsigned long)p.p_vaddr, (unsigned long)p.p_memsz);
            return -1;
        }
    }
    return 0;
}

int elf_checkSectionTable(const elf_t *e)
{
    Elf64_Ehdr h;
    uint64_t off;
    if (!read_ehdr(e, &h)) {
        ZF_LOGE("elf: not a checked ELF file");
        return -1;
    }
    if (h.e_shnum == 0)
        return 0;
    if (!table_entry(e, h.e_shoff, h.e_shentsize, shdr_size(e), h.e_shnum - 1, &off)) {
        ZF_LOGE("elf: section table (%u entries at offset %#lx) runs past the end of the file (%zu bytes)",
                h.e_shnum, (unsigned long)h.e_shoff, e->elfSize);
        return -1;
    }
    if (h.e_shstrndx >= h.e_shnum) {
        ZF_LOGE("elf: section name table index %u, but only %u sections", h.e_shstrndx, h.e_shnum);
        return -1;
    }
    for (size_t i = 0; i < h.e_shnum; i++) {
        Elf64_Shdr s;
        read_shdr(e, i, &s);
        if (s.sh_type != SHT_NOBITS && s.sh_type != SHT_NULL && !in_file(e, s.sh_offset, s.sh_size)) {
            ZF_LOGE("elf: section %zu (offset %#lx, %#lx bytes) runs past the end of the file (%zu bytes)",
                    i, (unsigned long)s.sh_offset, (unsigned long)s.sh_size, e->elfSize);
            return -1;
        }
    }
    return 0;
}

/* ---- file header ---- */

uintptr_t elf_getEntryPoint(const elf_t *e)
{
    Elf64_Ehdr h;
    return read_ehdr(e, &h) ? h.e_entry : 0;
}

size_t elf_getNumProgramHeaders(const elf_t *e)
{
    Elf64_Ehdr h;
    return read_ehdr(e, &h) ? h.e_phnum : 0;
}

size_t elf_getNumSections(const elf_t *e)
{
    Elf64_Ehdr h;
    return read_ehdr(e, &h) ? h.e_shnum : 0;
}

size_t elf_getSectionStringTableIndex(const elf_t *e)
{
    Elf64_Ehdr h;
    return read_ehdr(e, &h) ? h.e_shstrndx : 0;
}

/* ---- sections ---- */

const void *elf_getSection(const elf_t *e, size_t i)
{
    Elf64_Shdr s;
    if (i == 0 || !read_shdr(e, i, &s) || s.sh_size == 0 || s.sh_type == SHT_NOBITS ||
        !in_file(e, s.sh_offset, s.sh_size))
        return NULL;
    return (const char *)e->elfFile + s.sh_offset;
}

const char *elf_getStringTable(const elf_t *e, size_t i)
{
    Elf64_Shdr s;
    const char *table = elf_getSection(e, i);
    if (table == NULL || !read_shdr(e, i, &s) || s.sh_type != SHT_STRTAB || table[s.sh_size - 1] != '\0')
        return NULL;
    return table;
}

const char *elf_getSectionStringTable(const elf_t *e)
{
    return elf_getStringTable(e, elf_getSectionStringTableIndex(e));
}

const char *elf_getSectionName(const elf_t *e, size_t i)
{
    Elf64_Shdr s, strtab;
    size_t strndx = elf_getSectionStringTableIndex(e);
    const char *names = elf_getStringTable(e, strndx);
    if (names == NULL || !read_shdr(e, i, &s) || !read_shdr(e, strndx, &strtab) || s.sh_name >= strtab.sh_size)
        return "<corrupted>";
    return names + s.sh_name; /* the table ends in a NUL, so this string does too */
}

const void *elf_getSectionNamed(const elf_t *e, const char *str, size_t *id)
{
    if (str == NULL)
        return NULL;
    size_t n = elf_getNumSections(e);
    for (size_t i = 0; i < n; i++) {
        if (strcmp(elf_getSectionName(e, i), str) == 0) {
            if (id)
                *id = i;
            return elf_getSection(e, i);
        }
    }
    return NULL;
}

#define SECTION_FIELD(fn, type, field) \
    type fn(const elf_t *e, size_t i) \
    { \
        Elf64_Shdr s; \
        get_shdr(e, i, &s, #fn); \
        return (type)s.field; \
    }
SECTION_FIELD(elf_getSectionNameOffset, size_t, sh_name)
SECTION_FIELD(elf_getSectionType, uint32_t, sh_type)
SECTION_FIELD(elf_getSectionFlags, size_t, sh_flags)
SECTION_FIELD(elf_getSectionAddr, uintptr_t, sh_addr)
SECTION_FIELD(elf_getSectionOffset, size_t, sh_offset)
SECTION_FIELD(elf_getSectionSize, size_t, sh_size)
SECTION_FIELD(elf_getSectionLink, uint32_t, sh_link)
SECTION_FIELD(elf_getSectionInfo, uint32_t, sh_info)
SECTION_FIELD(elf_getSectionAddrAlign, size_t, sh_addralign)
SECTION_FIELD(elf_getSectionEntrySize, size_t, sh_entsize)

/* ---- program headers ---- */

const void *elf_getProgramSegment(const elf_t *e, size_t ph)
{
    Elf64_Phdr p;
    if (!get_phdr(e, ph, &p, "elf_getProgramSegment") || !in_file(e, p.p_offset, p.p_filesz))
        return NULL;
    return (const char *)e->elfFile + p.p_offset;
}

#define SEGMENT_FIELD(fn, type, field) \
    type fn(const elf_t *e, size_t ph) \
    { \
        Elf64_Phdr p; \
        get_phdr(e, ph, &p, #fn); \
        return (type)p.field; \
    }
SEGMENT_FIELD(elf_getProgramHeaderType, uint32_t, p_type)
SEGMENT_FIELD(elf_getProgramHeaderOffset, size_t, p_offset)
SEGMENT_FIELD(elf_getProgramHeaderVaddr, uintptr_t, p_vaddr)
SEGMENT_FIELD(elf_getProgramHeaderPaddr, uintptr_t, p_paddr)
SEGMENT_FIELD(elf_getProgramHeaderFileSize, size_t, p_filesz)
SEGMENT_FIELD(elf_getProgramHeaderMemorySize, size_t, p_memsz)
SEGMENT_FIELD(elf_getProgramHeaderFlags, uint32_t, p_flags)
SEGMENT_FIELD(elf_getProgramHeaderAlign, size_t, p_align)

/* ---- utilities ---- */

int elf_getMemoryBounds(const elf_t *e, elf_addr_type_t addr_type, uintptr_t *min, uintptr_t *max)
{
    Elf64_Ehdr h;
    if (!read_ehdr(e, &h) || min == NULL || max == NULL) {
        ZF_LOGE("elf: elf_getMemoryBounds: %s", min && max ? "not a checked ELF file" : "NULL result pointer");
        return 0;
    }
    uintptr_t lo = UINTPTR_MAX, hi = 0;
    for (size_t i = 0; i < h.e_phnum; i++) {
        Elf64_Phdr p;
        if (!read_phdr(e, i, &p))
            return 0;
        if (p.p_memsz == 0)
            continue;
        uintptr_t start = addr_type == PHYSICAL ? p.p_paddr : p.p_vaddr;
        if (start < lo)
            lo = start;
        if (start + p.p_memsz > hi)
            hi = start + p.p_memsz;
    }
    *min = lo;
    *max = hi;
    return 1;
}

int elf_vaddrInProgramHeader(const elf_t *e, size_t ph, uintptr_t vaddr)
{
    Elf64_Phdr p;
    if (!get_phdr(e, ph, &p, "elf_vaddrInProgramHeader"))
        return 0;
    return vaddr >= p.p_vaddr && vaddr - p.p_vaddr < p.p_memsz;
}

uintptr_t elf_vtopProgramHeader(const elf_t *e, size_t ph, uintptr_t vaddr)
{
    Elf64_Phdr p;
    if (!get_phdr(e, ph, &p, "elf_vtopProgramHeader"))
        return 0;
    return vaddr - p.p_vaddr + p.p_paddr;
}

int elf_loadFile(const elf_t *e, elf_addr_type_t addr_type)
{
    size_t n = elf_getNumProgramHeaders(e);
    for (size_t i = 0; i < n; i++) {
        Elf64_Phdr p;
        if (!get_phdr(e, i, &p, "elf_loadFile"))
            return 0;
        if (p.p_type != PT_LOAD)
            continue;
        if (!in_file(e, p.p_offset, p.p_filesz) || p.p_filesz > p.p_memsz) {
            ZF_LOGE("elf: elf_loadFile: segment %zu is not inside the file", i);
            return 0;
        }
        char *dest = (char *)(uintptr_t)(addr_type == PHYSICAL ? p.p_paddr : p.p_vaddr);
        memcpy(dest, (const char *)e->elfFile + p.p_offset, p.p_filesz);
        memset(dest + p.p_filesz, 0, p.p_memsz - p.p_filesz);
    }
    return 1;
}
