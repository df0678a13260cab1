/**
 * [slow] C submissions through isolation: a batch of a malloclab mm.c, a
 * libc-style alloc.c and one that does not compile; grade mode (which also
 * needs the C reference); `heapgrade gradescope` and `heapgrade classroom`
 * on C. The compile cache starts empty, so the compiler (clang as
 * WebAssembly, ~400 MB) must run in the compile service: a child that
 * started it would pass the 320 MB limit used here and be recorded as
 * out-of-memory. Skip with HEAPGRADE_SKIP_SLOW=1.
 */
import { copyFileSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readJournal, type JournalEntry } from '../../harness/batch/journal.ts';
import { runBatch, type BatchSummary } from '../../harness/batch/run-batch.ts';
import { CompileService } from '../../harness/isolation/compile-service.ts';
import { gradeIsolated } from '../../harness/isolation/run-isolated.ts';
import { runClassroom } from '../../harness/platform/run-classroom.ts';
import { graded, runGradescope } from '../../harness/platform/run-gradescope.ts';
import type { GradeReport } from '../../harness/report/types.ts';
import { parseCsv } from './helpers/csv-parse.ts';
import { GRADING_SANDBOX } from '../helpers/sandbox.ts';

const SUBS = fileURLToPath(new URL('../fixtures/batch/c-subs', import.meta.url));
const CONFIG = fileURLToPath(new URL('../fixtures/batch/config.json', import.meta.url));
const MEMORY_MB = 320;
const CHECKS = ['alignment', 'churn', 'calloc-dirty', 'realloc'];

describe.skipIf(process.env.HEAPGRADE_SKIP_SLOW === '1')('[slow] C submissions in isolation', () => {
  let tmp: string;
  let savedCacheDir: string | undefined;
  let summary: BatchSummary;
  let entries: Map<string, JournalEntry>;
  // One compiler start for the file: the batch and the grade-mode run share it.
  const service = new CompileService();

  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'heapgrade-c-batch-'));
    savedCacheDir = process.env.HEAPGRADE_CACHE_DIR;
    process.env.HEAPGRADE_CACHE_DIR = join(tmp, 'cache');
    summary = await runBatch({
      dir: SUBS,
      out: join(tmp, 'out'),
      mode: 'test',
      jobs: 2,
      timeoutMs: 60_000,
      memoryMb: MEMORY_MB,
      choices: { checks: CHECKS },
      progress: { write: () => {}, isTTY: false },
      compileService: service,
      sandbox: GRADING_SANDBOX,
    });
    entries = readJournal(join(tmp, 'out', 'journal.jsonl')).entries;
  }, 120_000);

  afterAll(() => {
    service.close();
    rmSync(tmp, { recursive: true, force: true });
    if (savedCacheDir === undefined) delete process.env.HEAPGRADE_CACHE_DIR;
    else process.env.HEAPGRADE_CACHE_DIR = savedCacheDir;
  });

  it('grades both correct allocators, compiled before their child started', () => {
    for (const id of ['lab', 'libc']) {
      const r = entries.get(id)!.result;
      expect({ id, outcome: r.outcome, status: r.status, detail: r.detail }).toStrictEqual({ id, outcome: 'graded', status: 'pass', detail: 'graded: pass' });
      expect(r.report?.checks.map((c) => c.name)).toStrictEqual(CHECKS);
      expect(r.compileMs, id).toBeGreaterThan(0);
    }
  });

  it('records a compile error as failed to load, with the compiler message, without starting a child', () => {
    const r = entries.get('broken')!.result;
    expect(r.outcome).toBe('load-failed');
    expect(r.status).toBe('fail');
    expect(r.detail).toContain('did not compile');
    expect(r.detail).toContain('broken.c:6:55: error: expected expression');
    expect(r.peakRssMb).toBe(0);
  });

  it('writes the gradebook and the student page of the compile error', () => {
    const [header, ...rows] = parseCsv(readFileSync(summary.gradebook, 'utf8'));
    expect(rows.map((r) => r.slice(0, 3))).toStrictEqual([
      ['broken', 'fail', 'load-failed'],
      ['lab', 'pass', 'graded'],
      ['libc', 'pass', 'graded'],
    ]);
    expect(header![3]).toBe('total');
    expect(readFileSync(join(summary.out, 'students', 'broken.txt'), 'utf8')).toContain('expected expression');
  });

  it('grades a C submission in grade mode, timed against the C reference', async () => {
    const r = await gradeIsolated(join(SUBS, 'lab'), {
      mode: 'grade',
      configPath: CONFIG,
      memoryMb: MEMORY_MB,
      timeoutMs: 90_000,
      compileService: service,
      // The checks ran in the batch above; what matters here is the workloads, timed against the C reference.
      choices: { skipChecks: true },
    });
    expect({ outcome: r.outcome, status: r.status }).toStrictEqual({ outcome: 'graded', status: 'pass' });
    const report = r.report as GradeReport;
    expect(report.workloads.map((w) => w.status)).toStrictEqual(['pass', 'pass']);
    expect(report.workloads.every((w) => w.throughput > 0)).toBe(true);
  }, 120_000);

  it('runs `heapgrade gradescope` on a submission folder holding mm.c', async () => {
    const submission = join(tmp, 'gradescope', 'submission');
    mkdirSync(submission, { recursive: true });
    copyFileSync(join(SUBS, 'lab', 'mm.c'), join(submission, 'mm.c'));
    const run = await runGradescope({
      submission,
      results: join(tmp, 'gradescope', 'results', 'results.json'),
      timeoutMs: 60_000,
      memoryMb: MEMORY_MB,
      outputFormat: 'md',
      mode: 'test',
      choices: { checks: CHECKS },
    });
    const { results, isolated } = graded(run);
    expect(isolated.outcome).toBe('graded');
    expect(results.extra_data).toMatchObject({ heapgrade_status: 'pass' });
    expect(results.tests?.length).toBeGreaterThan(0);
    expect(results.tests?.every((t) => t.status === 'passed')).toBe(true);
  }, 90_000);

  it('runs `heapgrade classroom` on a libc-style alloc.c', async () => {
    const printed: string[] = [];
    const run = await runClassroom({
      submission: join(SUBS, 'libc', 'alloc.c'),
      mode: 'test',
      timeoutMs: 60_000,
      memoryMb: MEMORY_MB,
      summaryFile: join(tmp, 'summary.md'),
      outputFile: join(tmp, 'github-output'),
      write: (t) => void printed.push(t),
      choices: { checks: CHECKS },
    });
    const { report, isolated } = run;
    expect(isolated?.outcome).toBe('graded');
    expect(report?.status).toBe('pass');
    expect(printed.join('')).toContain('heapgrade: graded (pass)');
    expect(readFileSync(join(tmp, 'github-output'), 'utf8')).toMatch(/^result=/);
  }, 90_000);
});
