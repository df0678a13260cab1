/**
 * The zoo of broken C allocators: each is caught with the right violation
 * kind on one short trace that exercises every bug.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ViolationKind } from '../../harness/checker/violation.ts';
import type { Op } from '../../harness/trace/types.ts';
import { loadCSubmission } from '../../harness/wasm/load.ts';
import { FIXTURES, runOps } from './helpers.ts';

const TRACE: Op[] = [
  { kind: 'a', id: 0, size: 100 },
  { kind: 'a', id: 1, size: 200 },
  { kind: 'f', id: 1 },
  { kind: 'c', id: 2, count: 10, size: 10 }, // reuses b1's dirty memory
  { kind: 'r', id: 0, size: 300 },
  { kind: 'f', id: -1 }, // free(NULL)
  { kind: 'a', id: 3, size: 555 },
  { kind: 'c', id: 4, count: 65536, size: 65537 }, // overflows size_t
  { kind: 'a', id: 5, size: 5000 },
  { kind: 'f', id: 0 },
  { kind: 'f', id: 2 },
  { kind: 'f', id: 3 },
  { kind: 'f', id: 5 },
];

const ZOO: [file: string, kind: ViolationKind, op: number, message?: RegExp][] = [
  ['misaligned', 'misaligned', 0],
  ['out-of-heap', 'out-of-heap', 0],
  ['overlap', 'overlap', 1],
  ['payload-corrupted', 'payload-corrupted', 4],
  ['calloc-not-zeroed', 'calloc-not-zeroed', 3],
  ['calloc-overflow', 'calloc-overflow', 7],
  ['realloc-data-lost', 'realloc-data-lost', 4],
  ['spurious-null', 'spurious-null', 8],
  ['segfault-oob', 'segfault', 6, /segmentation fault in mm_malloc at zoo_base\.h:\d+\n[^]*out-of-bounds/],
  ['segfault-past-break', 'segfault', 0, /past the break/],
  ['segfault-null-write', 'segfault', 5, /NULL/],
  ['threw-abort', 'threw', 6, /abort\(\) was called in mm_malloc at zoo_base\.h:\d+/],
  ['threw-assert', 'threw', 6, /assertion `size != 555` failed at .*zoo_base\.h:\d+ in mm_malloc\(\)/],
  ['threw-unreachable', 'threw', 6, /unreachable code reached in mm_malloc at zoo_base\.h:\d+/],
  ['threw-stack-overflow', 'threw', 6, /stack overflow in deep at zoo_base\.h:\d+/],
];

describe('the zoo of broken C allocators', () => {
  it.each(ZOO)('%s is caught as %s', async (file, kind, op, message) => {
    const sub = await loadCSubmission(path.join(FIXTURES, 'zoo', `${file}.c`));
    const v = runOps(sub.instantiate({ seed: 11, limit: 1 << 20 }), TRACE);
    expect(v, `expected ${kind}`).not.toBeNull();
    expect({ kind: v!.kind, op: v!.op }).toEqual({ kind, op });
    if (message) expect(v!.message).toMatch(message);
  });
});
