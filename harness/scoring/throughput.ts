/**
 * Wall-clock throughput relative to the reference allocator, measured so that
 * a busy machine slows both sides alike: both run in this process, in
 * interleaved rounds (reference, submission, submission, reference), each
 * half of a round timed with tinybench on fresh instances. The ratio is the
 * submission's fastest sample over the reference's fastest sample: load on
 * the machine only ever adds time, so the fastest sample is the best
 * estimate of the undisturbed speed, and interleaving gives both sides the
 * same chances of a quiet moment. On a loaded 2-core machine the median of
 * per-round ratios moved by +-8 % between processes, the best-sample ratio
 * by +-2 % (BENCHMARKS.md). Making the instances (heap and
 * factory, like mm_init) happens in tinybench's beforeEach, outside the timed
 * window; the timed part is replayTimed, which checks the structural rules
 * (alignment, bounds, sampled payloads) so that the timed run is a checked run too.
 */
import { Bench } from 'tinybench';
import { collectGarbage } from './gc.ts';
import type { Range } from './thresholds.ts';
import type { AllocatorInstance, LoadedSubmission } from '../contract/instance.ts';
import { replayTimed } from './timed-replay.ts';
import type { Op } from '../trace/types.ts';
import { MAX_RATIO } from './cost.ts';

export interface ThroughputOptions {
  /** Interleaved rounds at most. */
  rounds: number;
  /** 'cpu': this process's CPU time (other processes do not count); 'wall': elapsed time. @default 'cpu' */
  clock?: 'cpu' | 'wall';
  /** Timed samples per side in each half of a round; the round keeps the fastest. @default 2 */
  samplesPerRound?: number;
  /** Each timed sample replays the trace as many times as it takes to last at least this long. */
  minSampleMs: number;
  /** Alignment the timed run checks every pointer against. @default 16 */
  alignment?: number;
  /** Instance seed and heap limit (the same for both sides). */
  seed: number;
  limit: number;
  /** Stop early (after 3 rounds) once every round lies clearly outside this range: the score is clamped there anyway. */
  threshold?: Range;
  /** Stop early (after 3 rounds) when the rounds have taken this long. @default Infinity */
  budgetMs?: number;
}

export interface ThroughputResult {
  /** The score's ratio: the submission's fastest sample over the reference's fastest sample (ops/s). */
  ratio: number;
  /** Median over rounds of each side's ops/s (informative). */
  referenceOpsPerSec: number;
  submissionOpsPerSec: number;
  /** Per-round ratios, in order (informative; their median wobbles more than `ratio`). */
  ratios: number[];
  /** Trace replays per timed sample, reference and submission. */
  batch: { reference: number; submission: number };
}

const MIN_ROUNDS = 3;
/** How far beyond a threshold end every round must be for an early stop. */
const CLEAR_MARGIN = 1.03;
const MAX_BATCH = 2000;

/** Heaps above this size are collected with a full GC between samples: their buffers are freed only by one. */
const BIG_HEAP = 8 * 1024 * 1024;

/** One side of the comparison: makes `batch` fresh instances, then replays the trace on each. */
class Side {
  batch = 1;
  private pending: AllocatorInstance[] = [];
  private lastPeak = 0;
  constructor(
    readonly loaded: LoadedSubmission,
    private readonly ops: readonly Op[],
    private readonly options: ThroughputOptions,
  ) {}
  prepare(): void {
    this.pending = [];
    // Collect the previous sample's heaps now, outside the timed window, so
    // that neither side pays for the other's garbage.
    collectGarbage(this.lastPeak * this.batch >= BIG_HEAP ? 'major' : 'minor');
    for (let i = 0; i < this.batch; i++) this.pending.push(this.loaded.instantiate({ seed: this.options.seed, limit: this.options.limit }));
  }
  run(): void {
    for (const instance of this.pending) replayTimed(instance, this.ops, this.options.alignment ?? 16);
  }
  release(): void {
    this.lastPeak = this.pending[0]?.heap.stats.peakExtent ?? 0;
    this.pending = [];
  }
  /** Warms the JIT up; returns the time of one warmed replay in ms. */
  calibrate(): number {
    let last = 0;
    let total = 0;
    for (let k = 0; k < 3 || (total < 2 * this.options.minSampleMs && k < 50); k++) {
      const instance = this.loaded.instantiate({ seed: this.options.seed, limit: this.options.limit });
      const t0 = performance.now();
      replayTimed(instance, this.ops, this.options.alignment ?? 16);
      last = performance.now() - t0;
      total += last;
      this.lastPeak = instance.heap.stats.peakExtent;
    }
    return last;
  }
}

