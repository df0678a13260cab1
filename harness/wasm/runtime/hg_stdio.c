/* heapgrade kit stdio: a small printf (d i u x X o p s c %, flags - 0 + space #,
 * width, precision, length hh h l ll z t j; f e g printed as fixed-point) that
 * writes through the host's capture buffer. */
#include <stdarg.h>
#include <stdbool.h>
#include "hg_kit.h"

HG_IMPORT("write") void hg_write(const char *ptr, size_t len);

struct hg_file { int fd; };
static struct hg_file hg_stdout_file = {1}, hg_stderr_file = {2};
struct hg_file *const stdout = &hg_stdout_file;
struct hg_file *const stderr = &hg_stderr_file;

/* Output goes to a bounded buffer (snprintf) or the host (printf). */
typedef struct {
  char *buf;
  size_t cap, len;
  bool host;
  char chunk[128];
  size_t pending;
} sink;

static void flush(sink *s) {
  if (s->pending) hg_write(s->chunk, s->pending);
  s->pending = 0;
}
static void put(sink *s, char c) {
  if (s->host) {
    s->chunk[s->pending++] = c;
    if (s->pending == sizeof s->chunk) flush(s);
  } else if (s->len + 1 < s->cap) {
    s->buf[s->len] = c;
  }
  s->len++;
}
static void puts_n(sink *s, const char *p, size_t n) {
  for (size_t i = 0; i < n; i++) put(s, p[i]);
}
static void pad(sink *s, char c, int n) {
  for (; n > 0; n--) put(s, c);
}

static void emit_num(sink *s, unsigned long long v, bool neg, unsigned base, bool upper, int width, int prec,
                     bool left, bool zero, char sign, const char *prefix) {
  char digits[64];
  int n = 0;
  const char *set = upper ? "0123456789ABCDEF" : "0123456789abcdef";
  do {
    digits[n++] = set[v % base];
    v /= base;
  } while (v);
  if (prec == 0 && n == 1 && digits[0] == '0') n = 0;
  int zeros = prec > n ? prec - n : 0;
  int plen = 0;
  while (prefix[plen]) plen++;
  char sg = neg ? '-' : sign;
  int total = n + zeros + plen + (sg ? 1 : 0);
  if (zero && !left && prec < 0 && width > total) zeros += width - total, total = width;
  if (!left) pad(s, ' ', width - total);
  if (sg) put(s, sg);
  puts_n(s, prefix, (size_t)plen);
  pad(s, '0', zeros);
  while (n) put(s, digits[--n]);
  if (left) pad(s, ' ', width - total);
}

static void emit_float(sink *s, double d, int width, int prec, bool left, char sign) {
  if (prec < 0) prec = 6;
  if (prec > 9) prec = 9;
  char tmp[48];
  int n = 0;
  bool neg = d < 0;
  if (neg) d = -d;
  if (d != d) { puts_n(s, "nan", 3); return; }
  if (d > 1e18) { puts_n(s, neg ? "-inf" : "inf", neg ? 4 : 3); return; }
  unsigned long long scale = 1;
  for (int i = 0; i < prec; i++) scale *= 10;
  unsigned long long whole = (unsigned long long)d;
  unsigned long long frac = (unsigned long long)((d - (double)whole) * (double)scale + 0.5);
  if (frac >= scale) whole++, frac -= scale;
  for (int i = 0; i < prec; i++) tmp[n++] = (char)('0' + frac % 10), frac /= 10;
  if (prec) tmp[n++] = '.';
  do tmp[n++] = (char)('0' + whole % 10), whole /= 10; while (whole);
  if (neg || sign) tmp[n++] = neg ? '-' : sign;
  if (!left) pad(s, ' ', width - n);
  for (int i = n - 1; i >= 0; i--) put(s, tmp[i]);
  if (left) pad(s, ' ', width - n);
}

