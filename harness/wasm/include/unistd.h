/* heapgrade kit <unistd.h>: only sbrk. The kit's heap: growth is zeroed, and
 * past the configured heap limit sbrk returns (void *)-1 and leaves the heap unchanged. */
#ifndef HG_UNISTD_H
#define HG_UNISTD_H
#include "hg_kit.h"
#ifndef _SSIZE_T_DEFINED
#define _SSIZE_T_DEFINED
typedef long ssize_t;
#endif
typedef long off_t;
void *sbrk(intptr_t increment);
int getpagesize(void);
#endif
