/* newc CPIO reader: every offset is checked against the archive length before use. */
#include <stddef.h>
#include <string.h>
#include <cpio/cpio.h>
#include <utils/zf_log.h>

#define HEADER_SIZE sizeof(struct cpio_header) /* 110 */

struct entry {
    const char *name;
    void *data;
    unsigned long size;
    unsigned long next; /* offset of the following header */
};

static unsigned long align4(unsigned long n)
{
    return (n + CPIO_ALIGNMENT - 1) & ~(unsigned long)(CPIO_ALIGNMENT - 1);
}

/* An 8-digit hex field; -1 if a character is not a hex digit. */
static long hex8(const char *s)
{
    long v = 0;
    for (int i = 0; i < 8; i++) {
        char c = s[i];
        int d;
        if (c >= '0' && c <= '9')
            d = c - '0';
        else if (c >= 'a' && c <= 'f')
            d = c - 'a' + 10;
        else if (c >= 'A' && c <= 'F')
            d = c - 'A' + 10;
        else
            return -1;
        v = v * 16 + d;
    }
    return v;
}

/* Parse the header at `off`: 0 for an entry, 1 for the trailer, -1 (logged) if malformed. */
static int parse(char *base, unsigned long len, unsigned long off, struct entry *e)
{
    if (off > len || len - off < HEADER_SIZE) {
        ZF_LOGE("cpio: archive truncated: no header at offset %lu of %lu (no trailer?)", off, len);
        return -1;
    }
    const struct cpio_header *h = (const struct cpio_header *)(base + off);
    if (memcmp(h->c_magic, CPIO_HEADER_MAGIC, sizeof(h->c_magic)) != 0) {
        ZF_LOGE("cpio: bad magic at offset %lu (not a newc archive)", off);
        return -1;
    }
    long namesize = hex8(h->c_namesize), filesize = hex8(h->c_filesize);
    if (namesize < 0 || filesize < 0) {
        ZF_LOGE("cpio: header at offset %lu has a non-hex size field", off);
        return -1;
    }
    unsigned long name_off = off + HEADER_SIZE;
    if (namesize == 0 || (unsigned long)namesize > len - name_off) {
        ZF_LOGE("cpio: name of the entry at offset %lu runs past the end", off);
        return -1;
    }
    const char *name = base + name_off;
    if (memchr(name, '\0', namesize) == NULL) {
        ZF_LOGE("cpio: name of the entry at offset %lu is not NUL-terminated", off);
        return -1;
    }
    e->name = name;
    if (strcmp(name, CPIO_FOOTER_MAGIC) == 0)
        return 1;
    unsigned long data_off = align4(name_off + namesize);
    if (data_off > len || (unsigned long)filesize > len - data_off) {
        ZF_LOGE("cpio: data of \"%s\" (%ld bytes) runs past the end of the archive", name, filesize);
        return -1;
    }
    e->data = base + data_off;
    e->size = filesize;
    e->next = align4(data_off + filesize);
    return 0;
}

/* Walk to entry `index`, or to the entry called `name` if name != NULL. */
static void *find(void *archive, unsigned long len, long index, const char *want,
                  const char **name, unsigned long *size)
{
    if (archive == NULL) {
        ZF_LOGE("cpio: archive is NULL");
        return NULL;
    }
    struct entry e;
    unsigned long off = 0;
    for (long i = 0;; i++) {
        if (parse(archive, len, off, &e) != 0)
            return NULL; /* trailer (not found) or malformed */
        if (want ? strcmp(e.name, want) == 0 : i == index) {
            if (name)
                *name = e.name;
            if (size)
                *size = e.size;
            return e.data;
        }
        off = e.next;
    }
}

void *cpio_get_entry(void *archive, unsigned long len, int index, const char **name, unsigned long *size)
{
    if (index < 0)
        return NULL;
    return find(archive, len, index, NULL, name, size);
}

void *cpio_get_file(void *archive, unsigned long len, const char *name, unsigned long *size)
{
    if (name == NULL) {
        ZF_LOGE("cpio: file name is NULL");
        return NULL;
    }
    return find(archive, len, -1, name, NULL, size);
}

int cpio_info(void *archive, unsigned long len, struct cpio_info *info)
{
    if (archive == NULL || info == NULL) {
        ZF_LOGE("cpio: %s is NULL", archive ? "info" : "archive");
        return 1;
    }
    info->file_count = 0;
    info->max_path_sz = 0;
    struct entry e;
    for (unsigned long off = 0;; off = e.next) {
        int r = parse(archive, len, off, &e);
        if (r < 0)
            return -1;
        if (r == 1)
            return 0;
        size_t n = strlen(e.name);
        info->file_count++;
        if (n > info->max_path_sz)
            info->max_path_sz = n;
    }
}

void cpio_ls(void *archive, unsigned long len, char **buf, unsigned long buf_len)
{
    if (archive == NULL || (buf == NULL && buf_len > 0)) {
        ZF_LOGE("cpio: %s is NULL", archive ? "buf" : "archive");
        return;
    }
    struct entry e;
    unsigned long off = 0;
    for (unsigned long i = 0; i < buf_len; i++, off = e.next) {
        if (parse(archive, len, off, &e) != 0)
            return;
        strcpy(buf[i], e.name);
    }
}
