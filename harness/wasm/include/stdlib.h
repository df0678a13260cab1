/* heapgrade kit <stdlib.h>. malloc/free/calloc/realloc are what a libc-style
 * submission defines (a malloclab one must not call them). abort() and exit()
 * stop the run and are reported with the C function that called them. */
#ifndef HG_STDLIB_H
#define HG_STDLIB_H
#include "hg_kit.h"
#define EXIT_SUCCESS 0
#define EXIT_FAILURE 1
#define RAND_MAX 0x7fffffff
void *malloc(size_t size);
void free(void *ptr);
void *calloc(size_t nmemb, size_t size);
void *realloc(void *ptr, size_t size);
_Noreturn void abort(void);
_Noreturn void exit(int status);
int abs(int x);
long labs(long x);
long long llabs(long long x);
int atoi(const char *s);
long strtol(const char *restrict s, char **restrict end, int base);
unsigned long strtoul(const char *restrict s, char **restrict end, int base);
int rand(void);
void srand(unsigned seed);
char *getenv(const char *name);
#endif
