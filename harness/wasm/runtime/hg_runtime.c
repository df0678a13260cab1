/* heapgrade kit runtime: the little libc a submission gets when compiled to
 * WebAssembly. No files, clock or network: the only ways out are the host
 * imports below. Compiled with -ffreestanding, so nothing here is replaced
 * by a call to itself. */
#include <stdarg.h>
#include <stdbool.h>
#include "hg_kit.h"

/* Pointer-sized: i32 under wasm32, i64 under memory64 (the host converts). */
HG_IMPORT("sbrk") intptr_t hg_sbrk(intptr_t increment);
HG_IMPORT("heap_lo") uintptr_t hg_heap_lo(void);
HG_IMPORT("reset_brk") void hg_reset_brk(void);
HG_IMPORT("write") void hg_write(const char *ptr, size_t len);
HG_IMPORT("assert_fail") void hg_assert_fail(const char *expr, const char *file, int line, const char *func);
HG_IMPORT("abort") void hg_abort(int kind, int code);

int errno;

/* ---- memory ------------------------------------------------------------ */

void *sbrk(intptr_t increment) { return (void *)hg_sbrk(increment); }
int getpagesize(void) { return 4096; }
/* mem_sbrk is in hg_sbrk_intptr.c / hg_sbrk_int.c: the handouts declare it with `int` (2002-2015) or `intptr_t` (2016+). */
void mem_init(void) {}
void mem_deinit(void) {}
void mem_reset_brk(void) { hg_reset_brk(); }
void *mem_heap_lo(void) { return (void *)hg_heap_lo(); }
void *mem_heap_hi(void) { return (char *)hg_sbrk(0) - 1; }
size_t mem_heapsize(void) { return (size_t)((char *)hg_sbrk(0) - (char *)hg_heap_lo()); }
size_t mem_pagesize(void) { return 4096; }
/* The 2019+ memlib.h: the driver's hooks for heap accesses; natively plain memcpy/memset. */
void *mem_memcpy(void *d, const void *s, size_t n) { return __builtin_memcpy(d, s, n); }
void *mem_memset(void *d, int c, size_t n) { return __builtin_memset(d, c, n); }

/* <sys/mman.h>: every handout gets memory from (mem_)sbrk only, so mmap always fails. */
void *mmap(void *addr, size_t len, int prot, int flags, int fd, long off) {
  (void)addr, (void)len, (void)prot, (void)flags, (void)fd, (void)off;
  errno = 12; /* ENOMEM */
  return (void *)-1;
}
int munmap(void *addr, size_t len) {
  (void)addr, (void)len;
  errno = 22; /* EINVAL */
  return -1;
}

/* ---- string.h ---------------------------------------------------------- */

/* With bulk memory these become memory.copy / memory.fill, which trap when out of bounds. */
void *memcpy(void *restrict d, const void *restrict s, size_t n) { return __builtin_memcpy(d, s, n); }
void *memmove(void *d, const void *s, size_t n) { return __builtin_memmove(d, s, n); }
void *memset(void *d, int c, size_t n) { return __builtin_memset(d, c, n); }
int memcmp(const void *a, const void *b, size_t n) {
  const unsigned char *x = a, *y = b;
  for (size_t i = 0; i < n; i++)
    if (x[i] != y[i]) return x[i] - y[i];
  return 0;
}
void *memchr(const void *s, int c, size_t n) {
  const unsigned char *p = s;
  for (size_t i = 0; i < n; i++)
    if (p[i] == (unsigned char)c) return (void *)(p + i);
  return 0;
}
size_t strlen(const char *s) {
  size_t n = 0;
  while (s[n]) n++;
  return n;
}
size_t strnlen(const char *s, size_t max) {
  size_t n = 0;
  while (n < max && s[n]) n++;
  return n;
}
int strcmp(const char *a, const char *b) {
  while (*a && *a == *b) a++, b++;
  return (unsigned char)*a - (unsigned char)*b;
}
int strncmp(const char *a, const char *b, size_t n) {
  for (; n; n--, a++, b++) {
    if (*a != *b || !*a) return (unsigned char)*a - (unsigned char)*b;
  }
  return 0;
}
char *strcpy(char *restrict d, const char *restrict s) {
  char *r = d;
  while ((*d++ = *s++)) {}
  return r;
}
char *strncpy(char *restrict d, const char *restrict s, size_t n) {
  size_t i = 0;
  for (; i < n && s[i]; i++) d[i] = s[i];
  for (; i < n; i++) d[i] = 0;
  return d;
}
char *strchr(const char *s, int c) {
  for (;; s++) {
    if (*s == (char)c) return (char *)s;
    if (!*s) return 0;
  }
}
char *strcat(char *restrict d, const char *restrict s) {
  strcpy(d + strlen(d), s);
  return d;
}

/* ---- stdlib.h ---------------------------------------------------------- */

_Noreturn void abort(void) {
  hg_abort(0, 0);
  __builtin_unreachable();
}
_Noreturn void exit(int status) {
  hg_abort(1, status);
  __builtin_unreachable();
}
_Noreturn void __hg_assert_fail(const char *expr, const char *file, int line, const char *func) {
  hg_assert_fail(expr, file, line, func);
  __builtin_unreachable();
}
int abs(int x) { return x < 0 ? -x : x; }
long labs(long x) { return x < 0 ? -x : x; }
long long llabs(long long x) { return x < 0 ? -x : x; }
unsigned long strtoul(const char *restrict s, char **restrict end, int base) {
  while (*s == ' ' || *s == '\t' || *s == '\n') s++;
  if (*s == '+') s++;
  if ((base == 0 || base == 16) && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) s += 2, base = 16;
  else if (base == 0) base = s[0] == '0' ? 8 : 10;
  unsigned long v = 0;
  for (;; s++) {
    int d = *s >= '0' && *s <= '9' ? *s - '0' : *s >= 'a' && *s <= 'z' ? *s - 'a' + 10 : *s >= 'A' && *s <= 'Z' ? *s - 'A' + 10 : 99;
    if (d >= base) break;
    v = v * base + d;
  }
  if (end) *end = (char *)s;
  return v;
}
long strtol(const char *restrict s, char **restrict end, int base) {
  while (*s == ' ' || *s == '\t' || *s == '\n') s++;
  bool neg = *s == '-';
  if (neg) s++;
  unsigned long v = strtoul(s, end, base);
  return neg ? -(long)v : (long)v;
}
int atoi(const char *s) { return (int)strtol(s, 0, 10); }
static uint32_t rand_state = 1;
int rand(void) {
  rand_state = rand_state * 1103515245u + 12345u;
  return (int)((rand_state >> 1) & 0x7fffffff);
}
void srand(unsigned seed) { rand_state = seed; }
char *getenv(const char *name) {
  (void)name;
  return 0;
}
