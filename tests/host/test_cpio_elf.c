/*
 * Host unit test for lib/cpio and lib/elf, under AddressSanitizer: archives written by
 * tools/mkcpio's format and ELF files made here (64- and 32-bit) read back correctly, and
 * every truncation and thousands of random corruptions of them are refused or read without
 * a byte outside the buffer being touched (each input sits in a buffer of exactly its size).
 *
 *   harness: built by mk/tests.mk as BUILD/host-tests/cpio_elf [MKCPIO]; with the path of
 *   tools/mkcpio it also checks an archive made by the real packer.
 *
 * Output: "PASS: name" or "FAIL: name: why" per check; exit status 0 iff all passed.
 */
#include <libgen.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cpio/cpio.h>
#include <elf/elf.h>

static int failures;

#define CHECK(name, cond) \
    do { \
        if (cond) \
            printf("PASS: %s\n", name); \
        else { \
            printf("FAIL: %s: %s (line %d)\n", name, #cond, __LINE__); \
            failures++; \
        } \
    } while (0)

/* ---- a newc writer (independent of tools/mkcpio) ---- */

struct buf {
    unsigned char *p;
    size_t len, cap;
};

static void put(struct buf *b, const void *d, size_t n)
{
    if (b->len + n > b->cap) {
        b->cap = (b->len + n) * 2 + 64;
        b->p = realloc(b->p, b->cap);
    }
    memcpy(b->p + b->len, d, n);
    b->len += n;
}

static void pad(struct buf *b, size_t a)
{
    static const unsigned char z[16];
    put(b, z, (a - b->len % a) % a);
}

static void member(struct buf *b, const char *name, const void *data, size_t size)
{
    char h[128];
    snprintf(h, sizeof(h), "070701%08X%08X%08X%08X%08X%08X%08zX%08X%08X%08X%08X%08zX%08X", 1u, 0100644u, 0u, 0u,
             1u, 0u, size, 0u, 0u, 0u, 0u, strlen(name) + 1, 0u);
    put(b, h, 110);
    put(b, name, strlen(name) + 1);
    pad(b, 4);
    put(b, data, size);
    pad(b, 4);
}

/* A copy in a buffer of exactly n bytes: ASan catches any read past it. */
static unsigned char *exact(const void *src, size_t n)
{
    unsigned char *p = malloc(n ? n : 1);
    memcpy(p, src, n);
    return p;
}

static void exercise_cpio(void *a, unsigned long n)
{
    struct cpio_info info;
    const char *name;
    unsigned long size;
    char names[8][64], *bufs[8];
    for (int i = 0; i < 8; i++)
        bufs[i] = names[i];
    if (cpio_info(a, n, &info) == 0 && info.max_path_sz < 64)
        cpio_ls(a, n, bufs, info.file_count < 8 ? info.file_count : 8);
    for (int i = -1; i < 5; i++) {
        unsigned char *d = cpio_get_entry(a, n, i, &name, &size);
        if (d) {
            volatile unsigned char sum = 0;
            for (unsigned long k = 0; k < size; k++)
                sum += d[k];
            (void)strlen(name);
        }
    }
    cpio_get_file(a, n, "b", &size);
    cpio_get_file(a, n, "nothere", &size);
}

static void test_cpio(const char *mkcpio)
{
    struct buf b = { 0 };
    member(&b, "a", "first", 5);
    member(&b, "b", "", 0);
    member(&b, "longer-name", "0123456789abcdef", 16);
    member(&b, "TRAILER!!!", "", 0);
    unsigned char *a = exact(b.p, b.len);
    unsigned long size = 99;
    struct cpio_info info;
    const char *name = NULL;

    CHECK("cpio: cpio_info counts 3 members, longest name 11",
          cpio_info(a, b.len, &info) == 0 && info.file_count == 3 && info.max_path_sz == 11);
    void *d = cpio_get_file(a, b.len, "a", &size);
    CHECK("cpio: cpio_get_file finds a (5 bytes)", d && size == 5 && memcmp(d, "first", 5) == 0);
    d = cpio_get_file(a, b.len, "b", &size);
    CHECK("cpio: an empty member is found with size 0", d && size == 0);
    d = cpio_get_file(a, b.len, "longer-name", &size);
    CHECK("cpio: the third member's data", d && size == 16 && memcmp(d, "0123456789abcdef", 16) == 0);
    CHECK("cpio: a missing name, a prefix of a name, the trailer's name: NULL",
          !cpio_get_file(a, b.len, "c", &size) && !cpio_get_file(a, b.len, "longer", &size) &&
              !cpio_get_file(a, b.len, "TRAILER!!!", &size));
    d = cpio_get_entry(a, b.len, 2, &name, &size);
    CHECK("cpio: cpio_get_entry(2) is longer-name", d && strcmp(name, "longer-name") == 0 && size == 16);
    CHECK("cpio: cpio_get_entry beyond the last or negative: NULL",
          !cpio_get_entry(a, b.len, 3, &name, &size) && !cpio_get_entry(a, b.len, -1, &name, &size));
    CHECK("cpio: NULL name and size pointers are allowed", cpio_get_entry(a, b.len, 0, NULL, NULL) != NULL);
    char n0[16] = "x", n1[16] = "x", n2[16] = "x", *bufs[] = { n0, n1, n2 };
    cpio_ls(a, b.len, bufs, 2);
    CHECK("cpio: cpio_ls copies the first buf_len names", !strcmp(n0, "a") && !strcmp(n1, "b") && !strcmp(n2, "x"));
    cpio_ls(a, b.len, bufs, 3);
    CHECK("cpio: cpio_ls of all three", !strcmp(n2, "longer-name"));
    CHECK("cpio: NULL archive or info: errors, no crash",
          cpio_info(NULL, 10, &info) != 0 && cpio_info(a, b.len, NULL) != 0 && !cpio_get_file(NULL, 10, "a", &size) &&
              !cpio_get_entry(NULL, 10, 0, &name, &size) && !cpio_get_file(a, b.len, NULL, &size));

    /* Every truncation: refused (or, past the trailer's header, still fine), never overread. */
    bool ok = true;
    for (size_t n = 0; n < b.len; n++) {
        unsigned char *t = exact(b.p, n);
        int r = cpio_info(t, n, &info);
        if (n < b.len - 3 && r == 0) /* the trailer's name ends 3 bytes before the end */
            ok = false;
        exercise_cpio(t, n);
        free(t);
    }
    CHECK("cpio: every truncated archive: cpio_info fails, nothing reads past the end", ok);

    /* Random corruption of the real thing. */
    srand(1);
    for (int round = 0; round < 10000; round++) {
        unsigned char *t = exact(b.p, b.len);
        int flips = 1 + rand() % 4;
        for (int k = 0; k < flips; k++) {
            size_t at = rand() % b.len;
            static const char pool[] = "0123456789abcdefABCDEFxX\0\377 ";
            t[at] = rand() % 2 ? (unsigned char)pool[rand() % (sizeof(pool) - 1)] : (unsigned char)rand();
        }
        exercise_cpio(t, b.len);
        free(t);
    }
    CHECK("cpio: 10000 randomly corrupted archives read without a fault", true);
    unsigned char *t = exact(b.p, b.len);
    memcpy(t + 120 + 54, "FFFFFFFF", 8); /* c_filesize of the second member (its header at 120) */
    CHECK("cpio: a member claiming 4 GiB is refused", cpio_get_file(t, b.len, "b", &size) == NULL &&
                                                          cpio_info(t, b.len, &info) != 0);
    free(t);
    t = exact(b.p, b.len);
    memcpy(t + 94, "0000000Z", 8); /* c_namesize of the first member: not hex */
    CHECK("cpio: a non-hex size field is refused", cpio_get_file(t, b.len, "a", &size) == NULL);
    free(t);
    free(a);

    struct buf e = { 0 };
    member(&e, "TRAILER!!!", "", 0);
    a = exact(e.p, e.len);
    CHECK("cpio: an empty archive (trailer only) has no members",
          cpio_info(a, e.len, &info) == 0 && info.file_count == 0 && !cpio_get_entry(a, e.len, 0, &name, &size));
    CHECK("cpio: a zero-length archive is refused", cpio_info(a, 0, &info) != 0);
    free(a);
    free(e.p);
    free(b.p);

    if (mkcpio) {
        char dir[] = "/tmp/cairn-cpio-XXXXXX", cmd[20000], path[600];
        if (!mkdtemp(dir)) {
            CHECK("cpio: mkdtemp", false);
            return;
        }
        snprintf(path, sizeof(path), "%s/img", dir);
        FILE *f = fopen(path, "w");
        fputs("hello, archive", f);
        fclose(f);
        snprintf(cmd, sizeof(cmd), "%s %s/out.cpio %s app=%s && %s %s/empty.cpio", mkcpio, dir, path, path, mkcpio,
                 dir);
        bool ran = system(cmd) == 0;
        snprintf(path, sizeof(path), "%s/out.cpio", dir);
        f = fopen(path, "rb");
        unsigned char raw[4096];
        size_t n = f ? fread(raw, 1, sizeof(raw), f) : 0;
        if (f)
            fclose(f);
        a = exact(raw, n);
        d = cpio_get_file(a, n, "app", &size);
        CHECK("mkcpio: members named by NAME= or the file's base name, 4-byte aligned data",
              ran && cpio_info(a, n, &info) == 0 && info.file_count == 2 && d && size == 14 &&
                  memcmp(d, "hello, archive", 14) == 0 && cpio_get_file(a, n, "img", &size) && n % 4 == 0);
        free(a);
        snprintf(path, sizeof(path), "%s/empty.cpio", dir);
        f = fopen(path, "rb");
        n = f ? fread(raw, 1, sizeof(raw), f) : 0;
        if (f)
            fclose(f);
        a = exact(raw, n);
        CHECK("mkcpio: with no files, an archive of just the trailer (124 bytes)",
              n == 124 && cpio_info(a, n, &info) == 0 && info.file_count == 0);
        free(a);
        snprintf(cmd, sizeof(cmd), "%s %s/dup.cpio %s/img x=%s/img x=%s/img 2>/dev/null", mkcpio, dir, dir, dir, dir);
        CHECK("mkcpio: two members of the same name are refused", system(cmd) != 0);
        snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
        if (system(cmd) != 0)
            printf("(could not remove %s)\n", dir);
    }
}

/* ---- ELF files made here ---- */

/* A small executable: 2 segments (R E text, RW data+bss), sections .text .data .bss
 * .shstrtab; 64- or 32-bit. */
static size_t make_elf(unsigned char *out, bool is64)
{
    static const char shstr[] = "\0.text\0.data\0.bss\0.shstrtab";
    size_t ehsz = is64 ? sizeof(Elf64_Ehdr) : sizeof(Elf32_Ehdr);
    size_t phsz = is64 ? sizeof(Elf64_Phdr) : sizeof(Elf32_Phdr);
    size_t shsz = is64 ? sizeof(Elf64_Shdr) : sizeof(Elf32_Shdr);
    size_t text = 0x100, data = 0x180, strs = 0x1c0, shoff = 0x200;
    memset(out, 0, shoff + 5 * shsz);
    memset(out + text, 0x90, 0x40);
    memset(out + data, 0x11, 0x20);
    memcpy(out + strs, shstr, sizeof(shstr));
    struct { uint32_t type, flags; uint64_t off, vaddr, filesz, memsz; } ph[2] = {
        { PT_LOAD, PF_R | PF_X, text, 0x400100, 0x40, 0x40 },
        { PT_LOAD, PF_R | PF_W, data, 0x401180, 0x20, 0x1000 },
    };
    struct { uint32_t name, type, flags; uint64_t addr, off, size; } sh[5] = {
        { 0, SHT_NULL, 0, 0, 0, 0 },
        { 1, SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR, 0x400100, text, 0x40 },
        { 7, SHT_PROGBITS, SHF_ALLOC | SHF_WRITE, 0x401180, data, 0x20 },
        { 13, SHT_NOBITS, SHF_ALLOC | SHF_WRITE, 0x4011a0, 0x1a0, 0xfe0 },
        { 18, SHT_STRTAB, 0, 0, strs, sizeof(shstr) },
    };
    if (is64) {
        Elf64_Ehdr h = { .e_type = ET_EXEC, .e_machine = EM_X86_64, .e_version = EV_CURRENT, .e_entry = 0x400110,
                         .e_phoff = ehsz, .e_shoff = shoff, .e_ehsize = ehsz, .e_phentsize = phsz, .e_phnum = 2,
                         .e_shentsize = shsz, .e_shnum = 5, .e_shstrndx = 4 };
        memcpy(h.e_ident, ELFMAG, 4);
        h.e_ident[EI_CLASS] = ELFCLASS64;
        h.e_ident[EI_DATA] = ELFDATA2LSB;
        h.e_ident[EI_VERSION] = EV_CURRENT;
        memcpy(out, &h, sizeof(h));
        for (int i = 0; i < 2; i++) {
            Elf64_Phdr p = { .p_type = ph[i].type, .p_flags = ph[i].flags, .p_offset = ph[i].off,
                             .p_vaddr = ph[i].vaddr, .p_paddr = ph[i].vaddr - 0x400000, .p_filesz = ph[i].filesz,
                             .p_memsz = ph[i].memsz, .p_align = 0x1000 };
            memcpy(out + ehsz + i * phsz, &p, sizeof(p));
        }
        for (int i = 0; i < 5; i++) {
            Elf64_Shdr s = { .sh_name = sh[i].name, .sh_type = sh[i].type, .sh_flags = sh[i].flags,
                             .sh_addr = sh[i].addr, .sh_offset = sh[i].off, .sh_size = sh[i].size, .sh_addralign = 1 };
            memcpy(out + shoff + i * shsz, &s, sizeof(s));
        }
    } else {
        Elf32_Ehdr h = { .e_type = ET_EXEC, .e_machine = EM_386, .e_version = EV_CURRENT, .e_entry = 0x400110,
                         .e_phoff = ehsz, .e_shoff = shoff, .e_ehsize = ehsz, .e_phentsize = phsz, .e_phnum = 2,
                         .e_shentsize = shsz, .e_shnum = 5, .e_shstrndx = 4 };
        memcpy(h.e_ident, ELFMAG, 4);
        h.e_ident[EI_CLASS] = ELFCLASS32;
        h.e_ident[EI_DATA] = ELFDATA2LSB;
        h.e_ident[EI_VERSION] = EV_CURRENT;
        memcpy(out, &h, sizeof(h));
        for (int i = 0; i < 2; i++) {
            Elf32_Phdr p = { .p_type = ph[i].type, .p_flags = ph[i].flags, .p_offset = ph[i].off,
                             .p_vaddr = ph[i].vaddr, .p_paddr = ph[i].vaddr - 0x400000, .p_filesz = ph[i].filesz,
                             .p_memsz = ph[i].memsz, .p_align = 0x1000 };
            memcpy(out + ehsz + i * phsz, &p, sizeof(p));
        }
        for (int i = 0; i < 5; i++) {
            Elf32_Shdr s = { .sh_name = sh[i].name, .sh_type = sh[i].type, .sh_flags = sh[i].flags,
                             .sh_addr = sh[i].addr, .sh_offset = sh[i].off, .sh_size = sh[i].size, .sh_addralign = 1 };
            memcpy(out + shoff + i * shsz, &s, sizeof(s));
        }
    }
    return shoff + 5 * shsz;
}

/* Call everything on a file elf_newFile accepted (or on a raw unchecked elf_t). */
static void exercise_elf(const elf_t *e)
{
    volatile uintptr_t sink = elf_getEntryPoint(e);
    uintptr_t lo, hi;
    for (size_t i = 0; i < elf_getNumProgramHeaders(e) + 1; i++) {
        sink += elf_getProgramHeaderType(e, i) + elf_getProgramHeaderVaddr(e, i) + elf_getProgramHeaderFileSize(e, i) +
                elf_getProgramHeaderMemorySize(e, i) + elf_getProgramHeaderOffset(e, i) +
                elf_getProgramHeaderFlags(e, i) + elf_getProgramHeaderAlign(e, i) + elf_getProgramHeaderPaddr(e, i);
        const unsigned char *seg = elf_getProgramSegment(e, i);
        if (seg)
            for (size_t k = 0; k < elf_getProgramHeaderFileSize(e, i); k++)
                sink += seg[k];
        sink += elf_vaddrInProgramHeader(e, i, 0x400110) + elf_vtopProgramHeader(e, i, 0x400110);
    }
    for (size_t i = 0; i < elf_getNumSections(e) + 1; i++) {
        sink += strlen(elf_getSectionName(e, i)) + elf_getSectionType(e, i) + elf_getSectionSize(e, i) +
                elf_getSectionFlags(e, i) + elf_getSectionAddr(e, i) + elf_getSectionOffset(e, i) +
                elf_getSectionLink(e, i) + elf_getSectionInfo(e, i) + elf_getSectionAddrAlign(e, i) +
                elf_getSectionEntrySize(e, i) + elf_getSectionNameOffset(e, i);
        const unsigned char *s = elf_getSection(e, i);
        if (s)
            for (size_t k = 0; k < elf_getSectionSize(e, i); k++)
                sink += s[k];
        const char *st = elf_getStringTable(e, i);
        if (st)
            sink += strlen(st);
    }
    sink += elf_getSectionNamed(e, ".data", NULL) != NULL;
    sink += elf_getMemoryBounds(e, VIRTUAL, &lo, &hi);
    (void)sink;
}

static void test_elf_class(bool is64)
{
    const char *cls = is64 ? "elf64" : "elf32";
    char name[160];
    unsigned char img[4096];
    size_t n = make_elf(img, is64);
    unsigned char *f = exact(img, n);
    elf_t e;
    uintptr_t lo = 0, hi = 0;
    size_t idx = 0;

    snprintf(name, sizeof(name), "%s: elf_newFile accepts a valid file and records its class", cls);
    CHECK(name, elf_newFile(f, n, &e) == 0 && e.elfClass == (is64 ? ELFCLASS64 : ELFCLASS32) && e.elfFile == f &&
                    e.elfSize == n);
    snprintf(name, sizeof(name), "%s: entry point, 2 program headers, 5 sections", cls);
    CHECK(name, elf_getEntryPoint(&e) == 0x400110 && elf_getNumProgramHeaders(&e) == 2 && elf_getNumSections(&e) == 5);
    snprintf(name, sizeof(name), "%s: program header fields", cls);
    CHECK(name, elf_getProgramHeaderType(&e, 1) == PT_LOAD && elf_getProgramHeaderFlags(&e, 1) == (PF_R | PF_W) &&
                    elf_getProgramHeaderVaddr(&e, 1) == 0x401180 && elf_getProgramHeaderPaddr(&e, 1) == 0x1180 &&
                    elf_getProgramHeaderFileSize(&e, 1) == 0x20 && elf_getProgramHeaderMemorySize(&e, 1) == 0x1000 &&
                    elf_getProgramHeaderOffset(&e, 1) == 0x180 && elf_getProgramHeaderAlign(&e, 1) == 0x1000);
    snprintf(name, sizeof(name), "%s: elf_getProgramSegment points at the file bytes", cls);
    CHECK(name, elf_getProgramSegment(&e, 0) == f + 0x100 && elf_getProgramSegment(&e, 1) == f + 0x180);
    snprintf(name, sizeof(name), "%s: elf_getMemoryBounds (virtual and physical)", cls);
    CHECK(name, elf_getMemoryBounds(&e, VIRTUAL, &lo, &hi) == 1 && lo == 0x400100 && hi == 0x402180 &&
                    elf_getMemoryBounds(&e, PHYSICAL, &lo, &hi) == 1 && lo == 0x100 && hi == 0x2180);
    snprintf(name, sizeof(name), "%s: sections by name and index", cls);
    CHECK(name, elf_getSectionNamed(&e, ".data", &idx) == f + 0x180 && idx == 2 &&
                    !strcmp(elf_getSectionName(&e, 3), ".bss") && elf_getSectionType(&e, 3) == SHT_NOBITS &&
                    elf_getSection(&e, 3) == NULL && elf_getSectionSize(&e, 1) == 0x40 &&
                    elf_getSectionAddr(&e, 1) == 0x400100 && elf_getSectionFlags(&e, 2) == (SHF_ALLOC | SHF_WRITE) &&
                    !strcmp(elf_getSectionStringTable(&e) + 1, ".text") && elf_getSection(&e, 0) == NULL &&
                    elf_getSectionNamed(&e, ".nothere", NULL) == NULL);
    snprintf(name, sizeof(name), "%s: vaddr helpers", cls);
    CHECK(name, elf_vaddrInProgramHeader(&e, 1, 0x402000) && !elf_vaddrInProgramHeader(&e, 1, 0x402180) &&
                    elf_vtopProgramHeader(&e, 1, 0x401200) == 0x1200);
    snprintf(name, sizeof(name), "%s: a bad index gives 0 / NULL / <corrupted>", cls);
    CHECK(name, elf_getProgramHeaderVaddr(&e, 2) == 0 && elf_getProgramSegment(&e, 7) == NULL &&
                    elf_getSectionSize(&e, 5) == 0 && !strcmp(elf_getSectionName(&e, 99), "<corrupted>"));

    /* elf_loadFile into a buffer standing for the physical addresses 0x100... */
    static unsigned char mem[0x2200];
    memset(mem, 0xee, sizeof(mem));
    bool loaded = true;
    {
        /* Rebase: PHYSICAL addresses are small offsets; load relative to mem by patching a copy. */
        unsigned char *g = exact(img, n);
        for (int i = 0; i < 2; i++) {
            size_t at = (is64 ? sizeof(Elf64_Ehdr) : sizeof(Elf32_Ehdr)) + i * (is64 ? sizeof(Elf64_Phdr) : sizeof(Elf32_Phdr));
            uint64_t pa = (uintptr_t)mem + (i ? 0x1180 : 0x100);
            if (is64)
                memcpy(g + at + offsetof(Elf64_Phdr, p_paddr), &pa, 8);
        }
        elf_t ge;
        if (is64 && elf_newFile(g, n, &ge) == 0) {
            loaded = elf_loadFile(&ge, PHYSICAL) == 1 && mem[0x100] == 0x90 && mem[0x13f] == 0x90 &&
                     mem[0x140] == 0xee && mem[0x1180] == 0x11 && mem[0x119f] == 0x11 && mem[0x11a0] == 0 &&
                     mem[0x217f] == 0 && mem[0x2180] == 0xee;
        }
        free(g);
    }
    if (is64) {
        snprintf(name, sizeof(name), "%s: elf_loadFile copies file bytes and zeroes the rest of each PT_LOAD", cls);
        CHECK(name, loaded);
    }

    /* Truncations: all refused by elf_newFile (the section table is last). */
    bool ok = true;
    for (size_t k = 0; k < n; k++) {
        unsigned char *t = exact(img, k);
        elf_t te;
        if (elf_newFile(t, k, &te) == 0)
            ok = false;
        if (elf_newFile_maybe_unsafe(t, k, false, false, &te) == 0)
            exercise_elf(&te);
        free(t);
    }
    snprintf(name, sizeof(name), "%s: every truncation is refused; unchecked reads stay inside", cls);
    CHECK(name, ok);

    /* Corruption of the headers: whatever elf_newFile accepts can be read without overreads,
     * and so can what elf_newFile_maybe_unsafe accepts without its table checks. */
    srand(is64 ? 2 : 3);
    int accepted = 0;
    for (int round = 0; round < 10000; round++) {
        unsigned char *t = exact(img, n);
        int flips = 1 + rand() % 3;
        for (int k = 0; k < flips; k++) {
            size_t at = rand() % 3 ? (size_t)(rand() % (is64 ? 0x40 + 2 * 0x38 : 0x34 + 2 * 0x20))
                                   : 0x200 + (size_t)rand() % (n - 0x200);
            t[at] = rand() % 2 ? (unsigned char)rand() : (unsigned char)(t[at] ^ (1u << (rand() % 8)));
        }
        elf_t te;
        if (elf_newFile(t, n, &te) == 0) {
            accepted++;
            exercise_elf(&te);
        }
        if (elf_newFile_maybe_unsafe(t, n, false, false, &te) == 0)
            exercise_elf(&te);
        free(t);
    }
    snprintf(name, sizeof(name), "%s: 10000 corrupted files (%d still valid) read without a fault", cls, accepted);
    CHECK(name, true);
    free(f);
}

static void test_elf_refusals(void)
{
    unsigned char img[4096];
    size_t n = make_elf(img, true);
    elf_t e;
    unsigned char *t;

#define REFUSED(what, patch) \
    do { \
        t = exact(img, n); \
        patch; \
        CHECK("elf: refuses " what, elf_newFile(t, n, &e) < 0); \
        free(t); \
    } while (0)
    REFUSED("a bad magic", t[1] = 'X');
    REFUSED("an unknown class", t[EI_CLASS] = 7);
    REFUSED("a big-endian file", t[EI_DATA] = ELFDATA2MSB);
    REFUSED("a wrong program header entry size", ((Elf64_Ehdr *)t)->e_phentsize = 0x30);
    REFUSED("a program header table past the end", ((Elf64_Ehdr *)t)->e_phoff = n - 0x40);
    REFUSED("a huge program header offset (overflow)", ((Elf64_Ehdr *)t)->e_phoff = ~0ull - 8);
    REFUSED("a segment whose file bytes run past the end", ((Elf64_Phdr *)(t + 0x40))[1].p_filesz = n);
    REFUSED("a segment offset near 2^64 (overflow)", ((Elf64_Phdr *)(t + 0x40))[0].p_offset = ~0ull - 0x10);
    REFUSED("a PT_LOAD with filesz > memsz", ((Elf64_Phdr *)(t + 0x40))[0].p_memsz = 0x10);
    REFUSED("a segment that wraps the address space", ((Elf64_Phdr *)(t + 0x40))[1].p_vaddr = ~0ull - 0x10);
    REFUSED("a section table past the end", ((Elf64_Ehdr *)t)->e_shnum = 6);
    REFUSED("a section name table index out of range", ((Elf64_Ehdr *)t)->e_shstrndx = 5);
    REFUSED("a section past the end of the file", ((Elf64_Shdr *)(t + 0x200))[2].sh_size = n);
    t = exact(img, n);
    ((Elf64_Shdr *)(t + 0x200))[2].sh_size = n;
    CHECK("elf: elf_newFile_maybe_unsafe without the section check accepts that",
          elf_newFile_maybe_unsafe(t, n, true, false, &e) == 0 && elf_getSection(&e, 2) == NULL);
    free(t);
    t = exact(img, n);
    memcpy(t + 0x1c0 + sizeof("\0.text\0.data\0.bss\0.shstrtab") - 1, "X", 1); /* string table loses its NUL */
    CHECK("elf: a section name table without a final NUL is not used", elf_newFile(t, n, &e) == 0 &&
                                                                           elf_getSectionStringTable(&e) == NULL &&
                                                                           !strcmp(elf_getSectionName(&e, 1), "<corrupted>"));
    free(t);
    CHECK("elf: NULL file, tiny file, NULL elf_t", elf_newFile(NULL, 100, &e) < 0 && elf_newFile(img, 3, &e) < 0 &&
                                                     elf_getNumProgramHeaders(NULL) == 0 && elf_check_magic(NULL) < 0);
}

/* A real program: this test's own executable. */
static void test_elf_self(void)
{
    FILE *f = fopen("/proc/self/exe", "rb");
    if (!f) {
        printf("PASS: elf: (no /proc/self/exe; skipped)\n");
        return;
    }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *p = malloc(n);
    bool read_all = fread(p, 1, n, f) == (size_t)n;
    fclose(f);
    elf_t e;
    uintptr_t lo, hi;
    CHECK("elf: this host program (gcc-built) passes elf_newFile, has .text and .symtab, PT_LOAD bounds",
          read_all && elf_newFile(p, n, &e) == 0 && elf_getSectionNamed(&e, ".text", NULL) &&
              elf_getSectionNamed(&e, ".symtab", NULL) && elf_getMemoryBounds(&e, VIRTUAL, &lo, &hi) && lo < hi);
    free(p);
}

int main(int argc, char **argv)
{
    /* The packer: given, or BUILD/tools/mkcpio next to BUILD/host-tests/<this>. */
    char mkcpio[1024], self[900];
    snprintf(self, sizeof(self), "%s", argv[0]);
    snprintf(mkcpio, sizeof(mkcpio), "%s/../tools/mkcpio", dirname(self));
    if (argc > 1)
        snprintf(mkcpio, sizeof(mkcpio), "%s", argv[1]);
    test_cpio(access(mkcpio, X_OK) == 0 ? mkcpio : NULL);
    if (access(mkcpio, X_OK) != 0)
        printf("(no %s: the packer's checks skipped)\n", mkcpio);
    test_elf_class(true);
    test_elf_class(false);
    test_elf_refusals();
    test_elf_self();
    return failures ? 1 : 0;
}
