/**
 * The built-in profiles. Each rule cites the handout it comes from; the
 * facts were read from the driver sources named in
 * /work/shared/research/anchors.md (§1a-1e CMU malloclab, §2 CS 341) and are
 * repeated, with the same citations, in the README's "Course profiles".
 */
import { DEFAULT_HEAP_LIMIT } from '../heap/sim-heap.ts';
import type { Profile } from './types.ts';

const MB = 1 << 20;

const CALLOC_BEYOND = 'the handout asks for mm_malloc, mm_free and mm_realloc only; the kit builds calloc from mm_malloc, so this checks more than the handout';

export const HEAPGRADE: Profile = {
  name: 'heapgrade',
  title: "the kit's own strict rules (DESIGN.md): every check required",
  model: 'ilp32',
  alignment: 16,
  heapLimit: DEFAULT_HEAP_LIMIT,
  staticDataLimit: 128,
  staticDataRule: 'bytes',
  staticDataExempt: [],
  defines: [],
  traceReading: 'strict',
  declarations: { mm_init: null, mm_checkheap: null },
  beyond: {},
  rules: [
    { rule: '16-byte alignment, 64 MiB heap, 32-bit size_t (wasm32)', source: 'DESIGN.md, "What every allocator must do"' },
    { rule: 'free(NULL) does nothing; realloc(NULL, n) is malloc(n); calloc zeroes and checks overflow', source: 'DESIGN.md; C11 7.22.3' },
  ],
};

export const MALLOCLAB_2002: Profile = {
  name: 'malloclab-2002',
  title: 'CMU CS:APP malloclab, the classic 32-bit handout (2001/2002)',
  model: 'ilp32',
  alignment: 8,
  heapLimit: 20 * MB,
  staticDataLimit: 128,
  staticDataRule: 'no-compound',
  staticDataExempt: ['team'],
  defines: [],
  traceReading: 'mdriver-2002',
  declarations: { mm_init: 'int', mm_checkheap: null },
  beyond: {
    'free-null': 'the 2002 handout never calls mm_free(NULL): "mm_free: frees the block pointed to by ptr ... only guaranteed to work when the passed pointer was returned by an earlier call to mm_malloc or mm_realloc and has not yet been freed"',
    'realloc-null-zero':
      'the 2002 handout defines mm_realloc(NULL, size) as mm_malloc(size) and mm_realloc(ptr, 0) as mm_free(ptr), which is "only guaranteed to work when the passed pointer was returned by an earlier call": realloc(NULL, 0) is left undefined, and its driver never makes the call',
    'calloc-dirty': CALLOC_BEYOND,
    'calloc-overflow': CALLOC_BEYOND,
  },
  rules: [
    { rule: '32-bit data model (the driver builds with -m32)', source: 'Makefile `CFLAGS = -Wall -O2 -m32` (SToPire/ics-lab, anchors.md §1a)' },
    { rule: '8-byte alignment', source: 'config.h `#define ALIGNMENT 8` (anchors.md §1a)' },
    { rule: '20 MB heap', source: 'config.h `#define MAX_HEAP (20*(1<<20))` (anchors.md §1a)' },
    { rule: 'mm.h declares `team_t` and the file defines `team`; `int mm_init(void)` returns -1 on failure', source: 'mm.h, mdriver.c team check (anchors.md §1a)' },
    { rule: 'mm_free only of live pointers: free(NULL) is beyond the handout', source: 'malloclab.pdf §3 "mm_free" (handout text quoted in the profile)' },
    { rule: 'realloc(NULL, 0) is beyond the handout: the checks leave the call out', source: 'malloclab.pdf §3 "mm_realloc": "if ptr is NULL, the call is equivalent to mm_malloc(size); if size is equal to zero, the call is equivalent to mm_free(ptr)"; "mm_free ... only guaranteed to work when the passed pointer was returned by an earlier call" (SToPire/ics-lab malloclab.pdf, anchors.md §1a)' },
    { rule: 'no calloc of the student: the calloc checks are beyond the handout', source: 'mm.h declares mm_init, mm_malloc, mm_free, mm_realloc only' },
    { rule: "traces: `a 7` with the size missing keeps the previous size (a warning); lines past the header's op count are an error", source: 'mdriver.c read_trace: `fscanf(tracefile, "%u %u", &index, &size)`, then `assert(trace->num_ops == op_index)` (younggun339/malloc-lab mdriver.c)' },
    { rule: 'no global or static compound data (arrays, structs); scalars (integers, pointers) allowed; the `team` struct excepted', source: 'malloclab.pdf §5 Programming Rules and the mm.c template: "You are not allowed to define any global or static compound data structures such as arrays, structs, trees, or lists in your mm.c program. However, you are allowed to declare global scalar variables such as integers, floats, and pointers"; mdriver requires `team_t team`' },
  ],
};

