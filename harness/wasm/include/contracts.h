/* heapgrade kit contracts.h (CMU 15-213, 2016+ handouts): REQUIRES, ENSURES
 * and ASSERT are assert() when DEBUG is defined and nothing otherwise, as in
 * the handout's file. The kit compiles without DEBUG, like the driver. */
#ifndef HG_CONTRACTS_H
#define HG_CONTRACTS_H
#include <assert.h>
#undef ASSERT
#undef REQUIRES
#undef ENSURES
#ifdef DEBUG
#define ASSERT(COND) assert(COND)
#define REQUIRES(COND) assert(COND)
#define ENSURES(COND) assert(COND)
#else
#define ASSERT(COND) ((void)0)
#define REQUIRES(COND) ((void)0)
#define ENSURES(COND) ((void)0)
#endif
#endif
