#ifndef _CAIRN_STDIO_H
#define _CAIRN_STDIO_H

#include <stdarg.h>
#include <stddef.h>

#define EOF (-1)
#define BUFSIZ 1024

/* Opaque; stdout and stderr both write to the console, stdin is always
 * at end of file. */
typedef struct __cairn_file FILE;

extern FILE *stdin;
extern FILE *stdout;
extern FILE *stderr;

#define __CAIRN_PRINTF(fmt, args) __attribute__((__format__(__printf__, fmt, args)))

int printf(const char *restrict fmt, ...) __CAIRN_PRINTF(1, 2);
int fprintf(FILE *restrict f, const char *restrict fmt, ...) __CAIRN_PRINTF(2, 3);
int sprintf(char *restrict buf, const char *restrict fmt, ...) __CAIRN_PRINTF(2, 3);
int snprintf(char *restrict buf, size_t size, const char *restrict fmt, ...)
    __CAIRN_PRINTF(3, 4);
int vprintf(const char *restrict fmt, va_list ap) __CAIRN_PRINTF(1, 0);
int vfprintf(FILE *restrict f, const char *restrict fmt, va_list ap) __CAIRN_PRINTF(2, 0);
int vsprintf(char *restrict buf, const char *restrict fmt, va_list ap) __CAIRN_PRINTF(2, 0);
int vsnprintf(char *restrict buf, size_t size, const char *restrict fmt, va_list ap)
    __CAIRN_PRINTF(3, 0);

int putchar(int c);
int fputc(int c, FILE *f);
int putc(int c, FILE *f);
int puts(const char *s);
int fputs(const char *restrict s, FILE *restrict f);
size_t fwrite(const void *restrict ptr, size_t size, size_t nmemb, FILE *restrict f);
int fflush(FILE *f);

int getchar(void);
int fgetc(FILE *f);
int getc(FILE *f);
char *fgets(char *restrict s, int size, FILE *restrict f);

int feof(FILE *f);
int ferror(FILE *f);
void clearerr(FILE *f);

#endif
