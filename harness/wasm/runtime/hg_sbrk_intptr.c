/* heapgrade kit: mem_sbrk as the kit's memlib.h and the 2016+ handouts declare it.
 * Linked instead of hg_sbrk_int.c unless the submission declares `mem_sbrk(int)`
 * (under memory64 the two are different WebAssembly signatures). */
#include "hg_kit.h"
HG_IMPORT("sbrk") intptr_t hg_sbrk(intptr_t increment);
void *mem_sbrk(intptr_t increment) { return (void *)hg_sbrk(increment); }
