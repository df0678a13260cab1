/**
 * Test helpers: random traces and a replay of a trace through the real
 * checker on a fresh simulated heap.
 */
import type { AllocatorFactory } from '../../harness/contract/types.ts';
import { Checker } from '../../harness/checker/checker.ts';
import { resolveCheckerOptions, type CheckerOptions } from '../../harness/checker/options.ts';
import type { Violation } from '../../harness/checker/violation.ts';
import { createHeapPort } from '../../harness/heap/heap-port.ts';
import { SimHeap } from '../../harness/heap/sim-heap.ts';
import type { Op } from '../../harness/trace/types.ts';
import { mulberry32, randInt } from '../../harness/util/rng.ts';

export interface RandomTraceOptions {
  ops: number;
  /** Largest ordinary request. @default 5000 */
  maxSize?: number;
  /** Chance that a request is large (64 KiB .. 1 MiB). @default 0.01 */
  largeChance?: number;
  /** Live blocks the trace keeps around (it frees more above this). @default 200 */
  targetLive?: number;
}

/** A random mix of malloc, calloc, realloc and free on block ids; every id is freed at the end. */
export function randomTrace(seed: number, options: RandomTraceOptions): Op[] {
  const rng = mulberry32(seed);
  const maxSize = options.maxSize ?? 5000;
  const largeChance = options.largeChance ?? 0.01;
  const targetLive = options.targetLive ?? 200;
  const size = (): number => (rng() < largeChance ? randInt(rng, 65536, 1 << 20) : randInt(rng, 0, maxSize));
  const live: number[] = [];
  const ops: Op[] = [];
  let nextId = 0;
  while (ops.length < options.ops) {
    const r = rng();
    const pressure = live.length / targetLive; // above 1: free more often than allocate
    if (live.length > 0 && r < 0.3 * pressure) {
      const k = randInt(rng, 0, live.length - 1);
      ops.push({ kind: 'f', id: live[k]! });
      live[k] = live[live.length - 1]!;
      live.pop();
    } else if (live.length > 0 && r > 0.85) {
      ops.push({ kind: 'r', id: live[randInt(rng, 0, live.length - 1)]!, size: size() });
    } else if (r > 0.78) {
      const count = randInt(rng, 0, 64);
      ops.push({ kind: 'c', id: nextId, count, size: Math.floor(size() / 16) });
      live.push(nextId++);
    } else if (r < 0.005) {
      ops.push({ kind: 'f', id: -1 }); // free(NULL)
    } else {
      ops.push({ kind: 'a', id: nextId, size: size() });
      live.push(nextId++);
    }
  }
  for (const id of live) ops.push({ kind: 'f', id });
  return ops;
}

export interface ReplayResult {
  violation: Violation | null;
  checker: Checker;
  sim: SimHeap;
}

export interface ReplayOptions {
  seed?: number;
  limit?: number;
  checker?: Partial<CheckerOptions>;
  /** Called after each op that passed the checker. */
  afterOp?: (i: number, result: ReplayResult) => void;
}

/** Replays `ops` through the checker; stops at the first violation, as the runner does. */
export function replay(factory: AllocatorFactory, ops: readonly Op[], options: ReplayOptions = {}): ReplayResult {
  const sim = new SimHeap({ seed: options.seed ?? 1, limit: options.limit });
  const allocator = factory(createHeapPort(sim));
  const checker = new Checker(sim, allocator, resolveCheckerOptions(options.checker));
  const result: ReplayResult = { violation: null, checker, sim };
  for (let i = 0; i < ops.length; i++) {
    result.violation = checker.step(ops[i]!, i);
    if (result.violation) return result;
    options.afterOp?.(i, result);
  }
  result.violation = checker.finish(ops.length);
  return result;
}

/** A violation as one readable line, so a failing expect shows what broke. */
export function explain(v: Violation | null): string {
  return v === null ? 'none' : `${v.kind} at op ${v.op} (${v.call ?? ''}): ${v.message}`;
}
