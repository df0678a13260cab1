/**
 * Detecting per-block metadata kept in JavaScript (Maps, arrays, objects)
 * instead of the heap: such an allocator packs perfectly and defeats the
 * utilization score. We grow the number of live blocks from about a thousand
 * to about a hundred thousand with no checker in the way (the pointers go
 * into a preallocated typed array), collect garbage, and see whether the
 * allocator's own JavaScript memory grew with the count. A few numbers of
 * state are fine; bytes per block are not.
 */
import { runInNewContext } from 'node:vm';
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
import type { LoadedSubmission } from '../contract/instance.ts';

export interface OffHeapMeasurement {
  /** JavaScript bytes retained per extra live block while allocating. */
  bytesPerLiveBlock: number;
  /** JavaScript bytes retained per freed block (free lists kept in JS). */
  bytesPerFreedBlock: number;
  liveBlocksFrom: number;
  liveBlocksTo: number;
  /** The allocator ran out of heap before reaching the target count. */
  reached: number;
}

/** Above this many bytes per block, the allocator keeps per-block state off the heap. */
export const OFF_HEAP_BYTES_PER_BLOCK = 4;
/** Growth below this is measurement noise (JIT code, feedback vectors), whatever the count. */
export const OFF_HEAP_NOISE_BYTES = 256 * 1024;
/**
 * Measurements a suspect allocator gets before it fails (runCheck keeps the
 * smallest growth): per-block state grows every time, V8's one-off work
 * (compiling the free path: ~230 KB of old-space metadata beside its code,
 * in about one measurement in twenty) does not land in all of them.
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
  gcFn();
  gcFn();
}

/**
 * V8 heap spaces that hold compiled code, not data: JIT compilation landing
 * between two measurements grew code_space by ~170 KB in about one run in
 * fifteen (with ~230 KB of old-space metadata), enough to pass the noise
 * floor; per-block state an allocator keeps lives in the data spaces.
 */
const CODE_SPACES = new Set(['code_space', 'code_large_object_space']);

function retained(backing: () => number): number {
  gc();
  let data = 0;
  for (const s of getHeapSpaceStatistics()) if (!CODE_SPACES.has(s.space_name)) data += s.space_used_size;
  // The simulated heap's own bytes are array buffers too; they are not the allocator's.
  return data + Math.max(0, process.memoryUsage().arrayBuffers - backing());
}

/** Fewer blocks than this are too few to measure: growth goes on to here whatever it costs. */
const MIN_BLOCKS = 8000;
/**
 * Metered steps the growth phase may take once past MIN_BLOCKS. A count,
 * not a deadline: an implicit list (quadratic here) stops at the same block
 * count on every machine and under any load, so the verdict is the same
 * every run (a deadline let a loaded machine stop at fewer blocks, where GC
 * noise weighs more per block).
 */
export const OFF_HEAP_STEP_CAP = 150_000_000;
/** Blocks of the throw-away warm-up run. */
const WARM_UP_BLOCKS = 4000;

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
  warmUp(loaded, options.seed, WARM_UP_BLOCKS, options.progress);
  const { heap, allocator } = loaded.instantiate({ seed: options.seed, limit: Math.max(options.limit, 64 << 20) });
  const steps = (): number => heap.meter?.total ?? 0;
  const backing = (): number => (heap as { backingBytes?: number }).backingBytes ?? 0;
  const ptrs = new Float64Array(to);
  const sizes = [16, 24, 8, 40, 16, 32, 8, 24];
  let n = 0;
  const allocate = (upTo: number): void => {
    for (; n < upTo; n++) {
      if (options.progress) options.progress[0] = n;
      if ((n & 255) === 0 && n >= MIN_BLOCKS && steps() > cap) break;
      const p = allocator.malloc(sizes[n & 7]!);
      if (p === 0) break;
      ptrs[n] = p;
    }
  };
  allocate(from);
  const m1 = retained(backing);
  allocate(to);
  const reached = n;
  const m2 = retained(backing);
  for (let i = 0; i < reached; i += 2) allocator.free(ptrs[i]!);
  const m3 = retained(backing);
  const grown = Math.max(1, reached - from);
  const perBlock = (delta: number, count: number): number => (delta < OFF_HEAP_NOISE_BYTES ? 0 : delta / Math.max(1, count));
  return {
    bytesPerLiveBlock: perBlock(m2 - m1, grown),
    bytesPerFreedBlock: perBlock(m3 - m2, reached >> 1),
    liveBlocksFrom: from,
    liveBlocksTo: to,
    reached,
  };
}

/** One throw-away run so that JIT compilation does not land between the two measurements. */
function warmUp(loaded: LoadedSubmission, seed: number, count: number, progress?: Int32Array): void {
  const { allocator } = loaded.instantiate({ seed: seed + 1, limit: 64 << 20 });
  const ptrs = new Float64Array(count);
  for (let i = 0; i < ptrs.length; i++) {
    if (progress) progress[0] = -1 - i;
    ptrs[i] = allocator.malloc(16 + (i & 3) * 8);
  }
  for (let i = 0; i < ptrs.length; i++) if (ptrs[i]) allocator.free(ptrs[i]!);
}
