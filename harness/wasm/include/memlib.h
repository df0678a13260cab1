/* heapgrade kit memlib.h (CMU malloclab): the simulated memory system.
 * mem_sbrk(incr) returns the old break or (void *)-1 past the heap limit.
 * mem_memcpy/mem_memset are the 2019+ handout's (plain memcpy/memset here).
 * A course's own memlib.h beside the submission is used instead of this one. */
#ifndef HG_MEMLIB_H
#define HG_MEMLIB_H
#include "hg_kit.h"
void mem_init(void);
void mem_deinit(void);
void *mem_sbrk(intptr_t incr);
void mem_reset_brk(void);
void *mem_heap_lo(void);
void *mem_heap_hi(void);
size_t mem_heapsize(void);
size_t mem_pagesize(void);
void *mem_memcpy(void *dst, const void *src, size_t n);
void *mem_memset(void *dst, int c, size_t n);
#endif
