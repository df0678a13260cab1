/** Shared by the wasm tests: drive an instance through the real Checker. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AllocatorInstance } from '../../harness/contract/instance.ts';
import { Checker } from '../../harness/checker/checker.ts';
import { resolveCheckerOptions, type CheckerOptions } from '../../harness/checker/options.ts';
import type { Violation } from '../../harness/checker/violation.ts';
import type { Op } from '../../harness/trace/types.ts';
import { mulberry32, randInt } from '../../harness/util/rng.ts';

export const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/c');

export function runOps(inst: AllocatorInstance, ops: readonly Op[], options: Partial<CheckerOptions> = {}): Violation | null {
  const checker = new Checker(inst.heap, inst.allocator, resolveCheckerOptions(options), undefined);
  for (let i = 0; i < ops.length; i++) {
    const v = checker.step(ops[i]!, i);
    if (v) return v;
  }
  return checker.finish(ops.length);
}

/** A random mix of malloc/free/realloc/calloc with sizes from tiny to a few KiB, ending with frees. */
export function randomOps(seed: number, n: number): Op[] {
  const rng = mulberry32(seed);
  const live: number[] = [];
  const ops: Op[] = [];
  let next = 0;
  const size = (): number => (rng() < 0.8 ? randInt(rng, 1, 256) : randInt(rng, 257, 8192));
  while (ops.length < n) {
    const r = rng();
    if (r < 0.4 || live.length === 0) {
      ops.push({ kind: 'a', id: next, size: size() });
      live.push(next++);
    } else if (r < 0.7) {
      const k = randInt(rng, 0, live.length - 1);
      ops.push({ kind: 'f', id: live[k]! });
      live.splice(k, 1);
    } else if (r < 0.9) {
      ops.push({ kind: 'r', id: live[randInt(rng, 0, live.length - 1)]!, size: size() });
    } else {
      ops.push({ kind: 'c', id: next, count: randInt(rng, 1, 16), size: randInt(rng, 1, 64) });
      live.push(next++);
    }
  }
  for (const id of live) ops.push({ kind: 'f', id });
  return ops;
}
