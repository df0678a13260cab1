/**
 * What a TypeScript module keeps in JavaScript memory from its load on,
 * measured as a whole. The ledger (ledger.ts) counts exactly the tables it
 * meets and what the allocator's variables reach, but a table reachable only
 * through a closure's context or a suspended generator's frame, whose
 * binding a later call of the same function bound again, or a promise's
 * value, is out of its walk. The memory a module retains sees every path,
 * whatever made it. (It was the first to fail tables in function objects,
 * `arguments`, generators, rests and caught errors,
 * test/fixtures/attack/unmet-tables.ts, which the ledger now counts.)
 *
 * How: the thread's retained memory after a full collection, before and
 * after the module is evaluated again in a new compartment, an allocator is
 * made and its first calls run (the first load's state has been used by
 * earlier checks by then). Compiled code and bytecode are left out. What is
 * left also holds what any load of any module keeps: the compartment and its
 * globals (about 50 KB), the module's source text, its functions and their
 * feedback, which grow with the source. The allowance is that, with a
 * margin: honest modules keep 51-132 KiB, one that keeps a 64K-character
 * debug trace string 427 KiB, a 55 KB bundle of 300 hot functions 574 KiB
 * (BENCHMARKS.md, issue 19, session 7; a 263 KB bundle of 1500 functions
 * that all run on every call keeps 3.4 MiB, and fails). Nothing here grows
 * with the blocks: the growth measurement (measure.ts) asks what does.
 */
import type { LoadedSubmission, OffHeapFinding } from '../contract/instance.ts';
import { afterManyInstances, LARGE_SIZES, offHeapBlockSize, retained } from './measure.ts';
import { holdOsrOff } from './quiet-compiler.ts';

export interface RetainedAtStart {
  /** Bytes the fresh module, its allocator and the allocator's first calls retain. */
  bytes: number;
  /** What a module of this source size may retain (retainedAllowance). */
  allowed: number;
  /** The calls made before the measurement. */
  calls: number;
  /** The ledger's finding on the same fresh module and instance: its tables, counted exactly, when over the allowance. */
  tables: OffHeapFinding | null;
}

/** Bytes any module may retain, whatever its size. */
export const RETAINED_BASE_BYTES = 512 * 1024;
/** And per byte of its bundled source: its text, its functions and their feedback. */
export const RETAINED_BYTES_PER_SOURCE_BYTE = 6;

export function retainedAllowance(sourceBytes: number): number {
  return RETAINED_BASE_BYTES + RETAINED_BYTES_PER_SOURCE_BYTE * sourceBytes;
}

/**
 * The first calls: mallocs of the growth measurement's sizes, every other
 * block freed, then reallocs and callocs (which the growth measurement never
 * makes) and one block of each large size grown by realloc, so that a table
 * made by a first call of any kind is made.
 */
const START_MALLOCS = 1000;
const START_REALLOCS = 250;
const START_CALLOCS = 250;

/** null when the submission cannot be evaluated again (C; TypeScript outside a compartment, which only the kit's own tests load). */
export function retainedAtStart(loaded: LoadedSubmission, options: { seed: number; limit: number }): RetainedAtStart | null {
  const fresh = loaded.reloadable;
  if (!fresh) return null;
  // As in the growth measurement, no loop is compiled in the middle of its run between the two snapshots.
  const release = holdOsrOff();
  try {
    return measureRetained(fresh, options);
  } finally {
    release();
  }
}

function measureRetained(fresh: NonNullable<LoadedSubmission['reloadable']>, options: { seed: number; limit: number }): RetainedAtStart {
  // The growth measurement's instances are garbage by now; whatever is left of them is in both snapshots.
  const before = retained(() => 0, { withoutBytecode: true });
  let module: LoadedSubmission | null = fresh.reload();
  // Measured on an instance after as many as a workload lane makes: state kept only from the k-th instance on counts.
  afterManyInstances(module, options.seed, options.limit);
  const instance = module.instantiate({ seed: options.seed, limit: options.limit });
  // Not kept by the kit past here: what the module printed at load is the kit's copy, not the allocator's memory.
  module = null;
  const { allocator } = instance;
  const ptrs: number[] = [];
  let calls = 0;
  for (let n = 0; n < START_MALLOCS; n++, calls++) {
    const p = allocator.malloc(offHeapBlockSize(n));
    // NULL, or what is not a pointer, ends the mallocs: never converted here, outside a metered call.
    if (typeof p !== 'number' || p === 0) break;
    ptrs.push(p);
  }
  for (let i = 0; i < ptrs.length; i += 2, calls++) allocator.free(ptrs[i]!);
  try {
    for (let i = 1; i < ptrs.length && i < 2 * START_REALLOCS; i += 2, calls++) allocator.realloc(ptrs[i]!, 2 * offHeapBlockSize(i));
    for (let n = 0; n < START_CALLOCS; n++, calls++) allocator.calloc(1, offHeapBlockSize(n));
    for (const size of LARGE_SIZES) {
      const p = allocator.malloc(size);
      calls++;
      if (typeof p !== 'number' || p === 0) break;
      const q = allocator.realloc(p, 2 * size);
      calls++;
      allocator.free(typeof q === 'number' && q !== 0 ? q : p);
      calls++;
    }
  } catch {
    // A realloc or calloc that fails is the realloc and calloc checks' to report (one bug, one charge): the calls stop.
  }
  // What it printed is held by the kit until taken (up to the output cap): printing is not a table.
  instance.takeOutput?.();
  const backing = (): number => (instance.heap as { backingBytes?: number }).backingBytes ?? 0;
  const bytes = retained(backing, { withoutBytecode: true }) - before;
  // Read after the snapshot, which the ledger's review must not disturb; it also keeps the module and instance alive to here.
  const tables = instance.offHeapFinding?.() ?? null;
  return { bytes, allowed: retainedAllowance(fresh.sourceBytes), calls, tables };
}
