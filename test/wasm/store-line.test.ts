/**
 * A write outside the heap that no trap catches (into the slack past the
 * break, or the gap below the heap start) is found by the heap's guard scan
 * after the call, which knows only the byte. The report still names the
 * store's function and `file:LINE` and quotes the line: the instance's
 * calls are replayed on a build whose stores check their address
 * (guardStores). A correct allocator's run is unchanged, and the guarded
 * build itself lets every store of a correct allocator through.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Op } from '../../harness/trace/types.ts';
import { guardedInstance, loadCSubmission } from '../../harness/wasm/load.ts';
import { mulberry32, randInt } from '../../harness/util/rng.ts';
import { FIXTURES, randomOps, runOps } from './helpers.ts';

const FILE = path.join(FIXTURES, 'past-heap-write.c');
const lineOf = (text: string): number => readFileSync(FILE, 'utf8').split('\n').findIndex((l) => l.includes(text)) + 1;
const OPS: Op[] = [
  { kind: 'a', id: 0, size: 24 },
  { kind: 'a', id: 1, size: 100 },
  { kind: 'a', id: 2, size: 8 },
  { kind: 'a', id: 3, size: 16 },
  { kind: 'f', id: 0 },
];

describe('the line of a write the guard scan found after the call', () => {
  it('past the break: segfault in mm_malloc at past-heap-write.c:LINE, the line quoted', async () => {
    const sub = await loadCSubmission(FILE);
    const v = runOps(sub.instantiate({ seed: 3, limit: 1 << 20 }), OPS);
    expect(v?.kind).toBe('segfault');
    expect(v?.op).toBe(2);
    const line = lineOf('p[total + 40] = 7;');
    expect(v!.message).toContain(`segmentation fault in mm_malloc at past-heap-write.c:${line}\n`);
    expect(v!.message).toContain(`${String(line).padStart(5)} |     p[total + 40] = 7;`);
    expect(v!.message).toMatch(/write past the break/);
  }, 120_000);

  it('below the heap start: the same, at the other line', async () => {
    const sub = await loadCSubmission(FILE, { cflags: ['-DBELOW_HEAP'] });
    const v = runOps(sub.instantiate({ seed: 3, limit: 1 << 20 }), OPS);
    expect(v?.kind).toBe('segfault');
    const line = lineOf('lo[-100] = 9;');
    expect(v!.message).toContain(`segmentation fault in mm_malloc at past-heap-write.c:${line}\n`);
    expect(v!.message).toMatch(/below the heap start/);
  }, 120_000);

  it('after thousands of calls of every kind: the replay runs them all, arguments and order, and names the line', async () => {
    // malloc, free and calloc (two arguments) in a random order; the stray store comes on the Nth C call only if the
    // sizes of all earlier calls sum to what this run asked: a call log that kept a window, dropped a kind of call or
    // changed an argument replays to no store, and the report loses its line.
    const rng = mulberry32(11);
    const ops: Op[] = [];
    const live: number[] = [];
    let calls = 0;
    let sizes = 0;
    let target = -1;
    for (let id = 0; ops.length < 3000; ) {
      const r = rng();
      if (r < 0.35 && live.length > 0) {
        ops.push({ kind: 'f', id: live.splice(randInt(rng, 0, live.length - 1), 1)[0]! });
        calls++;
        continue;
      }
      const op: Op = r < 0.8 ? { kind: 'a', id, size: randInt(rng, 1, 300) } : { kind: 'c', id, count: randInt(rng, 1, 9), size: randInt(rng, 1, 40) };
      ops.push(op);
      live.push(id++);
      calls++;
      sizes = (sizes + (op.kind === 'a' ? op.size : op.count * op.size)) >>> 0;
      if (ops.length > 2500 && op.kind === 'a' && target < 0) {
        target = ops.length - 1;
        break;
      }
    }
    const sub = await loadCSubmission(FILE, { cflags: [`-DLATE=${calls}`, `-DSUM=${sizes}u`] });
    const v = runOps(sub.instantiate({ seed: 3, limit: 1 << 22 }), ops);
    expect(v?.kind).toBe('segfault');
    expect(v?.op).toBe(target);
    const line = lineOf('if (late()) p[total + 40] = 5;');
    expect(v!.message).toContain(`segmentation fault in mm_malloc at past-heap-write.c:${line}\n`);
    expect(v!.message).toMatch(/write past the break/);
  }, 120_000);

  it('control: a correct allocator passes, directly and on the guarded build (no store of it is refused)', async () => {
    const sub = await loadCSubmission(path.join(FIXTURES, 'zoo', 'correct.c'));
    const ops = randomOps(7, 3000);
    expect(runOps(sub.instantiate({ seed: 5, limit: 1 << 22 }), ops)).toBeNull();
    // The guarded build runs the same trace to the same end: every store inside the stack, static data or heap.
    expect(runOps(guardedInstance(sub.spec, sub.compiled, { seed: 5, limit: 1 << 22 })!, ops)).toBeNull();
  }, 120_000);
});
