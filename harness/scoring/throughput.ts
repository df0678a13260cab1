/**
 * Wall-clock throughput relative to the reference allocator, measured so that
 * a busy machine slows both sides alike: both run in this process, in
 * interleaved rounds (reference then submission, then the other way round),
 * each round timed with tinybench on fresh instances, and the score is the
 * median of the per-round speed ratios. Making the instances (heap and
 * factory, like mm_init) happens in tinybench's beforeEach, outside the timed
 * window; the timed part is replayRaw, which adds only an id -> pointer map.
 */
import { Bench } from 'tinybench';
import type { Range } from '../config/types.ts';
import type { AllocatorInstance, LoadedSubmission } from '../contract/instance.ts';
import { replayRaw } from '../runner/replay.ts';
import type { Op } from '../trace/types.ts';
import { MAX_RATIO } from './cost.ts';

export interface ThroughputOptions {
  /** Interleaved rounds at most. */
  rounds: number;
  /** Each timed sample replays the trace as many times as it takes to last at least this long. */
  minSampleMs: number;
  /** Instance seed and heap limit (the same for both sides). */
  seed: number;
  limit: number;
  /** Stop early (after 3 rounds) once the median is far outside this range: the score is clamped there anyway. */
  threshold?: Range;
  /** Stop early (after 3 rounds) when the rounds have taken this long. @default Infinity */
  budgetMs?: number;
}

export interface ThroughputResult {
  /** Median over rounds of submission ops/s / reference ops/s. */
  ratio: number;
  referenceOpsPerSec: number;
  submissionOpsPerSec: number;
  /** Per-round ratios, in order. */
  ratios: number[];
  /** Trace replays per timed sample, reference and submission. */
  batch: { reference: number; submission: number };
}

const MIN_ROUNDS = 3;
const MAX_BATCH = 2000;

/** One side of the comparison: makes `batch` fresh instances, then replays the trace on each. */
class Side {
  batch = 1;
  private pending: AllocatorInstance[] = [];
  constructor(
    readonly loaded: LoadedSubmission,
    private readonly ops: readonly Op[],
    private readonly options: ThroughputOptions,
  ) {}
  prepare(): void {
    this.pending = [];
    for (let i = 0; i < this.batch; i++) this.pending.push(this.loaded.instantiate({ seed: this.options.seed, limit: this.options.limit }));
  }
  run(): void {
    for (const instance of this.pending) replayRaw(instance, this.ops);
  }
  release(): void {
    this.pending = [];
  }
  /** Warms the JIT up and chooses the batch from the time of one warmed replay. */
  calibrate(): void {
    let last = 0;
    let total = 0;
    for (let k = 0; k < 3 || (total < 2 * this.options.minSampleMs && k < 50); k++) {
      const instance = this.loaded.instantiate({ seed: this.options.seed, limit: this.options.limit });
      const t0 = performance.now();
      replayRaw(instance, this.ops);
      last = performance.now() - t0;
      total += last;
    }
    this.batch = Math.min(MAX_BATCH, Math.max(1, Math.ceil(this.options.minSampleMs / Math.max(last, 1e-3))));
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
  ref.calibrate();
  sub.calibrate();
  const refRates: number[] = [];
  const subRates: number[] = [];
  const ratios: number[] = [];
  const start = performance.now();
  for (let round = 0; round < options.rounds; round++) {
    const [r, s] = timeRound(round % 2 === 0 ? [ref, sub] : [sub, ref], ops.length, ref, sub);
    refRates.push(r);
    subRates.push(s);
    ratios.push(s / r);
    if (round + 1 >= MIN_ROUNDS && canStop(median(ratios), performance.now() - start, options)) break;
  }
  return {
    ratio: Math.min(MAX_RATIO, median(ratios)),
    referenceOpsPerSec: median(refRates),
    submissionOpsPerSec: median(subRates),
    ratios,
    batch: { reference: ref.batch, submission: sub.batch },
  };
}

/** Times both sides once, in the given order; returns [reference ops/s, submission ops/s]. */
function timeRound(order: [Side, Side], opsPerReplay: number, ref: Side, sub: Side): [number, number] {
  const bench = new Bench({ iterations: 1, time: 0, warmup: false, throws: true });
  for (const side of order) {
    bench.add(side === ref ? 'reference' : 'submission', () => side.run(), {
      beforeEach: () => side.prepare(),
      afterEach: () => side.release(),
    });
  }
  bench.runSync();
  const rate = (name: string, side: Side): number => {
    const result = bench.getTask(name)?.result;
    if (!result || !('latency' in result)) throw new Error(`tinybench: no timing for ${name} (${result?.state ?? 'missing'})`);
    return (side.batch * opsPerReplay) / (Math.max(result.latency.p50, 1e-6) / 1000);
  };
  return [rate('reference', ref), rate('submission', sub)];
}

function canStop(ratio: number, elapsedMs: number, options: ThroughputOptions): boolean {
  if (elapsedMs >= (options.budgetMs ?? Number.POSITIVE_INFINITY)) return true;
  const t = options.threshold;
  return t !== undefined && (ratio < t.min * 0.75 || ratio > t.max * 1.3);
}

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
