/**
 * The kit's own workloads: synthetic traces written by generate.ts (each
 * stressing one thing) and windows of real programs recorded with
 * scripts/tracer/ (traces/real/). The files are committed; this list is what
 * graders and the CLI iterate over.
 *
 * defaultWeight: 1 counts toward utilization and throughput scores; 0 means
 * shown but not scored (teaching traces too short to time).
 */
import { fileURLToPath } from 'node:url';

export interface WorkloadSpec {
  readonly name: string;
  /** One sentence: what it stresses. */
  readonly description: string;
  /** Absolute path of the .rep file. */
  readonly file: string;
  readonly defaultWeight: number;
  /** Heap limit in bytes for this workload, when it needs one other than the default 64 MiB. */
  readonly limit?: number;
}

const traceFile = (name: string): string => fileURLToPath(new URL(`./traces/${name}.rep`, import.meta.url));

const synthetic = (name: string, description: string, extra: Partial<WorkloadSpec> = {}): WorkloadSpec => ({
  name,
  description,
  file: traceFile(name),
  defaultWeight: 1,
  ...extra,
});

/** A window of a real program recorded with scripts/tracer/record-shipped.sh. */
const real = (name: string, description: string): WorkloadSpec => ({
  name,
  description,
  file: fileURLToPath(new URL(`./traces/real/${name}.rep`, import.meta.url)),
  defaultWeight: 1,
});

export const WORKLOADS: readonly WorkloadSpec[] = [
  synthetic(
    'placement-64k',
    'Holes of 16 KB, 1 KB, 30 KB and 2 KB in a 64 KiB heap, then malloc(2048), 30 KB and 16 KB: only best fit serves all three.',
    { defaultWeight: 0, limit: 64 * 1024 },
  ),
  synthetic(
    'binary',
    'Alternating small and large blocks with the large ones freed and larger requests following: per-block overhead and splitting.',
  ),
  synthetic('coalescing', 'Neighbouring blocks freed then requested again as one: merging adjacent free blocks.'),
  synthetic(
    'realloc-growth',
    'Vectors growing by realloc while small blocks are allocated between the steps: growing in place instead of copying.',
  ),
  synthetic('random-churn', 'Random mallocs, frees and reallocs of 1 byte to 32 KB: general fragmentation with no pattern to exploit.'),
  synthetic(
    'web-server',
    'Bursts of short-lived per-request blocks next to long-lived caches and sessions: mixing very different lifetimes.',
  ),
  synthetic(
    'database',
    'Long-lived 4 and 8 KB pages evicted and reloaded, growing and splitting index nodes, per-query scratch: churn among long-lived blocks.',
  ),
  synthetic('tiny-blocks', 'Tens of thousands of 1-16 byte blocks freed in scattered halves: per-block overhead and minimum block size.'),
  synthetic(
    'huge-blocks',
    'A few 1-24 MiB blocks among small ones, freed and regrown: splitting, coalescing and sbrk growth near the 64 MiB limit.',
  ),
  synthetic('calloc-heavy', 'Mostly calloc, often on reused dirty memory: zeroing cost and correctness of reused blocks.'),
  real(
    'python-wordfreq',
    'CPython 3.11 (PYTHONMALLOC=malloc) counting words and bigrams in dicts: 60k calls from the middle of the loop, many short-lived small objects.',
  ),
  real(
    'sqlite3-inventory',
    'SQLite 3.40 running an in-memory script of inserts, an index, updates, deletes, joins and aggregates: the whole run, page-cache and statement buffers.',
  ),
  real(
    'gcc-cc1',
    'GCC 12 (cc1) compiling the 330-line tracer source at -O2: 60k calls from the middle of compilation, tree and RTL nodes of many sizes.',
  ),
];

/** The workload called `name`, or undefined. */
export function findWorkload(name: string): WorkloadSpec | undefined {
  return WORKLOADS.find((w) => w.name === name);
}
