/* heapgrade kit: the <math.h> functions WebAssembly has as instructions, so
 * that both data models have them (wasm32 links the rest from wasi-libc's
 * libc.a; memory64 has no libc, see README "Course profiles"). Weak, so
 * wasi-libc's definitions never collide. */
#define W __attribute__((weak))
W double sqrt(double x) { return __builtin_sqrt(x); }
W float sqrtf(float x) { return __builtin_sqrtf(x); }
W double fabs(double x) { return __builtin_fabs(x); }
W float fabsf(float x) { return __builtin_fabsf(x); }
W double floor(double x) { return __builtin_floor(x); }
W float floorf(float x) { return __builtin_floorf(x); }
W double ceil(double x) { return __builtin_ceil(x); }
W float ceilf(float x) { return __builtin_ceilf(x); }
W double trunc(double x) { return __builtin_trunc(x); }
W double fmin(double a, double b) { return __builtin_fmin(a, b); }
W double fmax(double a, double b) { return __builtin_fmax(a, b); }
/* log2 of an exact integer power of two and friends are what allocators use (size classes);
 * this one is exact for every double, from the exponent bits and a short series. */
W double log2(double x) {
  if (!(x > 0)) return x == 0 ? -__builtin_inf() : __builtin_nan("");
  if (x == __builtin_inf()) return x;
  union { double d; unsigned long long u; } v = {x};
  int e = (int)((v.u >> 52) & 0x7ff) - 1023;
  if (e == -1023) { /* subnormal */
    v.d = x * 0x1p64;
    e = (int)((v.u >> 52) & 0x7ff) - 1023 - 64;
  }
  v.u = (v.u & 0x000fffffffffffffULL) | 0x3ff0000000000000ULL; /* mantissa in [1, 2) */
  double m = v.d;
  if (m == 1.0) return e;
  /* log2(m) = 2/ln2 * atanh((m-1)/(m+1)), series converges fast for m in [1,2). */
  double t = (m - 1) / (m + 1), t2 = t * t, sum = 0, term = t;
  for (int k = 1; k < 60; k += 2) {
    sum += term / k;
    term *= t2;
  }
  return e + sum * 2.8853900817779268; /* 2 / ln 2 */
}

/* ---- compiler builtins ---------------------------------------------------
 * clang lowers a 64x64->128-bit multiply (what `n * size` overflow checks
 * become, and __builtin_mul_overflow on 64-bit values) to __multi3, which
 * lives in compiler-rt. The bundled compiler-rt is wasm32-only, so the kit
 * carries this one builtin for both models (the algorithm of compiler-rt's
 * multi3.c, on 32-bit halves, so it never calls itself). */
typedef union {
  __int128 all;
  struct {
    unsigned long long low, high; /* little-endian */
  } s;
} hg_twords;

static __int128 hg_mulddi3(unsigned long long a, unsigned long long b) {
  hg_twords r;
  const unsigned long long lower = 0xffffffffULL;
  r.s.low = (a & lower) * (b & lower);
  unsigned long long t = r.s.low >> 32;
  r.s.low &= lower;
  t += (a >> 32) * (b & lower);
  r.s.low += (t & lower) << 32;
  r.s.high = t >> 32;
  t = r.s.low >> 32;
  r.s.low &= lower;
  t += (b >> 32) * (a & lower);
  r.s.low += (t & lower) << 32;
  r.s.high += t >> 32;
  r.s.high += (a >> 32) * (b >> 32);
  return r.all;
}

W __int128 __multi3(__int128 a, __int128 b) {
  hg_twords x = {a}, y = {b}, r;
  r.all = hg_mulddi3(x.s.low, y.s.low);
  r.s.high += x.s.high * y.s.low + x.s.low * y.s.high;
  return r.all;
}
