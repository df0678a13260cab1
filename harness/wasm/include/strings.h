#ifndef HG_STRINGS_H
#define HG_STRINGS_H
#include <string.h>
#define bzero(p, n) ((void)memset((p), 0, (n)))
#endif
