/* heapgrade kit <inttypes.h>: format macros. wasm32: int64_t is long long;
 * wasm64 (the 64-bit profiles): int64_t is long, as on x86-64 glibc (see stdint.h). */
#ifndef HG_INTTYPES_H
#define HG_INTTYPES_H
#include <stdint.h>
#define PRId8 "d"
#define PRId16 "d"
#define PRId32 "d"
#ifdef __LP64__
#define HG_PRI64 "l"
#else
#define HG_PRI64 "ll"
#endif
#define PRId64 HG_PRI64 "d"
#define PRIu8 "u"
#define PRIu16 "u"
#define PRIu32 "u"
#define PRIu64 HG_PRI64 "u"
#define PRIx8 "x"
#define PRIx16 "x"
#define PRIx32 "x"
#define PRIx64 HG_PRI64 "x"
#define PRIX32 "X"
#define PRIX64 HG_PRI64 "X"
#define PRIdPTR "ld"
#define PRIuPTR "lu"
#define PRIxPTR "lx"
#endif
