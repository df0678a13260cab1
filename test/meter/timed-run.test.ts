/** With "speed": "wallclock", the timed runs are checked runs too: a structural violation there fails the measurement. */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadSubmission } from '../../harness/loader/load.ts';
import { measureThroughput } from '../../harness/scoring/throughput.ts';
import type { Op } from '../../harness/trace/types.ts';
import { randomOps } from '../wasm/helpers.ts';

const zoo = (n: string): string => fileURLToPath(new URL(`../fixtures/zoo/${n}.ts`, import.meta.url));
const fixture = (n: string): string => fileURLToPath(new URL(`../fixtures/meter/${n}.ts`, import.meta.url));
const opts = { rounds: 1, minSampleMs: 1, seed: 1, limit: 1 << 24, alignment: 16 };

describe('timed runs check the structural rules', () => {
  const ops: Op[] = randomOps(5, 300);
  it('a misaligned allocator fails in the timed run', async () => {
    const ref = await loadSubmission('ref:reference');
    const bad = await loadSubmission(zoo('misaligned'));
    expect(() => measureThroughput(ref, bad, ops, opts)).toThrow(/not 16-byte aligned \(in the timed run\)/);
  }, 120_000);

  it('an allocator that writes into live blocks fails on a sampled payload', async () => {
    const ref = await loadSubmission('ref:reference');
    const bad = await loadSubmission(fixture('poison-on-free'));
    expect(() => measureThroughput(ref, bad, ops, opts)).toThrow(/in the timed run/);
  }, 120_000);

  it('a correct allocator is timed as before', async () => {
    const ref = await loadSubmission('ref:reference');
    const r = measureThroughput(ref, await loadSubmission('ref:first-fit'), ops, opts);
    expect(r.ratio).toBeGreaterThan(0);
  }, 120_000);
});
