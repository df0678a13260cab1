/* heapgrade kit mm.h (CMU malloclab): what a malloclab submission defines.
 * mm_init and mm_checkheap are declared only where the profile's handout fixes
 * their type (`int mm_init(void)` in 2002, `bool mm_init(void)` and
 * `bool mm_checkheap(int)` from 2016); elsewhere the kit reads the return type
 * from your definition. team_t is the CS:APP handout's team struct.
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
#if defined(HG_HANDOUT_MALLOCLAB_2002)
int mm_init(void);
#elif defined(HG_HANDOUT_MALLOCLAB_2016)
bool mm_init(void);
bool mm_checkheap(int lineno);
#endif
void *mm_malloc(size_t size);
void mm_free(void *ptr);
void *mm_realloc(void *ptr, size_t size);
void *mm_calloc(size_t nmemb, size_t size);
#endif
