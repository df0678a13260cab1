/**
 * The reference's metered cost per op, stored on disk for a C reference
 * (harness/grade/reference-cost.ts): a stored cost is the metered one
 * exactly, a second process reads it instead of replaying, a different
 * trace or seed is a different entry, an unreadable entry is metered again
 * (never trusted), and a TypeScript reference (whose meter has no version
 * in a key) is never stored.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoadedSubmission } from '../../harness/contract/instance.ts';
import { referenceCost } from '../../harness/grade/reference-cost.ts';
import { loadSubmission } from '../../harness/loader/load.ts';
import { readTraceFile } from '../../harness/trace/parse.ts';
import type { Op } from '../../harness/trace/types.ts';

const TRACE = fileURLToPath(new URL('../../suites/workloads/traces/coalescing.rep', import.meta.url));
const LIMIT = 64 << 20;
let refC: LoadedSubmission;
let refTs: LoadedSubmission;
let ops: readonly Op[];
let dir: string;
const saved = process.env['HEAPGRADE_CACHE_DIR'];

beforeAll(async () => {
  // Loaded (compiled) with the usual cache; the costs then go to a folder of their own.
  refC = await loadSubmission('ref:reference-c');
  refTs = await loadSubmission('ref:reference');
  ops = (await readTraceFile(TRACE)).ops;
  dir = mkdtempSync(join(tmpdir(), 'hg-refcost-'));
  process.env['HEAPGRADE_CACHE_DIR'] = dir;
}, 300_000);

afterAll(() => {
  if (saved === undefined) delete process.env['HEAPGRADE_CACHE_DIR'];
  else process.env['HEAPGRADE_CACHE_DIR'] = saved;
});

const costFiles = (): string[] => readdirSync(dir).filter((f) => f.endsWith('.cost'));

describe('the reference cost, kept on disk', () => {
  it('stores the metered cost exactly, and a later read (another file name, as another process would) gets the same number', async () => {
    const metered = await referenceCost(refC, ops, 'first', { seed: 1, limit: LIMIT });
    expect(metered).toBeGreaterThan(0);
    expect(costFiles()).toHaveLength(1);
    expect(Number(readFileSync(join(dir, costFiles()[0]!), 'utf8'))).toBe(metered);
    // Proof that the second one is read, not metered: change the stored number, and the read returns it.
    writeFileSync(join(dir, costFiles()[0]!), String(metered * 2));
    expect(await referenceCost(refC, ops, 'second', { seed: 1, limit: LIMIT })).toBe(metered * 2);
    writeFileSync(join(dir, costFiles()[0]!), String(metered));
  });

  it('another seed, limit or trace is another entry; an unreadable entry is metered again', async () => {
    const before = costFiles().length;
    await referenceCost(refC, ops, 'seed', { seed: 2, limit: LIMIT });
    await referenceCost(refC, ops, 'limit', { seed: 1, limit: LIMIT / 2 });
    const shorter = ops.slice(0, ops.length - 2);
    await referenceCost(refC, shorter, 'shorter', { seed: 1, limit: LIMIT });
    expect(costFiles().length).toBe(before + 3);

    const truth = await referenceCost(refC, ops, 'truth', { seed: 1, limit: LIMIT });
    for (const f of costFiles()) writeFileSync(join(dir, f), 'not a number');
    expect(await referenceCost(refC, ops, 'after-garbage', { seed: 1, limit: LIMIT })).toBe(truth);
  });

  it('is never stored for a TypeScript reference', async () => {
    const before = costFiles().length;
    expect(await referenceCost(refTs, ops, 'ts', { seed: 1, limit: LIMIT })).toBeGreaterThan(0);
    expect(costFiles().length).toBe(before);
  });
});
