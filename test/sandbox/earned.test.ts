/**
 * [slow] Nothing earned is lost: a submission that passes its first check and
 * then loops forever in the next, stopped by a small overall CPU-time limit (the
 * per-call limit is set far above it), keeps the points of the first check;
 * the second is marked not run with the reason. The journal has the first
 * check's record as it completed, and `--resume` of a batch killed after it
 * runs only what the journal lacks.
 */
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readJournal } from '../../harness/batch/journal.ts';
import { runBatch } from '../../harness/batch/run-batch.ts';
import { probeSandbox } from '../../harness/bwrap/probe.ts';
import { unconfinedForTests } from '../../harness/trust/policy.ts';

const EARNED = fileURLToPath(new URL('../fixtures/attacks-os/earned', import.meta.url));
const sandbox = probeSandbox().ok ? ('required' as const) : ('off' as const);
// One worker runs the checks in order; the per-call limit is far above the overall CPU limit, and the loop reaches that limit
// (10 s of CPU, the child's start-up included) long before the check's own wall-clock limit (60 s) on any machine.
const choices = { checks: ['alignment', 'churn'], overrides: { callTimeoutMs: 600_000 } };
const quiet = { write: () => {}, isTTY: false };

describe.skipIf(process.env.HEAPGRADE_SKIP_SLOW === '1')('[slow] nothing earned is lost', () => {
  it('a submission stopped at its overall limit keeps the checks it passed, and the rest are not run', async () => {
    const out = await mkdtemp(join(tmpdir(), 'heapgrade-earned-'));
    // Unconfined (trusted test switch), so unmetered: only the overall limit can stop its endless loop (metered code would be a step-budget timeout at its call).
    await runBatch({ dir: EARNED, out, mode: 'test', jobs: 1, timeoutMs: 10_000, memoryMb: 512, sandbox, choices, progress: quiet, unconfined: unconfinedForTests('only the overall limit may stop its endless loop') });
    const lines = readFileSync(join(out, 'journal.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    // The first check went to the journal as it completed, before the submission's final line.
    const progressAt = lines.findIndex((l) => l.progress === 'check' && (l.result as { name: string }).name === 'alignment');
    const finalAt = lines.findIndex((l) => l.id === 'hang-later' && l.progress === undefined);
    expect(progressAt).toBeGreaterThan(0);
    expect(finalAt).toBeGreaterThan(progressAt);
    const r = readJournal(join(out, 'journal.jsonl')).entries.get('hang-later')!.result;
    expect(r.outcome).toBe('timeout');
    expect(r.partial).toBe(true);
    expect(r.report!.checks.map((c) => [c.name, c.status, c.points, c.notRun === undefined ? 'ran' : 'not run'])).toStrictEqual([
      ['alignment', 'pass', 8, 'ran'],
      ['churn', 'fail', 0, 'not run'],
    ]);
    expect(r.report!.checks[1]!.notRun).toMatch(/the grading process used more than 10 s of CPU; the process tree was killed/);
    const csv = readFileSync(join(out, 'gradebook.csv'), 'utf8');
    expect(csv.split('\n')[1]).toMatch(/^hang-later,fail,timeout,8,8,/);
  }, 300_000);

  it('--resume runs only the checks the journal lacks, and the report has both', async () => {
    // A batch killed after the first check of this submission: its journal has that check's record only.
    const root = await mkdtemp(join(tmpdir(), 'heapgrade-earned-resume-'));
    const dir = join(root, 'subs');
    mkdirSync(dir);
    copyFileSync(join(EARNED, 'hang-later.ts'), join(dir, 'hang-later.ts'));
    writeFileSync(join(dir, 'hang-later.ts'), readFileSync(join(dir, 'hang-later.ts'), 'utf8').replaceAll("'../../../../", `'${fileURLToPath(new URL('../../', import.meta.url))}`));
    const out = join(root, 'out');
    mkdirSync(out);
    const earned = { name: 'alignment', description: '', points: 8, maxPoints: 8, status: 'pass', violations: [], ops: 10, durationMs: 5 };
    writeFileSync(
      join(out, 'journal.jsonl'),
      `${JSON.stringify({ journal: 1, mode: 'test', config: null, startedAt: 'earlier' })}\n${JSON.stringify({ id: 'hang-later', progress: 'check', result: earned })}\n`,
    );
    await runBatch({ dir, out, mode: 'test', jobs: 1, timeoutMs: 60_000, memoryMb: 512, sandbox, choices, resume: true, progress: quiet });
    const lines = readFileSync(join(out, 'journal.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { progress?: string; result?: { name?: string } });
    // Only churn ran (in this run, churn makes the allocator's first instance, which does not hang).
    expect(lines.filter((l) => l.progress === 'check').map((l) => l.result!.name)).toStrictEqual(['alignment', 'churn']);
    const r = readJournal(join(out, 'journal.jsonl')).entries.get('hang-later')!.result;
    expect(r.outcome).toBe('graded');
    expect(r.status).toBe('pass');
    expect(r.report!.checks.map((c) => [c.name, c.points])).toStrictEqual([
      ['alignment', 8],
      ['churn', 12],
    ]);
  }, 300_000);
});
