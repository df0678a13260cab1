/**
 * What the checker costs: the same trace replayed under the full checker
 * (replayChecked) and raw (replayRaw, an id -> pointer map only), each on a
 * fresh reference instance; the ratio of median CPU times.
 */
import { resolveCheckerOptions } from '../harness/checker/options.ts';
import type { LoadedSubmission } from '../harness/contract/instance.ts';
import { loadSubmission } from '../harness/loader/load.ts';
import { replayChecked, replayRaw } from '../harness/replay/replay.ts';
import { readTraceFile } from '../harness/trace/parse.ts';
import type { Op } from '../harness/trace/types.ts';
import { mulberry32, randInt } from '../harness/util/rng.ts';
import { WORKLOADS } from '../suites/workloads/index.ts';
import { timeMedian } from './clock.ts';

export interface OverheadRow {
  trace: string;
  ops: number;
  checkedMs: number;
  rawMs: number;
  ratio: number;
}

const LIMIT = 1 << 26;

export function checkerOverhead(loaded: LoadedSubmission, name: string, ops: readonly Op[], times = 5): OverheadRow {
  const checker = resolveCheckerOptions();
  // Warm both paths up once so that the JIT compiles them before timing.
  replayChecked(loaded.instantiate({ seed: 1, limit: LIMIT }), ops, { checker });
  replayRaw(loaded.instantiate({ seed: 1, limit: LIMIT }), ops);
  const checked = timeMedian(() => replayChecked(loaded.instantiate({ seed: 1, limit: LIMIT }), ops, { checker }), times);
  const raw = timeMedian(() => replayRaw(loaded.instantiate({ seed: 1, limit: LIMIT }), ops), times);
  return { trace: name, ops: ops.length, checkedMs: checked.cpuMs, rawMs: raw.cpuMs, ratio: checked.cpuMs / raw.cpuMs };
}

/** The workload with the most operations. */
export async function largestWorkload(): Promise<{ name: string; ops: Op[] }> {
  let best: { name: string; ops: Op[] } = { name: '', ops: [] };
  for (const w of WORKLOADS) {
    const t = await readTraceFile(w.file);
    if (t.ops.length > best.ops.length) best = { name: w.name, ops: [...t.ops] };
  }
  return best;
}

/**
 * A deterministic random trace of n operations: mallocs, callocs, reallocs
 * and frees of 1 B to 4 KiB blocks around a live set of a few thousand.
 */
export function randomTrace(n: number, seed = 42): Op[] {
  const rng = mulberry32(seed);
  const ops: Op[] = [];
  const live: number[] = [];
  let next = 0;
  while (ops.length < n) {
    const r = rng();
    const size = rng() < 0.8 ? randInt(rng, 1, 256) : randInt(rng, 257, 4096);
    if (live.length > 0 && (r < 0.4 || live.length > 4000)) {
      const k = randInt(rng, 0, live.length - 1);
      ops.push({ kind: 'f', id: live[k]! });
      live[k] = live[live.length - 1]!;
      live.pop();
    } else if (live.length > 0 && r < 0.5) {
      ops.push({ kind: 'r', id: live[randInt(rng, 0, live.length - 1)]!, size });
    } else if (r < 0.55) {
      live.push(next);
      ops.push({ kind: 'c', id: next++, count: randInt(rng, 1, 8), size: randInt(rng, 1, 128) });
    } else {
      live.push(next);
      ops.push({ kind: 'a', id: next++, size });
    }
  }
  return ops;
}

export async function overheadRows(): Promise<OverheadRow[]> {
  const ref = await loadSubmission('ref:reference');
  const largest = await largestWorkload();
  return [checkerOverhead(ref, `workload ${largest.name}`, largest.ops), checkerOverhead(ref, 'random 1,000,000 ops', randomTrace(1_000_000), 3)];
}
