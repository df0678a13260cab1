#ifndef HG_SYS_TYPES_H
#define HG_SYS_TYPES_H
#include <unistd.h>
#endif
