/** The one unchecked loop (apply-ops.ts) behind replayRaw and the wall-clock option's timed runs. */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadSubmission } from '../../harness/loader/load.ts';
import { applyOps } from '../../harness/replay/apply-ops.ts';
import { replayRaw } from '../../harness/replay/replay.ts';
import { replayTimed, TimedRunViolation } from '../../harness/scoring/timed-replay.ts';
import type { Op } from '../../harness/trace/types.ts';

const fixture = (n: string): string => fileURLToPath(new URL(`../fixtures/meter/${n}.ts`, import.meta.url));

// Two NULLs (a malloc larger than the heap, an overflowing calloc), a failed realloc that keeps its block, realloc(p, 0).
const ops: Op[] = [
  { kind: 'a', id: 0, size: 24 },
  { kind: 'r', id: 0, size: 100 },
  { kind: 'a', id: 1, size: 1 << 30 },
  { kind: 'f', id: 1 },
  { kind: 'c', id: 2, count: 2 ** 31, size: 4 },
  { kind: 'r', id: 0, size: 1 << 30 },
  { kind: 'a', id: 3, size: 8 },
  { kind: 'r', id: 3, size: 0 },
  { kind: 'f', id: 0 },
];

describe('applyOps', () => {
  it('counts the NULLs of allocating calls and of a failed realloc, and hands the hooks each block as it lands and leaves', async () => {
    const loaded = await loadSubmission('ref:reference');
    const seen: string[] = [];
    const { nullCount } = applyOps(loaded.instantiate({ seed: 1, limit: 1 << 20 }), ops, {
      placed: (id, _p, size, what) => seen.push(`placed b${id} ${size} ${what}`),
      leaving: (id, p, what) => seen.push(`leaving b${id} ${p === 0 ? 'NULL' : 'p'} ${what}`),
      moved: (id, _p, size) => seen.push(`moved b${id} ${size}`),
    });
    expect(nullCount).toBe(3);
    expect(seen).toEqual([
      'placed b0 24 malloc(24)',
      'leaving b0 p realloc(b0)',
      'moved b0 100',
      'placed b0 100 realloc(b0, 100)',
      'leaving b1 NULL free(b1)',
      'leaving b0 p realloc(b0)', // the failed realloc: no landing, the block stays b0's
      'placed b3 8 malloc(8)',
      'leaving b3 p realloc(b3)',
      'leaving b0 p free(b0)',
    ]);
    // replayRaw is the same loop without hooks.
    expect(replayRaw(loaded.instantiate({ seed: 1, limit: 1 << 20 }), ops).nullCount).toBe(3);
  });

  it('the timed run catches a realloc that loses the first byte, and passes one that keeps it', async () => {
    const grow: Op[] = Array.from({ length: 9 }, (_, id) => ({ kind: 'a' as const, id, size: 32 }));
    grow.push({ kind: 'r', id: 8, size: 64 }); // block 8 carries a sampled marker (one block in eight)
    const bad = await loadSubmission(fixture('realloc-skips-first-byte'));
    expect(() => replayTimed(bad.instantiate({ seed: 1, limit: 1 << 20 }), grow, 16)).toThrow(TimedRunViolation);
    expect(() => replayTimed(bad.instantiate({ seed: 1, limit: 1 << 20 }), grow, 16)).toThrow(/realloc\(b8, 64\) lost the block's first byte/);
    const good = await loadSubmission('ref:reference');
    expect(() => replayTimed(good.instantiate({ seed: 1, limit: 1 << 20 }), grow, 16)).not.toThrow();
  });
});