static int format(sink *s, const char *f, va_list ap) {
  for (; *f; f++) {
    if (*f != '%') { put(s, *f); continue; }
    f++;
    bool left = false, zero = false, alt = false;
    char sign = 0;
    for (;; f++) {
      if (*f == '-') left = true;
      else if (*f == '0') zero = true;
      else if (*f == '+') sign = '+';
      else if (*f == ' ') { if (!sign) sign = ' '; }
      else if (*f == '#') alt = true;
      else break;
    }
    int width = 0, prec = -1;
    if (*f == '*') { width = va_arg(ap, int); f++; if (width < 0) left = true, width = -width; }
    else while (*f >= '0' && *f <= '9') width = width * 10 + (*f++ - '0');
    if (*f == '.') {
      f++;
      prec = 0;
      if (*f == '*') { prec = va_arg(ap, int); f++; }
      else while (*f >= '0' && *f <= '9') prec = prec * 10 + (*f++ - '0');
    }
    int len = 0; /* 0 int, 1 long, 2 long long */
    for (;; f++) {
      if (*f == 'l') len++;
      else if (*f == 'h') {}
      else if (*f == 'z' || *f == 't' || *f == 'j') len = *f == 'j' ? 2 : 1;
      else break;
    }
    char c = *f;
    if (!c) break;
    switch (c) {
    case 'd': case 'i': {
      long long v = len == 2 ? va_arg(ap, long long) : len == 1 ? va_arg(ap, long) : va_arg(ap, int);
      unsigned long long m = v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v;
      emit_num(s, m, v < 0, 10, false, width, prec, left, zero, sign, "");
      break;
    }
    case 'u': case 'x': case 'X': case 'o': {
      unsigned long long v = len == 2 ? va_arg(ap, unsigned long long) : len == 1 ? va_arg(ap, unsigned long) : va_arg(ap, unsigned);
      unsigned base = c == 'u' ? 10 : c == 'o' ? 8 : 16;
      const char *prefix = alt && v ? (c == 'x' ? "0x" : c == 'X' ? "0X" : c == 'o' ? "0" : "") : "";
      emit_num(s, v, false, base, c == 'X', width, prec, left, zero, 0, prefix);
      break;
    }
    case 'p': {
      uintptr_t v = (uintptr_t)va_arg(ap, void *);
      if (!v) { int n = 5; if (!left) pad(s, ' ', width - n); puts_n(s, "(nil)", 5); if (left) pad(s, ' ', width - n); }
      else emit_num(s, v, false, 16, false, width, -1, left, false, 0, "0x");
      break;
    }
    case 'f': case 'F': case 'e': case 'g': case 'G': case 'E':
      emit_float(s, va_arg(ap, double), width, prec, left, sign);
      break;
    case 's': {
      const char *str = va_arg(ap, const char *);
      if (!str) str = "(null)";
      size_t n = 0;
      while (str[n] && (prec < 0 || n < (size_t)prec)) n++;
      if (!left) pad(s, ' ', width - (int)n);
      puts_n(s, str, n);
      if (left) pad(s, ' ', width - (int)n);
      break;
    }
    case 'c':
      if (!left) pad(s, ' ', width - 1);
      put(s, (char)va_arg(ap, int));
      if (left) pad(s, ' ', width - 1);
      break;
    case '%':
      put(s, '%');
      break;
    default:
      put(s, '%');
      put(s, c);
    }
  }
  if (s->host) flush(s);
  else if (s->cap) s->buf[s->len < s->cap ? s->len : s->cap - 1] = 0;
  return (int)s->len;
}

int vfprintf(struct hg_file *restrict f, const char *restrict fmt, va_list ap) {
  (void)f;
  sink s = {0, 0, 0, true, {0}, 0};
  return format(&s, fmt, ap);
}
int vprintf(const char *restrict fmt, va_list ap) { return vfprintf(stdout, fmt, ap); }
int printf(const char *restrict fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int r = vfprintf(stdout, fmt, ap);
  va_end(ap);
  return r;
}
int fprintf(struct hg_file *restrict f, const char *restrict fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int r = vfprintf(f, fmt, ap);
  va_end(ap);
  return r;
}
int vsnprintf(char *restrict buf, size_t n, const char *restrict fmt, va_list ap) {
  sink s = {buf, n, 0, false, {0}, 0};
  return format(&s, fmt, ap);
}
int snprintf(char *restrict buf, size_t n, const char *restrict fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int r = vsnprintf(buf, n, fmt, ap);
  va_end(ap);
  return r;
}
int sprintf(char *restrict buf, const char *restrict fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int r = vsnprintf(buf, (size_t)-1 / 2, fmt, ap);
  va_end(ap);
  return r;
}
static size_t len_of(const char *s) {
  size_t n = 0;
  while (s[n]) n++;
  return n;
}
int fputs(const char *restrict str, struct hg_file *restrict f) {
  (void)f;
  hg_write(str, len_of(str));
  return 0;
}
int puts(const char *str) {
  hg_write(str, len_of(str));
  hg_write("\n", 1);
  return 0;
}
int fputc(int c, struct hg_file *f) {
  (void)f;
  char ch = (char)c;
  hg_write(&ch, 1);
  return (unsigned char)c;
}
int putchar(int c) { return fputc(c, stdout); }
int fflush(struct hg_file *f) {
  (void)f;
  return 0;
}
void perror(const char *str) {
  if (str && *str) { fputs(str, stderr); fputs(": ", stderr); }
  fputs("error\n", stderr);
}
