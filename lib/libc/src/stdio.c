/*
 * stdio.c - the console streams.
 *
 * stdout and stderr both go to the console through __cairn_write and are
 * unbuffered between calls (so fflush has nothing to do); a single printf
 * call is collected in a local buffer and written in chunks.  stdin is
 * always at end of file: there is no console input yet.
 */
#include "names.h"

#include <cairn/libc_hooks.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "format.h"

struct __cairn_file {
    unsigned char writable;
    unsigned char eof;
    unsigned char err;
};

static FILE file_stdin = { 0, 0, 0 };
static FILE file_stdout = { 1, 0, 0 };
static FILE file_stderr = { 1, 0, 0 };

FILE *stdin = &file_stdin;
FILE *stdout = &file_stdout;
FILE *stderr = &file_stderr;

/* Every write path goes through here; non-console streams fail. */
static int can_write(FILE *f)
{
    if (!f || !f->writable) {
        if (f)
            f->err = 1;
        errno = EBADF;
        return 0;
    }
    return 1;
}

/* ---- printf family ------------------------------------------------------ */

#define CHUNK 256

struct chunk_buf {
    size_t len;
    char buf[CHUNK];
};

static void chunk_flush(struct chunk_buf *b)
{
    __cairn_write(b->buf, b->len);
    b->len = 0;
}

static void chunk_sink(void *ctx, const char *s, size_t n)
{
    struct chunk_buf *b = ctx;

    if (n > CHUNK - b->len) {
        if (b->len)
            chunk_flush(b);
        if (n >= CHUNK) {       /* big pieces go straight out */
            __cairn_write(s, n);
            return;
        }
    }
    memcpy(b->buf + b->len, s, n);
    b->len += n;
}

int vfprintf(FILE *restrict f, const char *restrict fmt, va_list ap)
{
    struct chunk_buf b;
    int r;

    if (!can_write(f))
        return -1;
    b.len = 0;
    r = __cairn_vformat(chunk_sink, &b, fmt, ap);
    if (b.len)
        chunk_flush(&b);
    return r;
}

int fprintf(FILE *restrict f, const char *restrict fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int r = vfprintf(f, fmt, ap);
    va_end(ap);
    return r;
}

int vprintf(const char *restrict fmt, va_list ap)
{
    return vfprintf(stdout, fmt, ap);
}

int printf(const char *restrict fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int r = vfprintf(stdout, fmt, ap);
    va_end(ap);
    return r;
}

/* ---- unformatted output ------------------------------------------------- */

int fputc(int c, FILE *f)
{
    char ch = (char)c;

    if (!can_write(f))
        return EOF;
    __cairn_write(&ch, 1);
    return (unsigned char)ch;
}

int putc(int c, FILE *f)
{
    return fputc(c, f);
}

int putchar(int c)
{
    return fputc(c, stdout);
}

int fputs(const char *restrict s, FILE *restrict f)
{
    if (!can_write(f))
        return EOF;
    __cairn_write(s, strlen(s));
    return 0;
}

int puts(const char *s)
{
    if (fputs(s, stdout) == EOF)
        return EOF;
    __cairn_write("\n", 1);
    return 0;
}

size_t fwrite(const void *restrict ptr, size_t size, size_t nmemb, FILE *restrict f)
{
    size_t total;

    if (!size || !nmemb)
        return 0;
    if (!can_write(f))
        return 0;
    if (__builtin_mul_overflow(size, nmemb, &total)) {
        f->err = 1;
        errno = EINVAL;
        return 0;
    }
    __cairn_write(ptr, total);
    return nmemb;
}

int fflush(FILE *f)
{
    (void)f;        /* nothing is ever buffered between calls */
    return 0;
}

/* ---- input: there is none ------------------------------------------------ */

int fgetc(FILE *f)
{
    if (f)
        f->eof = 1;
    return EOF;
}

int getc(FILE *f)
{
    return fgetc(f);
}

int getchar(void)
{
    return fgetc(stdin);
}

char *fgets(char *restrict s, int size, FILE *restrict f)
{
    (void)s;
    (void)size;
    fgetc(f);
    return NULL;
}

int feof(FILE *f)
{
    return f->eof;
}

int ferror(FILE *f)
{
    return f->err;
}

void clearerr(FILE *f)
{
    f->eof = 0;
    f->err = 0;
}