export const MALLOCLAB_2010: Profile = {
  name: 'malloclab-2010',
  title: 'CMU 15-213 malloclab, the 64-bit handouts of 2010-2012',
  model: 'lp64',
  alignment: 8,
  heapLimit: 100 * MB,
  staticDataLimit: 128,
  staticDataRule: 'bytes',
  staticDataExempt: [],
  defines: ['DRIVER'],
  traceReading: 'mdriver',
  declarations: { mm_init: 'int', mm_checkheap: 'void' },
  beyond: {},
  rules: [
    { rule: '64-bit data model: long, pointers and size_t are 8 bytes (memory64 WebAssembly)', source: '64-bit driver, no -m32 (relyt871/OS_practice_Malloc, anchors.md §1b)' },
    { rule: '8-byte alignment', source: 'config.h `ALIGNMENT 8` (anchors.md §1b)' },
    { rule: '100 MB heap', source: 'config.h `MAX_HEAP` 100 MB (anchors.md §1b)' },
    { rule: 'compiled with -DDRIVER: `#ifdef DRIVER` renames malloc/free/calloc/realloc to mm_*', source: 'mm.c template and Makefile of the 2011-2015 handouts' },
    { rule: 'free(NULL) required (traces use `f -1`); realloc(NULL, n) required (`r <new id> n`)', source: 'traces/README (anchors.md §1b)' },
    { rule: 'mm.h declares `extern int mm_init(void)` and `extern void mm_checkheap(int verbose)`', source: 'mm.h of the c.2010 handout (relyt871/OS_practice_Malloc @bdd4925, anchors.md §1b)' },
    { rule: "traces: `a 7` with the size missing keeps the previous size; lines past the header's op count are ignored (one warning each)", source: 'mdriver.c read_trace: `fscanf(tracefile, "%u %u", &index, &size)` and `if (op_index == trace->num_ops) break;` (relyt871/OS_practice_Malloc @bdd4925 mdriver.c)' },
  ],
};

/** The 2010 driver and config with the 2013-2015 mm.c template's prototypes. */
export const MALLOCLAB_2013: Profile = {
  ...MALLOCLAB_2010,
  name: 'malloclab-2013',
  title: 'CMU 15-213 malloclab, the 64-bit handouts of 2013-2015 (int prototypes, contracts.h)',
  declarations: { mm_init: 'int', mm_checkheap: 'int' },
  rules: [
    { rule: '64-bit data model: long, pointers and size_t are 8 bytes (memory64 WebAssembly)', source: '64-bit driver, no -m32, as the 2010 handout (anchors.md §1b)' },
    { rule: '8-byte alignment, 100 MB heap', source: 'config.h `ALIGNMENT 8`, `MAX_HEAP` 100 MB (anchors.md §1b: the c.2010-2013 config)' },
    { rule: 'compiled with -DDRIVER: `#ifdef DRIVER` renames malloc/free/calloc/realloc to mm_*', source: 'mm.c template and Makefile (anchors.md §1b)' },
    { rule: '`int mm_init(void)` (-1 on failure) and `int mm_checkheap(int verbose)` ("Returns 0 if no errors were found")', source: 'mm.c template of the 2013-2015 handouts, comment above `int mm_checkheap(int verbose)` (public student copies, file index); issue 21: a 2014 file with these prototypes' },
    { rule: 'contracts.h with REQUIRES/ENSURES/ASSERT ships with this handout too (not only 2016+)', source: 'the 2013-2015 mm.c template uses REQUIRES (public student copies, file index); issue 21' },
    { rule: 'free(NULL) required (traces use `f -1`); realloc(NULL, n) required (`r <new id> n`); calloc declared in mm.h', source: 'traces/README and mm.h (anchors.md §1b)' },
    { rule: "traces: `a 7` with the size missing keeps the previous size; lines past the header's op count are ignored (one warning each)", source: 'mdriver.c read_trace: `fscanf(tracefile, "%u %u", &index, &size)` and `if (op_index == trace->num_ops) break;` (the c.2010 driver the 2013-2015 handouts kept, relyt871/OS_practice_Malloc @bdd4925 mdriver.c)' },
  ],
};

