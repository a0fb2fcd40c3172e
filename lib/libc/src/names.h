/*
 * Included first by every libc source file.
 *
 * Normally empty.  The host unit test (tests/host/test_libc.c) builds these
 * same sources into a normal Linux program, next to glibc; there the public
 * names must not collide with (or silently replace) glibc's, so with
 * -DCAIRN_LIBC_TEST_PREFIX every exported symbol, hook included, gets a
 * "cairn_" prefix.  Because this runs before any header, declarations and
 * definitions are renamed consistently.
 *
 * Every new public function must be added here; the test build checks with
 * nm that no unprefixed global symbol is left.
 */
#ifndef CAIRN_LIBC_NAMES_H
#define CAIRN_LIBC_NAMES_H

#ifdef CAIRN_LIBC_TEST_PREFIX
#define __cairn_write cairn___cairn_write
#define _exit cairn__exit
#define __cairn_vformat cairn___cairn_vformat
#define errno cairn_errno
#define strerror cairn_strerror
#define __assert_fail cairn___assert_fail
#define stdin cairn_stdin
#define stdout cairn_stdout
#define stderr cairn_stderr
#define printf cairn_printf
#define fprintf cairn_fprintf
#define sprintf cairn_sprintf
#define snprintf cairn_snprintf
#define vprintf cairn_vprintf
#define vfprintf cairn_vfprintf
#define vsprintf cairn_vsprintf
#define vsnprintf cairn_vsnprintf
#define putchar cairn_putchar
#define fputc cairn_fputc
#define putc cairn_putc
#define puts cairn_puts
#define fputs cairn_fputs
#define fwrite cairn_fwrite
#define fflush cairn_fflush
#define getchar cairn_getchar
#define fgetc cairn_fgetc
#define getc cairn_getc
#define fgets cairn_fgets
#define feof cairn_feof
#define ferror cairn_ferror
#define clearerr cairn_clearerr
#define memcpy cairn_memcpy
#define memmove cairn_memmove
#define memset cairn_memset
#define memcmp cairn_memcmp
#define memchr cairn_memchr
#define strlen cairn_strlen
#define strnlen cairn_strnlen
#define strcmp cairn_strcmp
#define strncmp cairn_strncmp
#define strcpy cairn_strcpy
#define strncpy cairn_strncpy
#define strcat cairn_strcat
#define strncat cairn_strncat
#define strchr cairn_strchr
#define strrchr cairn_strrchr
#define strstr cairn_strstr
#define strspn cairn_strspn
#define strcspn cairn_strcspn
#define strpbrk cairn_strpbrk
#define strtok cairn_strtok
#define strtok_r cairn_strtok_r
#define strdup cairn_strdup
#define strndup cairn_strndup
#define strcasecmp cairn_strcasecmp
#define strncasecmp cairn_strncasecmp
#define bzero cairn_bzero
#define malloc cairn_malloc
#define free cairn_free
#define calloc cairn_calloc
#define realloc cairn_realloc
#define aligned_alloc cairn_aligned_alloc
#define posix_memalign cairn_posix_memalign
#define abort cairn_abort
#define exit cairn_exit
#define atexit cairn_atexit
#define atoi cairn_atoi
#define atol cairn_atol
#define atoll cairn_atoll
#define strtol cairn_strtol
#define strtoul cairn_strtoul
#define strtoll cairn_strtoll
#define strtoull cairn_strtoull
#define strtoimax cairn_strtoimax
#define strtoumax cairn_strtoumax
#define abs cairn_abs
#define labs cairn_labs
#define llabs cairn_llabs
#define div cairn_div
#define ldiv cairn_ldiv
#define lldiv cairn_lldiv
#define qsort cairn_qsort
#define bsearch cairn_bsearch
#define rand cairn_rand
#define srand cairn_srand
#define isalnum cairn_isalnum
#define isalpha cairn_isalpha
#define isblank cairn_isblank
#define iscntrl cairn_iscntrl
#define isdigit cairn_isdigit
#define isgraph cairn_isgraph
#define islower cairn_islower
#define isprint cairn_isprint
#define ispunct cairn_ispunct
#define isspace cairn_isspace
#define isupper cairn_isupper
#define isxdigit cairn_isxdigit
#define tolower cairn_tolower
#define toupper cairn_toupper
#endif

#endif
