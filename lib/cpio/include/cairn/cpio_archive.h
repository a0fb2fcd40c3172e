/* The CPIO archive of process images that the build links into every root task
 * (see README.md): the bytes between these two symbols, seL4's names for them. seL4 code
 * declares them itself; this header is for Cairn programs that prefer to include it. */
#pragma once

extern char _cpio_archive[];
extern char _cpio_archive_end[];

/* The archive's length in bytes. */
#define CAIRN_CPIO_ARCHIVE_LEN ((unsigned long)(_cpio_archive_end - _cpio_archive))
