/* heapgrade kit <math.h>: the usual declarations. Under wasm32 every function
 * comes from wasi-libc (linked after the kit); under memory64 (the 64-bit
 * profiles) the ones WebAssembly has as instructions and log2 are the kit's,
 * and the rest do not link (the message says so). */
#ifndef HG_MATH_H
#define HG_MATH_H
#define HUGE_VAL (__builtin_huge_val())
#define INFINITY (__builtin_inff())
#define NAN (__builtin_nanf(""))
#define M_PI 3.14159265358979323846
#define M_E 2.7182818284590452354
#define M_LN2 0.69314718055994530942
#define isnan(x) __builtin_isnan(x)
#define isinf(x) __builtin_isinf(x)
#define isfinite(x) __builtin_isfinite(x)
double sqrt(double);
float sqrtf(float);
double fabs(double);
float fabsf(float);
double floor(double);
float floorf(float);
double ceil(double);
float ceilf(float);
double trunc(double);
double round(double);
double fmin(double, double);
double fmax(double, double);
double log2(double);
double log(double);
double log10(double);
double exp(double);
double exp2(double);
double pow(double, double);
double fmod(double, double);
double ldexp(double, int);
double frexp(double, int *);
#endif
