/* heapgrade kit mm.h (CMU malloclab): what a malloclab submission defines.
 * mm_init and mm_checkheap are not declared here on purpose: handouts differ
 * (`bool mm_init(void)` returns true on success; the older `int mm_init(void)`
 * returns 0), and the kit reads the return type from your definition.
 * mm_calloc and mm_checkheap are optional. */
#ifndef HG_MM_H
#define HG_MM_H
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
void *mm_malloc(size_t size);
void mm_free(void *ptr);
void *mm_realloc(void *ptr, size_t size);
void *mm_calloc(size_t nmemb, size_t size);
#endif
