/* heapgrade kit <sys/mman.h>: declared so handout files that include it
 * compile; mmap always fails (MAP_FAILED, errno ENOMEM) because every handout
 * requires memory to come from sbrk/mem_sbrk. */
#ifndef HG_SYS_MMAN_H
#define HG_SYS_MMAN_H
#include "../hg_kit.h"
#define PROT_NONE 0
#define PROT_READ 1
#define PROT_WRITE 2
#define PROT_EXEC 4
#define MAP_SHARED 0x01
#define MAP_PRIVATE 0x02
#define MAP_FIXED 0x10
#define MAP_ANONYMOUS 0x20
#define MAP_ANON MAP_ANONYMOUS
#define MAP_NORESERVE 0x4000
#define MAP_FAILED ((void *)-1)
void *mmap(void *addr, size_t len, int prot, int flags, int fd, long off);
int munmap(void *addr, size_t len);
#endif
