/**
 * Reads past the break. The wasm heap traps only at the end of linear memory,
 * which is the 64 KiB page holding brk, so a read at or past brk goes unseen
 * unless brk sits exactly on a page boundary. The C reference once read the
 * word at brk on every heap extension (tiny-blocks caught it at call #2250).
 *
 * Two regressions: the tiny-blocks check replayed as the CLI runs it, and a
 * heap filled to the byte with a limit chosen so that the full heap ends on a
 * wasm page: from then on any read at brk traps, whatever the seed.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveCheckerOptions } from '../../harness/checker/options.ts';
import type { LoadedSubmission } from '../../harness/contract/instance.ts';
import { DEFAULT_HEAP_LIMIT } from '../../harness/heap/sim-heap.ts';
import { checkSeed, type CheckRunOptions } from '../../harness/runner/check-runner.ts';
import { replayChecked } from '../../harness/replay/replay.ts';
import type { Op } from '../../harness/trace/types.ts';
import { loadCSubmission } from '../../harness/wasm/load.ts';
import { C_REFERENCE_ALLOCATORS } from '../../reference/c/index.ts';
import { findCheck } from '../../suites/correctness/index.ts';
import { FIXTURES, runOps } from './helpers.ts';

const WASM_PAGE = 65536;

async function reference(name: 'reference-c' | 'dlmalloc'): Promise<LoadedSubmission> {
  return C_REFERENCE_ALLOCATORS.find((r) => r.name === name)!.load();
}

/** Tiny blocks until the heap is full, some freed and refilled, the rest freed. */
function fillOps(blocks: number): Op[] {
  const ops: Op[] = [];
  for (let id = 0; id < blocks; id++) ops.push({ kind: 'a', id, size: (id % 12) + 1 });
  for (let id = 0; id < blocks; id += 2) ops.push({ kind: 'f', id });
  for (let id = blocks; id < blocks + blocks / 4; id++) ops.push({ kind: 'a', id, size: 8 });
  for (let id = 1; id < blocks + blocks / 4; id += id < blocks ? 2 : 1) ops.push({ kind: 'f', id });
  return ops;
}

/** tiny-blocks as it was when it caught the C reference reading past the break (call #2250). */
function eightThousandTinyBlocks(): Op[] {
  const ops: Op[] = [];
  const ids: number[] = [];
  let next = 0;
  for (let i = 0; i < 8000; i++) {
    ops.push({ kind: 'a', id: next, size: (i % 16) + 1 });
    ids.push(next++);
  }
  for (let i = 0; i < ids.length; i += 2) ops.push({ kind: 'f', id: ids[i]! });
  for (let i = 0; i < 2000; i++) {
    ops.push({ kind: 'a', id: next, size: ((i * 7) % 16) + 1 });
    ids.push(next++);
  }
  for (let i = 1; i < ids.length; i += 2) ops.push({ kind: 'f', id: ids[i]! });
  return ops;
}

/** A heap limit that makes a full heap end exactly on a wasm page, for this seed's base. */
function pageEndingLimit(loaded: LoadedSubmission, seed: number): number {
  const { base } = loaded.instantiate({ seed, limit: WASM_PAGE }).heap;
  return 2 * WASM_PAGE - (base % WASM_PAGE);
}

describe('C allocators never read past the break', () => {
  it('the C reference passes the eight-thousand-block tiny-blocks trace that caught it, on the CLI\'s heaps', async () => {
    const loaded = await reference('reference-c');
    // tiny-blocks is now sized for O(n) allocators (a thousand blocks); the
    // trace that caught this bug crossed many more wasm pages, so it is kept here.
    const check = findCheck('tiny-blocks')!;
    // Seed 1 is the CLI's default; other seeds move the heap base, so brk crosses page boundaries at other calls.
    for (const seed of [1, 2, 3]) {
      const options: CheckRunOptions = { seed, limit: DEFAULT_HEAP_LIMIT, checker: resolveCheckerOptions({}) };
      const ops = eightThousandTinyBlocks();
      expect(ops.length).toBeGreaterThan(10_000);
      const instance = loaded.instantiate({ seed: checkSeed(seed, check), limit: DEFAULT_HEAP_LIMIT });
      const r = replayChecked(instance, ops, { checker: options.checker, snapshot: false });
      expect(r.violation, `seed ${seed}`).toBeNull();
    }
  });

  it.each([
    ['ref:reference-c', () => reference('reference-c')],
    ['ref:dlmalloc', () => reference('dlmalloc')],
    ['naive-malloclab.c', () => loadCSubmission(path.join(FIXTURES, 'naive-malloclab.c'))],
    ['libc-alloc.c', () => loadCSubmission(path.join(FIXTURES, 'libc-alloc.c'))],
    ['zoo/correct.c', () => loadCSubmission(path.join(FIXTURES, 'zoo/correct.c'))],
    ['student-template/c/mm.c', () => loadCSubmission(path.join(FIXTURES, '../../../student-template/c/mm.c'))],
  ])('%s keeps working when a full heap ends on a wasm page', async (_label, load) => {
    const loaded = await load();
    for (const seed of [1, 2]) {
      const limit = pageEndingLimit(loaded, seed);
      const instance = loaded.instantiate({ seed, limit });
      // More 1..12-byte blocks than fit: the heap fills up and the last calls get NULL.
      expect(runOps(instance, fillOps(limit / 8))).toBeNull();
      expect(instance.heap.stats.sbrkFailures).toBeGreaterThan(0);
    }
  });

  it('a read at the break traps once a full heap ends on a wasm page, and says where', async () => {
    const loaded = await loadCSubmission(path.join(FIXTURES, 'zoo/segfault-read-past-break.c'));
    // Unseen while brk sits inside a wasm page: the slack past brk reads as zero.
    expect(runOps(loaded.instantiate({ seed: 1, limit: 1 << 20 }), fillOps(64))).toBeNull();
    const limit = pageEndingLimit(loaded, 1);
    const v = runOps(loaded.instantiate({ seed: 1, limit }), fillOps(limit / 8));
    expect(v?.kind).toBe('segfault');
    expect(v!.message).toMatch(/segmentation fault in mm_malloc at zoo_base\.h:\d+\n[^]*out-of-bounds memory access at or past the break 0x[0-9a-f]+0000, /);
  });
});
