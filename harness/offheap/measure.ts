/**
 * Detecting per-block metadata kept in JavaScript (Maps, arrays, objects)
 * instead of the heap: such an allocator packs perfectly and defeats the
 * utilization score. We grow the number of live blocks from about a thousand
 * to about a hundred thousand with no checker in the way (the pointers go
 * into a preallocated typed array), collect garbage, and see whether the
 * allocator's own JavaScript memory grew with the count. A few numbers of
 * state are fine; bytes per block are not.
 */
import { appendFileSync } from 'node:fs';
import { runInNewContext } from 'node:vm';
import { getHeapCodeStatistics, getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
import type { AllocatorInstance, LoadedSubmission } from '../contract/instance.ts';
import { OFF_HEAP_LEDGER } from './ledger.ts';
import { holdOsrOff } from './quiet-compiler.ts';

export interface OffHeapMeasurement {
  /** JavaScript bytes retained per extra live block while allocating. */
  bytesPerLiveBlock: number;
  /** JavaScript bytes retained per freed block (free lists kept in JS). */
  bytesPerFreedBlock: number;
  liveBlocksFrom: number;
  liveBlocksTo: number;
  /** The allocator ran out of heap before reaching the target count. */
  reached: number;
  /** What the snapshots saw, in bytes, before the noise floor: while live blocks grew, and while half of them were freed. */
  grewLive: number;
  grewFreed: number;
}

/** Above this many bytes per block, the allocator keeps per-block state off the heap. */
export const OFF_HEAP_BYTES_PER_BLOCK = 4;
/**
 * Growth below this is measurement noise, whatever the count. With the
 * optimizing compiler on the check's thread and no loop optimized in the
 * middle of its run (quiet-compiler.ts), a rehearsal
 * first and the compiler's own metadata left out, the references, the
 * template and the implicit list grew by -2 to +18 KB between two snapshots
 * in the first measurement and under 11 KB in a second one (it was up to
 * ±300 KB, which the floor of 256 KB before covered, so that an allocator
 * stopped at 8192 blocks was measured to 36 bytes a block at best; at 3072
 * blocks it is 16 now). BENCHMARKS.md, issue 22 item 5, session 6.
 */
export const OFF_HEAP_NOISE_BYTES = 32 * 1024;
/**
 * Measurements a suspect allocator gets before it fails (runCheck keeps the
 * smallest growth): per-block state grows every time, V8's one-off work
 * does not land in all of them.
 */
export const OFF_HEAP_MEASUREMENTS = 3;

let gcFn: (() => void) | undefined;
function gc(): void {
  if (!gcFn) {
    setFlagsFromString('--expose-gc');
    // A full GC ages bytecode; a function compiled again after a flush lands in old space between two measurements.
    setFlagsFromString('--no-flush-bytecode');
    gcFn = runInNewContext('gc') as () => void;
  }
  // One full collection: a second one moved no snapshot by more than a few hundred bytes (BENCHMARKS.md, issue 22
  // item 5, session 6), and with the rehearsal's six snapshots each one counts.
  gcFn();
}

/**
 * V8 heap spaces that hold compiled code, not data: JIT compilation landing
 * between two measurements grew code_space by ~170 KB in about one run in
 * fifteen; per-block state an allocator keeps lives in the data spaces.
 */
const CODE_SPACES = new Set(['code_space', 'code_large_object_space']);

/** The JavaScript memory the thread retains after a full collection, in bytes: data spaces and array buffers but `backing` (the simulated heap's). */
export function retained(backing: () => number, options: { withoutBytecode?: boolean } = {}): number {
  // Nothing the allocator made may be kept alive by the kit in one snapshot and not the next.
  OFF_HEAP_LEDGER.release();
  gc();
  let data = 0;
  let code = 0;
  for (const s of getHeapSpaceStatistics()) {
    if (CODE_SPACES.has(s.space_name)) code += s.space_used_size;
    else data += s.space_used_size;
  }
  // What the optimizing compiler keeps beside its code (deoptimization data, relocation and position tables)
  // lives in old space: compiler data, not the allocator's, whenever it lands.
  const codeStats = getHeapCodeStatistics();
  const compilerData = codeStats.code_and_metadata_size - code;
  const bytecode = options.withoutBytecode ? codeStats.bytecode_and_metadata_size : 0;
  // The simulated heap's own bytes are array buffers too; they are not the allocator's.
  return data - compilerData - bytecode + Math.max(0, process.memoryUsage().arrayBuffers - backing());
}

/** Fewer blocks than this are too few to measure: growth goes on to here whatever it costs (an implicit list stops here). */
const MIN_BLOCKS = 3000;
/**
 * Metered steps the growth phase may take once past MIN_BLOCKS: the
 * references and the template reach 100,000 blocks within it. A count,
 * not a deadline: an implicit list (quadratic here) stops at the same block
 * count on every machine and under any load, so the verdict is the same
 * every run (a deadline let a loaded machine stop at fewer blocks, where GC
 * noise weighs more per block).
 */
export const OFF_HEAP_STEP_CAP = 40_000_000;
/**
 * The rehearsal runs the same measurement at this fraction of its scale on a
 * throw-away instance, snapshots included: what V8 does once (compiling the
 * paths the sizes and frees take, setting up the collector) happens there.
 */
const REHEARSAL_SCALE = 4;

/**
 * Block sizes, one per block in turn: mostly small, and one block in eight
 * of 72 to 464 bytes, so that per-block state kept only for larger blocks
 * grows too (test/fixtures/offheap/big-blocks.ts).
 */
export function offHeapBlockSize(n: number): number {
  return (n & 7) === 7 ? 72 + ((n >> 3) & 7) * 56 : SMALL_SIZES[n & 7]!;
}
const SMALL_SIZES = [16, 24, 8, 40, 16, 32, 8, 24];

export function measureOffHeap(
  loaded: LoadedSubmission,
  options: { seed: number; limit: number; from?: number; to?: number; progress?: Int32Array; stepCap?: number },
): OffHeapMeasurement {
  const from = options.from ?? 1000;
  const to = options.to ?? 100_000;
  // An allocator that walks every block on each malloc (an implicit list) is
  // quadratic here: stop growing when the metered step cap is spent, but not
  // before MIN_BLOCKS.
  const cap = options.stepCap ?? OFF_HEAP_STEP_CAP;
  const scale = REHEARSAL_SCALE;
  // What a module's code costs once (feedback for its functions) is not per-block state: 63 KB in a measurement of a
  // 263 KB bundle of 1500 hot functions, on a module evaluated afresh. Below this, growth is noise.
  const noise = OFF_HEAP_NOISE_BYTES + (loaded.reloadable?.sourceBytes ?? 0) / 4;
  // No loop is compiled in the middle of its run meanwhile: that compiler's data lands where no snapshot can tell it apart.
  const release = holdOsrOff();
  try {
    afterManyInstances(loaded, options.seed, options.limit);
    growth(loaded, { seed: options.seed + 1, limit: options.limit, from: from / scale, to: MIN_BLOCKS / scale, minBlocks: MIN_BLOCKS / scale, cap: 0, progress: options.progress, rehearsal: true, noise });
    return growth(loaded, { seed: options.seed, limit: options.limit, from, to, minBlocks: MIN_BLOCKS, cap, progress: options.progress, rehearsal: false, noise });
  } finally {
    release();
  }
}

/**
 * Instances the module has made before the ones measured (each made, given
 * a malloc and a free, and dropped): at least as many as one of a grade's
 * workload lanes makes (one per trace; 13 workloads by default), so that
 * state an allocator keeps only from its module's k-th instance on (red team
 * 7's 'nth', k = 3) is kept in the instances measured.
 */
export const INSTANCES_BEFORE = 16;
export function afterManyInstances(loaded: LoadedSubmission, seed: number, limit: number): void {
  for (let i = 0; i < INSTANCES_BEFORE; i++) {
    const instance = loaded.instantiate({ seed: seed + 2 + i, limit });
    const p: unknown = instance.allocator.malloc(16);
    if (typeof p === 'number' && p !== 0) instance.allocator.free(p);
    // Its account read: until then the ledger holds what the factory made (to size it again at the next review).
    instance.offHeapFinding?.();
  }
}

/**
 * Before the first snapshot: one block of each large size, made and freed,
 * and one calloc, so that state an allocator keeps only from its first large
 * block or first calloc on (red team 7's 'large': per-block tables from the
 * first malloc of 1 KiB or more) is kept for the blocks measured. A calloc
 * that fails is the calloc checks' to report (one bug, one charge).
 */
export const LARGE_SIZES = [1 << 10, 1 << 12, 1 << 14, 1 << 16, 1 << 18, 1 << 20];
function firstOfEachKind(allocator: AllocatorInstance['allocator']): void {
  for (const size of LARGE_SIZES) {
    const p: unknown = allocator.malloc(size);
    if (typeof p !== 'number' || p === 0) return;
    allocator.free(p);
  }
  try {
    const p: unknown = allocator.calloc(1, 64);
    if (typeof p === 'number' && p !== 0) allocator.free(p);
  } catch {
    // the calloc checks'
  }
}

/**
 * A file each measurement (rehearsals too) is appended to as a JSON line,
 * when the kit's environment names one: how often the measurement moves
 * across a whole test run (bench/growth-noise.ts). Read once, by the kit.
 */
const GROWTH_LOG = process.env.HEAPGRADE_GROWTH_LOG;

/** Live blocks from `from` to `to` (or the cap), then every other one freed, with a snapshot after each phase. */
function growth(
  loaded: LoadedSubmission,
  o: { seed: number; limit: number; from: number; to: number; minBlocks: number; cap: number; progress?: Int32Array; rehearsal: boolean; noise: number },
): OffHeapMeasurement {
  const { heap, allocator } = loaded.instantiate({ seed: o.seed, limit: Math.max(o.limit, 64 << 20) });
  const steps = (): number => heap.meter?.total ?? 0;
  const backing = (): number => (heap as { backingBytes?: number }).backingBytes ?? 0;
  const ptrs = new Float64Array(o.to);
  const progress = o.progress;
  let n = 0;
  const allocate = (upTo: number): void => {
    for (; n < upTo; n++) {
      // The rehearsal counts below zero: a budget running out there is "while warming up".
      if (progress) progress[0] = o.rehearsal ? -1 - n : n;
      if ((n & 255) === 0 && n >= o.minBlocks && steps() > o.cap) break;
      const p: unknown = allocator.malloc(offHeapBlockSize(n));
      // NULL, or what no check accepts as a pointer, ends the growth: never converted here, outside a metered call
      // (an object's Symbol.toPrimitive is student code; test/fixtures/attack/return-toprimitive.ts).
      if (typeof p !== 'number' || p === 0) break;
      ptrs[n] = p;
    }
  };
  firstOfEachKind(allocator);
  allocate(o.from);
  const m1 = retained(backing);
  allocate(o.to);
  const reached = n;
  const m2 = retained(backing);
  for (let i = 0; i < reached; i += 2) allocator.free(ptrs[i]!);
  const m3 = retained(backing);
  // The rehearsal then frees the rest, as the warm-up before it did: freeing next to free blocks (coalescing) is
  // exercised too, and a free that breaks there fails this check as it did.
  if (o.rehearsal) for (let i = 1; i < reached; i += 2) allocator.free(ptrs[i]!);
  const grown = Math.max(1, reached - o.from);
  const perBlock = (delta: number, count: number): number => (delta < o.noise ? 0 : delta / Math.max(1, count));
  const measured: OffHeapMeasurement = {
    bytesPerLiveBlock: perBlock(m2 - m1, grown),
    bytesPerFreedBlock: perBlock(m3 - m2, reached >> 1),
    liveBlocksFrom: o.from,
    liveBlocksTo: o.to,
    reached,
    grewLive: m2 - m1,
    grewFreed: m3 - m2,
  };
  if (GROWTH_LOG) appendFileSync(GROWTH_LOG, `${JSON.stringify({ spec: loaded.spec, rehearsal: o.rehearsal, noise: o.noise, ...measured })}\n`);
  return measured;
}

