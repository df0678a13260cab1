/* heapgrade kit: calloc for a malloclab submission that defines no mm_calloc.
 * It is made of the student's mm_malloc, so the calloc checks test mm_malloc;
 * the overflow check and the zeroing are the kit's. */
#include "hg_kit.h"
void *mm_malloc(size_t size);
void *hg_kit_calloc(size_t nmemb, size_t size) {
  if (size != 0 && nmemb > SIZE_MAX / size) return 0;
  size_t total = nmemb * size;
  void *p = mm_malloc(total);
  if (p) __builtin_memset(p, 0, total);
  return p;
}
