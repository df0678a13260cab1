/**
 * The check runner's lanes on the pool (runner/check-lanes.ts) with real
 * worker threads: a worker that dies in one check fails that check only, its
 * lane goes on in a fresh worker, and the report is the same on one lane as
 * on three (table order, same statuses and messages). A worker that dies
 * while the submission loads is a load failure, not a worker started again
 * forever. The fixtures end their own thread, which only unconfined code
 * can (confine: false, a trusted caller's option).
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runTests } from '../../harness/runner/run-tests.ts';
import type { CheckResult } from '../../harness/report/types.ts';

const fixture = (name: string): string => fileURLToPath(new URL(`../fixtures/runner/${name}`, import.meta.url));
const CHECKS = ['alignment', 'calloc-dirty', 'zero-size', 'calloc-overflow', 'free-null', 'realloc'];
const summary = (c: CheckResult) => [c.name, c.status, c.violations.map((v) => v.message.replace(/\(around op \d+\)/, '(around op N)'))];

describe('check lanes', () => {
  it('a thread that dies in calloc fails the checks that call it only; one lane and three give the same report', async () => {
    const seen: string[] = [];
    const one = await runTests(fixture('exits-in-calloc.ts'), { checks: CHECKS, jobs: 1, confine: false });
    const three = await runTests(fixture('exits-in-calloc.ts'), { checks: CHECKS, jobs: 3, confine: false, onResult: (r) => seen.push(r.name) });
    expect(one.error).toBeUndefined();
    expect(one.checks.map((c) => c.name)).toEqual(CHECKS);
    // Every check that calls calloc (alignment and zero-size do too) lost its thread, and says so at its call.
    for (const name of ['alignment', 'calloc-dirty', 'zero-size', 'calloc-overflow']) {
      const c = one.checks.find((x) => x.name === name)!;
      expect(c.status, name).toBe('fail');
      expect(c.violations.map((v) => v.message), name).toEqual([expect.stringMatching(/^the check's thread died: it exited \(around op \d+\)$/)]);
    }
    // The checks after the dead ones ran in fresh workers on the same lane and kept their own results.
    for (const name of ['free-null', 'realloc']) expect(one.checks.find((c) => c.name === name)?.status, name).toBe('pass');
    expect(three.checks.map(summary)).toEqual(one.checks.map(summary));
    expect([...seen].sort()).toEqual([...CHECKS].sort());
  }, 240_000);

  it('a thread that dies while the submission loads is a load failure with no checks', async () => {
    const r = await runTests(fixture('exits-at-load.ts'), { checks: CHECKS, jobs: 2, confine: false });
    expect(r.status).toBe('fail');
    expect(r.checks).toEqual([]);
    expect(r.error).toMatch(/exits-at-load\.ts: loading the submission ended its thread/);
  }, 120_000);
});
