/*
 * heapgrade's reference allocator in C (malloclab style): segregated free
 * lists, 4-byte boundary tags (free blocks only carry a footer; a
 * "previous is allocated" bit in each header replaces the allocated
 * footers), immediate coalescing, splitting, and realloc in place (shrink,
 * absorb a free successor, or grow the heap when the block is last).
 * Payloads are 16-byte aligned. The list heads live in the heap, so its
 * globals are a single pointer.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "memlib.h"
#include "mm.h"

#define ALIGN 16u
#define WSIZE 4u
#define MIN_BLOCK 16u
#define NLISTS 20
#define ALLOC_BIT 1u
#define PREV_ALLOC_BIT 2u

typedef uint32_t word;

/* Heap start: NLISTS list heads, then padding so payloads are 16-aligned. */
static char **heads;

static inline word *hdr(char *bp) { return (word *)(bp - WSIZE); }
static inline word size_of(char *bp) { return *hdr(bp) & ~(word)0xF; }
static inline bool is_alloc(char *bp) { return *hdr(bp) & ALLOC_BIT; }
static inline bool prev_alloc(char *bp) { return *hdr(bp) & PREV_ALLOC_BIT; }
static inline char *next_blk(char *bp) { return bp + size_of(bp); }
static inline word *ftr(char *bp) { return (word *)(bp + size_of(bp) - 2 * WSIZE); }
static inline char *prev_blk(char *bp) { return bp - (*(word *)(bp - 2 * WSIZE) & ~(word)0xF); }
static inline char **next_free(char *bp) { return (char **)bp; }
static inline char **prev_free(char *bp) { return (char **)(bp + WSIZE); }

static inline void set_prev_alloc(char *bp, bool a) {
  if (a) *hdr(bp) |= PREV_ALLOC_BIT;
  else *hdr(bp) &= ~PREV_ALLOC_BIT;
}

/* Writes a block's header (keeping its prev-alloc bit), its footer when free, and tells the successor. */
static void put_block(char *bp, word size, bool alloc) {
  word keep = *hdr(bp) & PREV_ALLOC_BIT;
  *hdr(bp) = size | keep | (alloc ? ALLOC_BIT : 0);
  if (!alloc) *ftr(bp) = size;
  set_prev_alloc(bp + size, alloc);
}

static int class_of(word size) {
  int c = 0;
  word s = MIN_BLOCK;
  while (c < NLISTS - 1 && size >= s * 2) s *= 2, c++;
  return c;
}

static void list_insert(char *bp) {
  int c = class_of(size_of(bp));
  *next_free(bp) = heads[c];
  *prev_free(bp) = NULL;
  if (heads[c]) *prev_free(heads[c]) = bp;
  heads[c] = bp;
}

static void list_remove(char *bp) {
  char *n = *next_free(bp), *p = *prev_free(bp);
  if (p) *next_free(p) = n;
  else heads[class_of(size_of(bp))] = n;
  if (n) *prev_free(n) = p;
}

static char *coalesce(char *bp) {
  word size = size_of(bp);
  char *next = next_blk(bp);
  if (!is_alloc(next)) {
    list_remove(next);
    size += size_of(next);
  }
  if (!prev_alloc(bp)) {
    char *prev = prev_blk(bp);
    list_remove(prev);
    size += size_of(prev);
    bp = prev;
  }
  put_block(bp, size, false);
  list_insert(bp);
  return bp;
}

/*
 * The epilogue is a zero-size allocated block whose "payload" is brk: its
 * header sits at brk - 4, the last word of the heap. Nothing may read at brk
 * itself: that is past the heap (a trap when brk ends a wasm page).
 */
static char *epilogue(void) { return (char *)mem_heap_hi() + 1; }

static char *extend(word bytes) {
  char *bp = mem_sbrk((intptr_t)bytes);
  if (bp == (void *)-1) return NULL;
  /* The old epilogue header becomes this block's header. */
  put_block(bp, bytes, false);
  *hdr(next_blk(bp)) = ALLOC_BIT; /* new epilogue; its prev-alloc bit is 0 */
  return coalesce(bp);
}

bool mm_init(void) {
  word prefix = NLISTS * sizeof(char *);
  word pad = (ALIGN - (prefix + WSIZE) % ALIGN) % ALIGN;
  char *start = mem_sbrk((intptr_t)(prefix + pad + WSIZE));
  if (start == (void *)-1) return false;
  heads = (char **)start;
  for (int i = 0; i < NLISTS; i++) heads[i] = NULL;
  *(word *)(start + prefix + pad) = ALLOC_BIT | PREV_ALLOC_BIT; /* epilogue */
  return true;
}

static word adjust(size_t size) {
  if (size > 0xFFFFFFFFu - ALIGN - WSIZE) return 0;
  word a = (word)((size + WSIZE + ALIGN - 1) & ~(size_t)(ALIGN - 1));
  return a < MIN_BLOCK ? MIN_BLOCK : a;
}

/* Best of the first few fits, searching the block's class and then larger ones. */
static char *find_fit(word asize) {
  for (int c = class_of(asize); c < NLISTS; c++) {
    char *best = NULL;
    int seen = 0;
    for (char *bp = heads[c]; bp && seen < 12; bp = *next_free(bp)) {
      word s = size_of(bp);
      if (s >= asize && (!best || s < size_of(best))) {
        best = bp;
        seen++;
        if (s == asize) break;
      }
    }
    if (best) return best;
  }
  return NULL;
}

