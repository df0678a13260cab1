/* heapgrade kit <assert.h>: a failed assert stops the run and is reported with
 * its expression, file, line and function. NDEBUG disables it, as usual. */
#undef assert
#ifdef NDEBUG
#define assert(e) ((void)0)
#else
#include "hg_kit.h"
_Noreturn void __hg_assert_fail(const char *expr, const char *file, int line, const char *func);
#define assert(e) ((e) ? (void)0 : __hg_assert_fail(#e, __FILE__, __LINE__, __func__))
#endif
#ifndef __cplusplus
#define static_assert _Static_assert
#endif
