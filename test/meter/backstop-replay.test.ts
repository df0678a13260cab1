/**
 * `grade` workloads and `heapgrade trace` decide timeouts as `test` does:
 * the step budget is the per-call limit; a call the wall-clock backstop
 * stops is replayed once in a fresh worker, and a second stop is the kit's
 * error with its evidence (which call, how long each run had taken, the
 * budget that had not run out), never the student's fail. The same call
 * under a small step budget is the student's timeout.
 *
 * The fixture's slow call (slow-fifth.ts) is metered work that runs for
 * seconds on any machine against a 0.1 s backstop; nothing asserts on time.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { resolveCheckerOptions } from '../../harness/checker/options.ts';
import { resolveConfig } from '../../harness/config/load.ts';
import { gradeSubmission } from '../../harness/grade/grade.ts';
import { IsolatedReplayer } from '../../harness/runner/isolated-replayer.ts';
import { BackstopError } from '../../harness/runner/timeouts.ts';
import { runTraceSet } from '../../harness/trace-set/run-traces.ts';
import type { Op } from '../../harness/trace/types.ts';

const SLOW = fileURLToPath(new URL('../fixtures/meter/slow-fifth.ts', import.meta.url));
const BIG = { c: 1_000_000_000, ts: 1_000_000_000 };
const SMALL = { c: 1_000_000, ts: 1_000_000 };
const ops: Op[] = Array.from({ length: 8 }, (_, i) => ({ kind: 'a', id: i, size: 16 + i }));

describe('the wall-clock backstop in grade and trace', () => {
  it('a replay stopped twice within its step budget rejects with a BackstopError naming both stops', async () => {
    const replayer = new IsolatedReplayer(SLOW, { callTimeoutMs: 100 });
    try {
      const err = await replayer.replay(ops, { seed: 1, limit: 1 << 20, checker: resolveCheckerOptions({ stepBudget: BIG }) }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(BackstopError);
      expect((err as Error).message).toMatch(/^the wall-clock backstop \(100 ms per call\) stopped a call 2 times \(run 1: operation #4 stopped after \d+ ms; run 2: operation #4 stopped after \d+ ms\) before its step budget ran out \(1000000000 TypeScript steps/);
      // The replayer goes on: a fresh worker takes the next trace.
      const ok = await replayer.replay(ops.slice(0, 4), { seed: 1, limit: 1 << 20, checker: resolveCheckerOptions({ stepBudget: BIG }) });
      expect(ok.violation).toBeNull();
    } finally {
      await replayer.close();
    }
  }, 240_000);

  it('grade: the workload is the kit\'s error, not a fail; under a small budget it is the student\'s timeout', async () => {
    const graded = (stepBudget: typeof BIG, callTimeoutMs: number) =>
      gradeSubmission(SLOW, { config: resolveConfig({ speed: 'cost', stepBudget, callTimeoutMs }), workloads: ['coalescing'], skipChecks: true, jobs: 1 });
    const stalled = await graded(BIG, 100);
    const w = stalled.workloads[0]!;
    expect(w.status).toBe('error');
    expect(w.reason).toMatch(/the wall-clock backstop \(100 ms per call\) stopped a call 2 times .*heapgrade problem, not a verdict on your allocator/);
    expect(w.violations ?? []).toEqual([]);
    expect(stalled.status).toBe('error');
    const budgeted = await graded(SMALL, 600_000);
    const b = budgeted.workloads[0]!;
    expect(b.status).toBe('fail');
    expect(b.violations?.[0]).toMatchObject({ kind: 'timeout' });
    expect(b.violations?.[0]!.message).toMatch(/budget of 1,000,000 steps/);
  }, 240_000);

  it('heapgrade trace: the row is the kit\'s error, the other traces still run', async () => {
    const r = await runTraceSet(SLOW, [{ name: 'slow', file: 'slow.rep', ops }, { name: 'short', file: 'short.rep', ops: ops.slice(0, 4) }], {
      seed: 1,
      limit: 1 << 20,
      checker: { stepBudget: BIG },
      callTimeoutMs: 100,
    });
    expect(r.rows.map((x) => x.status)).toEqual(['error', 'pass']);
    expect(r.rows[0]!.error).toMatch(/stopped a call 2 times/);
  }, 240_000);

  it('a replay whose loading the backstop stops twice rejects with a BackstopError about loading', async () => {
    const replayer = new IsolatedReplayer('ref:reference', { loadTimeoutMs: 1 });
    try {
      const err = await replayer.replay(ops, { seed: 1, limit: 1 << 20, checker: resolveCheckerOptions({}) }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(BackstopError);
      expect((err as Error).message).toMatch(/ref:reference: the wall-clock backstop \(0.001 s to load\) stopped loading the submission 2 times/);
    } finally {
      await replayer.close();
    }
  }, 240_000);
});
