import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { resolveCheckerOptions } from '../../harness/checker/options.ts';
import { loadSubmission } from '../../harness/loader/load.ts';
import { propertyCheckResult, saveRepro } from '../../harness/property/save.ts';
import { searchForFailure, type SearchOptions } from '../../harness/property/search.ts';
import { renumberIds } from '../../harness/property/renumber.ts';
import { replayChecked } from '../../harness/replay/replay.ts';
import { parseRep } from '../../harness/trace/parse.ts';

const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
// A generous time limit: the searches below end in well under a second; the limit only guards a hang.
const options = (seed: number): SearchOptions => ({ seed, timeLimitMs: 20_000, numRuns: 300, stepBudget: 100_000_000, checker: resolveCheckerOptions(), limit: 1 << 22 });

describe('searchForFailure', () => {
  it('finds the realloc-after-free corruption and shrinks it to a few ops that reproduce', async () => {
    // Arrange
    const loaded = await loadSubmission(fixture('realloc-after-free.ts'));
    // Act
    const r = searchForFailure(loaded, options(1));
    // Assert
    if (r.status !== 'fail') throw new Error('expected the search to find the bug');
    expect(r.violation.kind).toBe('payload-corrupted');
    expect(r.trace.length).toBeLessThanOrEqual(6);
    expect(r.trace.some((op) => op.kind === 'f')).toBe(true);
    expect(r.trace.at(-1)?.kind).toBe('r');
    const again = replayChecked(loaded.instantiate({ seed: 1, limit: 1 << 22 }), r.trace, { checker: resolveCheckerOptions() });
    expect(again.violation?.kind).toBe('payload-corrupted');
  });

  it('shrinks an overflowing calloc to the one call', async () => {
    const loaded = await loadSubmission(fixture('calloc-no-overflow-check.ts'));
    const r = searchForFailure(loaded, options(2));
    if (r.status !== 'fail') throw new Error('expected the search to find the bug');
    expect(r.violation.kind).toBe('calloc-overflow');
    expect(r.trace).toHaveLength(1);
    expect(r.trace[0]?.kind).toBe('c');
  });

  it('gives the same answer for the same seed, and replays from seed and path', async () => {
    const loaded = await loadSubmission(fixture('realloc-after-free.ts'));
    const a = searchForFailure(loaded, options(2));
    const b = searchForFailure(loaded, options(2));
    expect(b).toStrictEqual(a);
    if (a.status !== 'fail') throw new Error('expected a failure');
    expect(a.replayPath).toMatch(/^[A-Za-z0-9+/:=]+$/);
    const replayed = searchForFailure(loaded, { ...options(2), path: a.path, ...(a.replayPath ? { replayPath: a.replayPath } : {}) });
    expect(replayed.status === 'fail' && replayed.trace).toStrictEqual(a.trace);
  });

  it('passes the reference allocator', async () => {
    const r = searchForFailure(await loadSubmission('ref:reference'), { ...options(3), numRuns: 150 });
    expect(r).toMatchObject({ status: 'pass', seed: 3, runs: 150, stoppedBy: 'runs' });
  });
});

describe('saving the repro', () => {
  it('writes a .rep that parses back to the shrunk trace, with the replay command and a check result', async () => {
    const spec = fixture('realloc-after-free.ts');
    const r = searchForFailure(await loadSubmission(spec), options(1));
    if (r.status !== 'fail') throw new Error('expected a failure');
    const dir = mkdtempSync(path.join(tmpdir(), 'hg-prop-'));
    const saved = saveRepro(r, spec, dir);
    const abs = path.resolve(saved.file);
    expect(abs).toBe(path.join(dir, 'property-payload-corrupted-seed1.rep'));
    expect(parseRep(readFileSync(abs, 'utf8'), abs).ops).toStrictEqual(r.trace);
    expect(saved.command).toBe(`npx heapgrade trace ${saved.file} ${spec}`);
    const check = propertyCheckResult(r, 5, saved);
    expect(check).toMatchObject({ name: 'property-search', status: 'fail', seed: 1, replay: saved.command, ops: r.trace.length });
    expect(check.violations[0]?.repro).toStrictEqual(r.trace);
  });
});

describe('renumberIds', () => {
  it('numbers ids by first appearance and keeps free(NULL)', () => {
    expect(
      renumberIds([
        { kind: 'a', id: 7, size: 1 },
        { kind: 'f', id: -1 },
        { kind: 'r', id: 3, size: 2 },
        { kind: 'f', id: 7 },
        { kind: 'c', id: 9, count: 1, size: 1 },
      ]),
    ).toStrictEqual([
      { kind: 'a', id: 0, size: 1 },
      { kind: 'f', id: -1 },
      { kind: 'r', id: 1, size: 2 },
      { kind: 'f', id: 0 },
      { kind: 'c', id: 2, count: 1, size: 1 },
    ]);
  });
});

describe('runPropertyCheck', () => {
  it('loads, searches and saves the repro in one call', async () => {
    const { runPropertyCheck } = await import('../../harness/property/check.ts');
    const dir = mkdtempSync(path.join(tmpdir(), 'hg-prop-'));
    const c = await runPropertyCheck(fixture('calloc-no-overflow-check.ts'), { ...options(2), reproDir: dir, points: 5 });
    expect(c).toMatchObject({ name: 'property-search', status: 'fail', points: 0, maxPoints: 5, ops: 1 });
    expect(c.replay).toMatch(/^npx heapgrade trace .*property-calloc-overflow-seed2\.rep .*calloc-no-overflow-check\.ts$/);
    const pass = await runPropertyCheck('ref:reference', { ...options(3), numRuns: 50, reproDir: dir, points: 5 });
    expect(pass).toMatchObject({ status: 'pass', points: 5, maxPoints: 5 });
  });
});

describe('how far the search goes', () => {
  it('is decided by the step budget, not the clock: the same runs on every call, and the report says what stopped it', async () => {
    // ref:first-fit spends about 24 M steps in 1000 runs: a 2 M budget stops it early, at a fixed point.
    const loaded = await loadSubmission('ref:first-fit');
    const bounded = { seed: 5, timeLimitMs: 600_000, numRuns: 1000, stepBudget: 2_000_000, checker: resolveCheckerOptions(), limit: 1 << 22 };
    const a = searchForFailure(loaded, bounded);
    const b = searchForFailure(loaded, bounded);
    if (a.status !== 'pass' || b.status !== 'pass') throw new Error('first-fit has no bug to find');
    expect(a.stoppedBy).toBe('steps');
    expect(a.runs).toBeGreaterThan(10);
    expect(a.runs).toBeLessThan(1000);
    expect(b.runs).toBe(a.runs);
    expect(b.steps).toBe(a.steps);
    const row = propertyCheckResult(a, 0);
    expect(row.search).toEqual({ runs: a.runs, steps: Math.round(a.steps), stoppedBy: 'steps' });
    // With the budget out of the way every run is made.
    const all = searchForFailure(loaded, { ...bounded, numRuns: 200, stepBudget: 1e12 });
    expect(all.status === 'pass' && all.stoppedBy).toBe('runs');
    expect(all.runs).toBe(200);
  });
});
