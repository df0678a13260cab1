/* heapgrade kit mm.h (CMU malloclab): what a malloclab submission defines.
 * mm_init and mm_checkheap are declared as your file defines them, or, when it
 * does not define them, as the profile's handout did (2002 `int mm_init`;
 * 2010-2012 `int mm_init`, `void mm_checkheap`; 2013-2015 `int`, `int`; 2016+
 * `bool`, `bool`): the kit passes the prototypes as HG_DECL_MM_INIT and
 * HG_DECL_MM_CHECKHEAP (harness/wasm/declarations.ts).
 * team_t is the CS:APP handout's team struct.
 * A course's own mm.h beside the submission is used instead of this one. */
#ifndef HG_MM_H
#define HG_MM_H
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
typedef struct {
  char *teamname; /* ID1+ID2 or ID1 */
  char *name1;    /* full name of first member */
  char *id1;      /* login ID of first member */
  char *name2;    /* full name of second member (if any) */
  char *id2;      /* login ID of second member */
} team_t;
extern team_t team;
#ifdef HG_DECL_MM_INIT
HG_DECL_MM_INIT;
#endif
#ifdef HG_DECL_MM_CHECKHEAP
HG_DECL_MM_CHECKHEAP;
#endif
void *mm_malloc(size_t size);
void mm_free(void *ptr);
void *mm_realloc(void *ptr, size_t size);
void *mm_calloc(size_t nmemb, size_t size);
#endif