export function measureThroughput(
  reference: LoadedSubmission,
  submission: LoadedSubmission,
  ops: readonly Op[],
  options: ThroughputOptions,
): ThroughputResult {
  const ref = new Side(reference, ops, options);
  const sub = new Side(submission, ops, options);
  // Both sides replay the same number of fresh instances per sample, so that
  // whatever a sample costs besides the replays weighs the same on both; the
  // faster side's samples last at least minSampleMs.
  const fastest = Math.min(ref.calibrate(), sub.calibrate());
  ref.batch = sub.batch = Math.min(MAX_BATCH, Math.max(1, Math.ceil(options.minSampleMs / Math.max(fastest, 1e-3))));
  const refRates: number[] = [];
  const subRates: number[] = [];
  const ratios: number[] = [];
  const start = performance.now();
  const samples = options.samplesPerRound ?? 2;
  for (let round = 0; round < options.rounds; round++) {
    // reference, submission, submission, reference: whatever the position in
    // a round costs (a warm cache, the other side's memory) weighs the same on both.
    const now = options.clock === 'wall' ? undefined : cpuNow;
    const a = timeBench([ref, sub], ops.length, ref, samples, now);
    const b = timeBench([sub, ref], ops.length, ref, samples, now);
    const r = Math.max(a[0], b[0]);
    const s = Math.max(a[1], b[1]);
    refRates.push(r);
    subRates.push(s);
    ratios.push(s / r);
    if (round + 1 >= MIN_ROUNDS && canStop([...ratios, Math.max(...subRates) / Math.max(...refRates)], performance.now() - start, options)) break;
  }
  return {
    ratio: Math.min(MAX_RATIO, Math.max(...subRates) / Math.max(...refRates)),
    referenceOpsPerSec: median(refRates),
    submissionOpsPerSec: median(subRates),
    ratios,
    batch: { reference: ref.batch, submission: sub.batch },
  };
}

/**
 * Times both sides with tinybench, in the given order; returns
 * [reference ops/s, submission ops/s] from each side's fastest sample:
 * another process taking the CPU only ever adds time.
 */
function timeBench(order: [Side, Side], opsPerReplay: number, ref: Side, samples: number, now?: () => number): [number, number] {
  const bench = new Bench({ iterations: samples, time: 0, warmup: false, throws: true, ...(now ? { now } : {}) });
  for (const side of order) {
    bench.add(side === ref ? 'reference' : 'submission', () => side.run(), {
      beforeEach: () => side.prepare(),
      afterEach: () => side.release(),
    });
  }
  bench.runSync();
  const rate = (name: string): number => {
    const result = bench.getTask(name)?.result;
    if (!result || !('latency' in result)) throw new Error(`tinybench: no timing for ${name} (${result?.state ?? 'missing'})`);
    return (ref.batch * opsPerReplay) / (Math.max(result.latency.min, 1e-6) / 1000);
  };
  return [rate('reference'), rate('submission')];
}

/** Milliseconds of CPU time this process has used: other processes on the machine do not advance it. */
const cpuNow = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/**
 * Enough rounds: the budget is spent, or every round so far (and the
 * best-sample ratio) lies clearly beyond one end of the threshold, where the score is clamped (0 or full
 * marks) and more rounds cannot change it.
 */
function canStop(ratios: readonly number[], elapsedMs: number, options: ThroughputOptions): boolean {
  if (elapsedMs >= (options.budgetMs ?? Number.POSITIVE_INFINITY)) return true;
  const t = options.threshold;
  if (t === undefined) return false;
  return ratios.every((r) => r >= t.max * CLEAR_MARGIN) || ratios.every((r) => r <= t.min / CLEAR_MARGIN);
}

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