export const MALLOCLAB_2016: Profile = {
  name: 'malloclab-2016',
  title: 'CMU 15-213 malloclab, the 64-bit Autolab handout of 2016 and later',
  model: 'lp64',
  alignment: 16,
  heapLimit: 100 * MB,
  staticDataLimit: 128,
  staticDataRule: 'bytes',
  staticDataExempt: [],
  defines: ['DRIVER'],
  traceReading: 'mdriver',
  declarations: { mm_init: 'bool', mm_checkheap: 'bool' },
  beyond: {},
  rules: [
    { rule: '64-bit data model (memory64 WebAssembly)', source: 'mdriver.c, `mem_sbrk(intptr_t)` (CRFairbanks/memalloc, anchors.md §1c)' },
    { rule: '16-byte alignment', source: 'config.h / eval_mm_valid alignment 16 (anchors.md §1c)' },
    { rule: 'heap limit: the kit uses 100 MB (the 2018+ dense heap); the 2016 driver mmaps up to 1 TB', source: 'config.h `MAX_HEAP_SIZE`, 2018 dense heap 100 MB (anchors.md §1c, §1d)' },
    { rule: 'compiled with -DDRIVER; `bool mm_init(void)`, `bool mm_checkheap(int lineno)`', source: 'mm.h of the 2016 handout (anchors.md §1c)' },
    { rule: 'memlib.h with mem_memcpy/mem_memset; contracts.h with REQUIRES/ENSURES/ASSERT', source: 'memlib.h emulation hooks (anchors.md §1c), 15-213 contracts.h' },
    { rule: 'calloc required, with C library semantics (zeroed; NULL on a size_t overflow, 64-bit)', source: 'mm.h declares calloc (anchors.md §1c)' },
    { rule: 'no more than 128 bytes of global data', source: 'CMU 2023 handout, global data limit (anchors.md §1e)' },
    { rule: "traces: `a 7` with the size missing keeps the previous size; lines past the header's op count are ignored (one warning each)", source: 'mdriver.c read_trace: `fscanf(tracefile, "%u %lu", &index, &size)` and `if (op_index == trace->num_ops) break;` (CRFairbanks/memalloc @6ce00eb mdriver.c, the 2016 driver; the 2023 tracefile.c rejects both)' },
  ],
};

export const CS341: Profile = {
  name: 'cs341',
  title: 'UIUC CS 341 (CS 241) malloc MP, alloc.c in libc style',
  model: 'lp64',
  alignment: 16,
  heapLimit: DEFAULT_HEAP_LIMIT,
  // The MP sets no global-data limit; metadata in the heap is still checked by off-heap-metadata for TS only.
  staticDataLimit: 2 ** 31,
  staticDataRule: 'bytes',
  staticDataExempt: [],
  defines: [],
  traceReading: 'strict',
  declarations: { mm_init: null, mm_checkheap: null },
  beyond: {
    alignment:
      'the CS 341 malloc spec sets no alignment ("write your implementations of calloc(), malloc(), realloc(), and free() in alloc.c"; no word on alignment, 2017 and 2025) and its testers check none; glibc\'s 16 is what real programs expect, so the check runs and is reported, worth 0',
  },
  rules: [
    { rule: 'libc style: malloc, calloc, realloc, free in alloc.c; memory from sbrk only', source: 'illinois-cs241 _docs/malloc.md (anchors.md §2)' },
    { rule: '64-bit data model (the testers run on 64-bit Linux)', source: 'mcontest / contest-alloc.so on x86-64 (anchors.md §2)' },
    { rule: 'alignment is beyond the handout: the spec and testers set none; the alignment check (16, glibc\'s on x86-64) is reported, worth 0, and no other check stops at a misaligned pointer', source: 'illinois-cs241 _docs/malloc.md @00dd686 (2017) and @eb8545d (2025): no alignment requirement; testers 1-13 check none (anchors.md §2)' },
    { rule: 'C library semantics: free(NULL), realloc(NULL, n), calloc zeroing and overflow', source: 'malloc.md "implement malloc/calloc/realloc/free" per man 3 malloc; tester 12 checks calloc zeroing (anchors.md §2)' },
    { rule: 'no global-data limit', source: 'malloc.md sets none' },
  ],
};

export const BUILTIN_PROFILES: readonly Profile[] = [HEAPGRADE, MALLOCLAB_2002, MALLOCLAB_2010, MALLOCLAB_2013, MALLOCLAB_2016, CS341];

export const DEFAULT_PROFILE = HEAPGRADE.name;
