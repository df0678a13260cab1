/**
 * A batch's rough edges: one name per protection in the gradebook; an ETA
 * that, once estimated, only moves towards the end (and not "0s" while the
 * last ones run); a compiler error kept as lines in the per-student text;
 * `--resume` that grades late submissions and says which; a summary that
 * mentions kit failures only when there are some; Ctrl-C that says how to
 * resume.
 */
import { execa } from 'execa';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { gradebookRow } from '../../harness/batch/gradebook.ts';
import type { JournalEntry } from '../../harness/batch/journal.ts';
import { BatchProgress } from '../../harness/batch/progress.ts';
import { runBatch } from '../../harness/batch/run-batch.ts';
import { studentText } from '../../harness/batch/student-report.ts';
import type { IsolatedResult } from '../../harness/isolation/run-isolated.ts';
import { GRADING_SANDBOX } from '../helpers/sandbox.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI = fileURLToPath(new URL('./helpers/cli.ts', import.meta.url));
const PASS = fileURLToPath(new URL('../fixtures/batch/subs/pass.ts', import.meta.url));

const entry = (result: Partial<IsolatedResult>): JournalEntry => ({
  id: 'ana',
  finishedAt: '2026-01-01T00:00:00Z',
  result: { spec: 'ana', mode: 'test', outcome: 'graded', status: 'pass', detail: 'graded: pass', durationMs: 1, peakRssMb: 1, stdout: '', stderr: '', ...result },
});

describe('batch rough edges (units)', () => {
  it('names each protection once in the gradebook', () => {
    const shared = gradebookRow(entry({ protections: { osSandbox: 'bubblewrap', user: 'nobody', memoryLimit: 'cgroup-v1', pids: 'cgroup-v1', network: 'none', filesystem: 'kit and own submission, read-only' } }));
    expect(shared.protections).toBe('bubblewrap nobody cgroup-v1 network-none');
    const apart = gradebookRow(entry({ protections: { osSandbox: 'none', user: 'root', memoryLimit: 'rlimit', pids: 'none', network: 'host', filesystem: 'host' } }));
    expect(apart.protections).toBe('none root memory-rlimit pids-none network-host');
  });

  it('keeps a compiler error as lines in the text report', () => {
    const clang = "mm.c:3:9: error: expected ';' after expression\n    3 |   int x\n      |        ^";
    const text = studentText(entry({ outcome: 'load-failed', status: 'fail', detail: clang }));
    expect(text).toContain("Outcome: load-failed — mm.c:3:9: error: expected ';' after expression\n");
    expect(text).toContain('\n      3 |   int x\n        |        ^\n');
  });

  it('the ETA is "estimating…" until one finishes, then only moves towards the end, and is not 0 while submissions still run', () => {
    let now = 0;
    const p = new BatchProgress(6, 0, { write: () => {}, isTTY: false }, () => now);
    const shown: number[] = [];
    const eta = (): number => {
      const m = /ETA (?:(\d+)m)?(\d+)s/.exec(p.line());
      return m ? Number(m[1] ?? 0) * 60 + Number(m[2]) : NaN;
    };
    p.begin('a');
    // While the first runs: no figure to climb with its time.
    for (now = 0; now < 10_000; now += 2500) expect(p.line()).toContain('ETA estimating…');
    now = 10_000;
    p.finished('a', 'pass', 'graded', 1, 10_000);
    for (const id of ['b', 'c', 'd', 'e', 'f']) p.begin(id);
    for (let t = 10_000; t <= 60_000; t += 5000) {
      now = t;
      if (t === 40_000) p.finished('b', 'pass', 'graded', 1, 30_000); // a slow one raises the mean: the shown ETA does not rise
      shown.push(eta());
    }
    for (let i = 1; i < shown.length; i++) expect(shown[i], `${shown}`).toBeLessThanOrEqual(shown[i - 1]!);
    expect(p.eta(), 'running ones past the mean still need time').toBeGreaterThan(0);
  });
});

describe.skipIf(process.env.HEAPGRADE_SKIP_SLOW === '1')('[slow] batch rough edges (runs)', () => {
  it('--resume grades late submissions and names them; the summary mentions kit failures only when there are some', async () => {
    const work = mkdtempSync(join(tmpdir(), 'heapgrade-late-'));
    const subs = join(work, 'subs');
    mkdirSync(subs);
    const source = readFileSync(PASS, 'utf8').replace(/'(\.\.\/)+reference\//g, `'${ROOT}reference/`);
    writeFileSync(join(subs, 'early.ts'), source);
    const args = [CLI, 'batch', subs, '--out', join(work, 'out'), '--jobs', '1', '--tests-only', '--check', 'alignment', '--timeout', '60', '--memory', '384', '--sandbox', GRADING_SANDBOX];
    const first = await execa('node', ['--import', 'tsx', ...args], { cwd: ROOT, reject: false });
    expect(first.exitCode, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/1 submissions: 1 pass, 0 fail, 0 error\n/);
    expect(first.stdout).not.toContain('kit failures');
    writeFileSync(join(subs, 'late.ts'), source);
    const lines: string[] = [];
    const summary = await runBatch({ dir: subs, out: join(work, 'out'), mode: 'test', resume: true, jobs: 1, timeoutMs: 60_000, memoryMb: 384, choices: { checks: ['alignment'] }, sandbox: GRADING_SANDBOX, progress: { write: (t) => void lines.push(t), isTTY: false } });
    expect(lines.join('')).toContain('resuming: 1 late submission added: late');
    expect([summary.total, summary.graded, summary.counts.pass]).toStrictEqual([2, 1, 2]);
    expect(readFileSync(join(work, 'out', 'gradebook.csv'), 'utf8')).toMatch(/^late,pass/m);
  }, 300_000);

  it('Ctrl-C says how to resume', async () => {
    const work = mkdtempSync(join(tmpdir(), 'heapgrade-sigint-'));
    const subs = join(work, 'subs');
    mkdirSync(subs);
    const source = readFileSync(PASS, 'utf8').replace(/'(\.\.\/)+reference\//g, `'${ROOT}reference/`);
    for (const id of ['s1', 's2', 's3']) writeFileSync(join(subs, `${id}.ts`), source);
    const out = join(work, 'out');
    const run = execa('node', ['--import', 'tsx', CLI, 'batch', subs, '--out', out, '--jobs', '1', '--tests-only', '--check', 'alignment,churn', '--sandbox', GRADING_SANDBOX], { cwd: ROOT, reject: false });
    // Interrupted once grading has begun (the journal exists).
    for (let i = 0; i < 600 && !existsSync(join(out, 'journal.jsonl')); i++) await new Promise((r) => setTimeout(r, 100));
    run.kill('SIGINT');
    const r = await run;
    expect(r.stderr).toContain('heapgrade: interrupted');
    expect(r.stderr).toMatch(new RegExp(`heapgrade batch ${subs} --out ${out} --resume`));
  }, 120_000);
});
