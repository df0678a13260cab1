/**
 * Grade's workload lanes replay on the check workers (check-lanes.ts
 * keepWorkers, WatchedWorker.handOver, IsolatedReplayer's `worker`): the
 * replay runs in the very thread that ran the checks, its answer is the one
 * a fresh trace worker gives, and the ops travel packed (ops-wire.ts) with
 * every field exact.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { resolveCheckerOptions } from '../../harness/checker/options.ts';
import { runTests } from '../../harness/runner/run-tests.ts';
import { gradeSubmission } from '../../harness/grade/grade.ts';
import { IsolatedReplayer } from '../../harness/runner/isolated-replayer.ts';
import { packOps, unpackOps } from '../../harness/runner/ops-wire.ts';
import type { WatchedWorker } from '../../harness/runner/watched-worker.ts';
import type { Op } from '../../harness/trace/types.ts';

const fixture = fileURLToPath(new URL('../fixtures/runner/says-its-thread.ts', import.meta.url));
const log = join(mkdtempSync(join(tmpdir(), 'handover-')), 'threads');
/** The threads that made an instance since the last call (the fixture logs each). */
const threadsSince = (): string[] => {
  const lines = readFileSync(log, 'utf8').split('\n').filter(Boolean);
  writeFileSync(log, '');
  return lines;
};

const OPS: Op[] = [
  { kind: 'a', id: 0, size: 24 },
  { kind: 'c', id: 1, count: 3, size: 40 },
  { kind: 'r', id: 0, size: 100 },
  { kind: 'f', id: -1 },
  { kind: 'a', id: 2, size: 36_500_000_000 }, // past a 32-bit size_t: the answer is NULL
  { kind: 'f', id: 1 },
  { kind: 'r', id: 7, size: 5 }, // realloc(NULL, 5)
  { kind: 'f', id: 0 },
];

describe('ops wire', () => {
  it('gives back every op with its kind, fields and field order, huge sizes and free(NULL) included', () => {
    const back = unpackOps(packOps(OPS));
    expect(back).toEqual(OPS);
    expect(back.map((op) => Object.keys(op))).toEqual(OPS.map((op) => Object.keys(op)));
  });

  it('refuses a buffer that is not ops', () => {
    expect(() => unpackOps(new Float64Array([120, 0, 0, 0]))).toThrow(/op 0 has kind code 120/);
    expect(() => unpackOps(new Float64Array(5))).toThrow(/not 4 per op/);
  });
});

describe('check workers handed to workload lanes', () => {
  it('replay in the thread that ran the checks, with the answer a fresh trace worker gives', async () => {
    process.env['HEAPGRADE_TEST_THREAD_LOG'] = log;
    writeFileSync(log, '');
    let kept: WatchedWorker[] = [];
    const report = await runTests(fixture, { checks: ['free-null', 'zero-size'], jobs: 1, confine: false, keepWorkers: (w) => (kept = w) });
    expect(report.checks.map((c) => c.status)).toEqual(['pass', 'pass']);
    expect(kept).toHaveLength(1);
    const checkThreads = new Set(threadsSince());
    expect(checkThreads.size).toBe(1);

    const request = { seed: 1, limit: 1 << 20, checker: resolveCheckerOptions({}) };
    const handed = new IsolatedReplayer(fixture, { confine: false, worker: kept[0]! });
    const fresh = new IsolatedReplayer(fixture, { confine: false });
    try {
      const onHanded = await handed.replay(OPS, request);
      // The handed worker answers, in the checks' thread; a replayer without one starts its own.
      expect(threadsSince()).toEqual([...checkThreads]);
      const onFresh = await fresh.replay(OPS, request);
      const freshThreads = threadsSince();
      expect(freshThreads).toHaveLength(1);
      expect(checkThreads.has(freshThreads[0]!)).toBe(false);
      const { output: _a, ...a } = onHanded;
      const { output: _b, ...b } = onFresh;
      expect(a.violation ?? undefined).toBeUndefined();
      expect(a.ops).toBe(OPS.length);
      expect(a).toEqual(b);
    } finally {
      delete process.env['HEAPGRADE_TEST_THREAD_LOG'];
      await Promise.all([handed.close(), fresh.close()]);
    }
  }, 120_000);

  it('are not kept when the submission fails to load', async () => {
    let kept: WatchedWorker[] | undefined;
    const atLoad = fileURLToPath(new URL('../fixtures/runner/exits-at-load.ts', import.meta.url));
    const report = await runTests(atLoad, { checks: ['free-null'], jobs: 1, confine: false, keepWorkers: (w) => (kept = w) });
    expect(report.error).toMatch(/loading the submission ended its thread/);
    expect(kept).toBeUndefined();
  }, 120_000);

  it('not for a TypeScript grade: its blocks live in the JavaScript heap, whose cap differs (2 GiB in a check worker)', async () => {
    process.env['HEAPGRADE_TEST_THREAD_LOG'] = log;
    writeFileSync(log, '');
    try {
      const report = await gradeSubmission(fixture, { confine: false, checks: ['free-null'], workloads: ['coalescing'], jobs: 1 });
      expect(report.workloads.map((w) => w.status)).toEqual(['pass']);
      const threads = threadsSince();
      // The check's instance, then the workload's: in two threads.
      expect(threads).toHaveLength(2);
      expect(threads[1]).not.toBe(threads[0]);
    } finally {
      delete process.env['HEAPGRADE_TEST_THREAD_LOG'];
    }
  }, 120_000);
});