/* Marks free block bp allocated with asize bytes, splitting off the rest. */
static void place(char *bp, word asize) {
  word size = size_of(bp);
  list_remove(bp);
  if (size - asize >= MIN_BLOCK) {
    put_block(bp, asize, true);
    char *rest = next_blk(bp);
    *hdr(rest) = PREV_ALLOC_BIT;
    put_block(rest, size - asize, false);
    list_insert(rest);
  } else {
    put_block(bp, size, true);
  }
}

void *mm_malloc(size_t size) {
  if (size == 0) return NULL;
  word asize = adjust(size);
  if (asize == 0) return NULL;
  char *bp = find_fit(asize);
  if (!bp) {
    /* Grow only by what the free block at the end of the heap lacks. */
    /* The epilogue's prev-alloc bit says whether a free block ends the heap; its footer is just below the epilogue header. */
    char *epi = epilogue();
    word have = prev_alloc(epi) ? 0 : (*(word *)(epi - 2 * WSIZE) & ~(word)0xF);
    bp = extend(asize - have);
    if (!bp) return NULL;
  }
  place(bp, asize);
  return bp;
}

void mm_free(void *ptr) {
  if (!ptr) return;
  char *bp = ptr;
  put_block(bp, size_of(bp), false);
  coalesce(bp);
}

void *mm_realloc(void *ptr, size_t size) {
  if (!ptr) return mm_malloc(size);
  if (size == 0) {
    mm_free(ptr);
    return NULL;
  }
  char *bp = ptr;
  word asize = adjust(size);
  if (asize == 0) return NULL;
  word cur = size_of(bp);
  if (asize <= cur) {
    if (cur - asize >= MIN_BLOCK) {
      put_block(bp, asize, true);
      char *rest = next_blk(bp);
      *hdr(rest) = PREV_ALLOC_BIT;
      put_block(rest, cur - asize, false);
      coalesce(rest);
    }
    return bp;
  }
  char *next = next_blk(bp);
  if (!is_alloc(next) && cur + size_of(next) >= asize) {
    list_remove(next);
    put_block(bp, cur + size_of(next), true);
    word total = size_of(bp);
    if (total - asize >= MIN_BLOCK) {
      put_block(bp, asize, true);
      char *rest = next_blk(bp);
      *hdr(rest) = PREV_ALLOC_BIT;
      put_block(rest, total - asize, false);
      list_insert(rest);
    }
    return bp;
  }
  /* Last block (or last but a free one): grow the heap under it. */
  char *after = is_alloc(next) ? next : next_blk(next);
  if (size_of(after) == 0) {
    word have = cur + (is_alloc(next) ? 0 : size_of(next));
    if (mem_sbrk((intptr_t)(asize - have)) == (void *)-1) return NULL;
    if (!is_alloc(next)) list_remove(next);
    put_block(bp, asize, true);
    *hdr(next_blk(bp)) = ALLOC_BIT | PREV_ALLOC_BIT;
    return bp;
  }
  char *q = mm_malloc(size);
  if (!q) return NULL;
  memcpy(q, bp, cur - WSIZE);
  mm_free(bp);
  return q;
}

void *mm_calloc(size_t n, size_t size) {
  if (size != 0 && n > SIZE_MAX / size) return NULL;
  void *p = mm_malloc(n * size);
  if (p) memset(p, 0, n * size);
  return p;
}

/* Walks the heap and the lists; prints what is wrong and returns false. */
bool mm_checkheap(int lineno) {
  bool ok = true;
  char *lo = mem_heap_lo(), *hi = (char *)mem_heap_hi() + 1;
  word prefix = NLISTS * sizeof(char *);
  char *bp = lo + prefix + (ALIGN - (prefix + WSIZE) % ALIGN) % ALIGN + WSIZE;
  long free_blocks = 0, listed = 0;
  bool prev_a = true;
  for (; size_of(bp) > 0; bp = next_blk(bp)) {
    if ((uintptr_t)bp % ALIGN) { printf("line %d: block %p misaligned\n", lineno, (void *)bp); ok = false; }
    if (next_blk(bp) > hi) { printf("line %d: block %p runs past the heap\n", lineno, (void *)bp); return false; }
    if (prev_alloc(bp) != prev_a) { printf("line %d: block %p prev-alloc bit wrong\n", lineno, (void *)bp); ok = false; }
    if (!is_alloc(bp)) {
      free_blocks++;
      if (!prev_a) { printf("line %d: two free blocks in a row at %p\n", lineno, (void *)bp); ok = false; }
      if (*ftr(bp) != size_of(bp)) { printf("line %d: footer of %p differs from header\n", lineno, (void *)bp); ok = false; }
    }
    prev_a = is_alloc(bp);
  }
  if (bp + 0 != hi) { printf("line %d: epilogue at %p, heap ends at %p\n", lineno, (void *)bp, (void *)hi); ok = false; }
  for (int c = 0; c < NLISTS; c++) {
    for (char *f = heads[c]; f; f = *next_free(f)) {
      listed++;
      if (f < lo || f >= hi || is_alloc(f)) { printf("line %d: list %d holds %p, not a free block\n", lineno, c, (void *)f); return false; }
      if (class_of(size_of(f)) != c) { printf("line %d: %p is in list %d, not %d\n", lineno, (void *)f, c, class_of(size_of(f))); ok = false; }
      if (listed > free_blocks) { printf("line %d: more listed blocks than free ones (a cycle?)\n", lineno); return false; }
    }
  }
  if (listed != free_blocks) { printf("line %d: %ld free blocks, %ld listed\n", lineno, free_blocks, listed); ok = false; }
  return ok;
}
