import { DEFAULT_HEAP_LIMIT } from '../heap/sim-heap.ts';
import type { Config } from './types.ts';
import { DEFAULT_STEP_BUDGET } from '../meter/budget.ts';
import { DEFAULT_PROPERTY_SEARCH } from '../property/defaults.ts';
import { DEFAULT_CALL_TIMEOUT_MS } from '../runner/timeouts.ts';

/**
 * The configuration every grade starts from; a TA's file overrides any part.
 * `heapgrade.config.example.json` at the repo root is this object, written out
 * by `npx tsx harness/config/write-example.ts`.
 *
 * Why these numbers:
 * - 40 correctness / 60 performance: an allocator that is correct but slow
 *   and wasteful still passes (40 + whatever it earns), while the performance
 *   part is large enough that design choices (free lists, coalescing,
 *   placement) show in the grade, as in CMU's malloclab where performance is
 *   most of the autograded score.
 * - Utilization 0.55 -> 0.74, throughput 0.50 -> 0.90 of the reference, and
 *   a 0.6 utilization weight: CMU 15-213's thresholds from 2018 on
 *   (config.h of the 2018-2023 handouts).
 * - Speed by metered cost by default (C: wasm instructions; TypeScript:
 *   steps and heap work), taken from the checked run, so the grade is the
 *   same on every machine; `"speed": "wallclock"` times against the
 *   reference instead, the malloclab way (machine-dependent).
 * - Step budgets per call instead of seconds (harness/meter/budget.ts); the
 *   30 s call timeout is only a backstop for what metering cannot see (a
 *   single huge builtin call), far above what any budget takes.
 * - 9 timing rounds of at least 4 ms per side, timed in process CPU time
 *   (the "wallclock" speed basis means timed, as opposed to counted): on a
 *   loaded 2-core machine elapsed time swung the reference-vs-reference
 *   ratio by 20 % between runs, CPU time by about 1-3 % (BENCHMARKS.md).
 */
export const DEFAULT_CONFIG: Config = {
  profile: 'heapgrade',
  score: { correctness: 40, performance: 60 },
  checks: {},
  workloads: {},
  onlyListedWorkloads: false,
  utilization: { min: 0.55, max: 0.74 },
  throughput: { min: 0.5, max: 0.9 },
  utilWeight: 0.6,
  speed: 'cost',
  stepBudget: { ...DEFAULT_STEP_BUDGET },
  heapLimit: DEFAULT_HEAP_LIMIT,
  alignment: 16,
  callTimeoutMs: DEFAULT_CALL_TIMEOUT_MS,
  staticDataLimit: 128,
  offHeapForfeitsPerformance: true,
  malloc0: 'any',
  realloc0: 'any',
  timing: { rounds: 9, minSampleMs: 4, clock: 'cpu' },
  property: { ...DEFAULT_PROPERTY_SEARCH },
};
