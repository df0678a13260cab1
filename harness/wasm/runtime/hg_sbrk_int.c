/* heapgrade kit: mem_sbrk as the 2002-2015 handouts' memlib.h declares it,
 * `void *mem_sbrk(int incr)`, for a course that hands out its own memlib.h. */
#include "hg_kit.h"
HG_IMPORT("sbrk") intptr_t hg_sbrk(intptr_t increment);
void *mem_sbrk(int increment) { return (void *)hg_sbrk(increment); }
