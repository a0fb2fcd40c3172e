/* Reading "newc" CPIO archives in memory, with the interface of seL4's libcpio.
 *
 * Every function takes the archive's length and never reads past it: a truncated or
 * malformed archive gives NULL (or an error), with a ZF_LOGE line saying what was wrong.
 * Entries are counted from 0 in archive order; the "TRAILER!!!" entry ends the archive
 * and is not an entry. */
#pragma once

#define CPIO_HEADER_MAGIC "070701"
#define CPIO_FOOTER_MAGIC "TRAILER!!!"
#define CPIO_ALIGNMENT 4

/* The newc header: ASCII, every number 8 hex digits. The name (namesize bytes, its NUL
 * included) follows, then the data, each padded to a multiple of 4 from the archive start. */
struct cpio_header {
    char c_magic[6];
    char c_ino[8];
    char c_mode[8];
    char c_uid[8];
    char c_gid[8];
    char c_nlink[8];
    char c_mtime[8];
    char c_filesize[8];
    char c_devmajor[8];
    char c_devminor[8];
    char c_rdevmajor[8];
    char c_rdevminor[8];
    char c_namesize[8];
    char c_check[8];
};

struct cpio_info {
    unsigned int file_count;  /* entries before the trailer */
    unsigned int max_path_sz; /* longest name, in characters (without the NUL) */
};

/* Entry `index`: its data (NULL if there is no such entry or the archive is malformed);
 * its name (NUL-terminated, inside the archive) in *name and its size in *size, when
 * those pointers are not NULL. */
void *cpio_get_entry(void *archive, unsigned long len, int index, const char **name, unsigned long *size);

/* The data of the entry called `name` (exact match), its size in *size; NULL if there
 * is none (or the archive is malformed before it is found). */
void *cpio_get_file(void *archive, unsigned long len, const char *name, unsigned long *size);

/* Count the entries and the longest name. 0 on success, non-zero if info is NULL or the
 * archive is malformed. */
int cpio_info(void *archive, unsigned long len, struct cpio_info *info);

/* Copy the names of the first buf_len entries into buf[0..buf_len-1], each a buffer of at
 * least max_path_sz + 1 bytes (see cpio_info). Stops early at the end of the archive. */
void cpio_ls(void *archive, unsigned long len, char **buf, unsigned long buf_len);
