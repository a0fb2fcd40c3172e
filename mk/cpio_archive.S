/* A CPIO archive as an object file: the bytes of CAIRN_CPIO_FILE (a quoted path, given on
 * the command line by mk/user.mk) between _cpio_archive and _cpio_archive_end. */
    .section .rodata, "a"
    .balign 8
    .global _cpio_archive
    .global _cpio_archive_end
    .type _cpio_archive, @object
    .type _cpio_archive_end, @object
_cpio_archive:
    .incbin CAIRN_CPIO_FILE
_cpio_archive_end:
    .size _cpio_archive, _cpio_archive_end - _cpio_archive
    .size _cpio_archive_end, 0

    .section .note.GNU-stack, "", @progbits
