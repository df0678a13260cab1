/* heapgrade kit <stdio.h>: printf and friends write to the kit's capture buffer
 * (shown with the result, capped); there are no files. */
#ifndef HG_STDIO_H
#define HG_STDIO_H
#include "hg_kit.h"
#include <stdarg.h>
typedef struct hg_file FILE;
extern FILE *const stdout;
extern FILE *const stderr;
#define stdout stdout
#define stderr stderr
#define EOF (-1)
int printf(const char *restrict fmt, ...) __attribute__((format(printf, 1, 2)));
int fprintf(FILE *restrict f, const char *restrict fmt, ...) __attribute__((format(printf, 2, 3)));
int vprintf(const char *restrict fmt, va_list ap);
int vfprintf(FILE *restrict f, const char *restrict fmt, va_list ap);
int snprintf(char *restrict buf, size_t n, const char *restrict fmt, ...) __attribute__((format(printf, 3, 4)));
int vsnprintf(char *restrict buf, size_t n, const char *restrict fmt, va_list ap);
int sprintf(char *restrict buf, const char *restrict fmt, ...) __attribute__((format(printf, 2, 3)));
int puts(const char *s);
int fputs(const char *restrict s, FILE *restrict f);
int putchar(int c);
int fputc(int c, FILE *f);
#define putc(c, f) fputc((c), (f))
int fflush(FILE *f);
void perror(const char *s);
#endif
