/* heapgrade kit <errno.h>: a plain global errno (one thread). */
#ifndef HG_ERRNO_H
#define HG_ERRNO_H
extern int errno;
#define ENOMEM 12
#define EINVAL 22
#define ERANGE 34
#endif
