/**
 * [slow] The grade drift measured in issue 18, each reproduced through the
 * real CLI in a real child: a front end that hands its child less than the
 * rules (a profile, a configuration) grades by other rules than `heapgrade
 * test` in this process. Skip with HEAPGRADE_SKIP_SLOW=1.
 */
import { execa } from 'execa';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readJournal } from '../../harness/batch/journal.ts';
import { runBatch } from '../../harness/batch/run-batch.ts';
import type { CheckResult, GradeReport, TestReport, WorkloadResult } from '../../harness/report/types.ts';

const BIN = fileURLToPath(new URL('../../scripts/heapgrade.mjs', import.meta.url));
const TEMPLATE_C = fileURLToPath(new URL('../../student-template/c/mm.c', import.meta.url));
const MM_2002 = fileURLToPath(new URL('../fixtures/c/handouts/malloclab-2002/mm.c', import.meta.url));
const cli = (args: string[], cwd: string) => execa('node', [BIN, ...args], { reject: false, cwd, env: { NO_COLOR: '1', PATH: process.env.PATH ?? '' } });
// alignment: 8 bytes under the 2002 handout, 16 by default; free-null: beyond the 2002 handout, a failure by default.
const CHECKS = ['--check', 'alignment,free-null'];

/** What must be the same in every front end: per check, its status, points and beyond-handout flag. */
const verdicts = (checks: readonly CheckResult[]) => checks.map((c) => ({ name: c.name, status: c.status, points: c.points, maxPoints: c.maxPoints, beyond: c.beyondHandout === true }));

async function workdir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'heapgrade-drift-'));
  mkdirSync(join(dir, 'subs'));
  copyFileSync(MM_2002, join(dir, 'subs', 'student.c'));
  return dir;
}

describe.skipIf(process.env.HEAPGRADE_SKIP_SLOW === '1')('[slow] every front end grades a 2002 mm.c by the same rules', () => {
  it('batch --tests-only --profile malloclab-2002 grades by the 2002 rules, as test --profile does', async () => {
    const dir = await workdir();
    const file = join(dir, 'subs', 'student.c');
    const direct = await cli(['test', file, '--profile', 'malloclab-2002', ...CHECKS, '--json'], dir);
    const expected = JSON.parse(direct.stdout) as TestReport;
    // The 2002 rules: 8-byte alignment passes, free(NULL) is beyond the handout (0 points, never a failure).
    expect(verdicts(expected.checks)).toStrictEqual([
      { name: 'alignment', status: 'pass', points: 8, maxPoints: 8, beyond: false },
      { name: 'free-null', status: 'pass', points: 0, maxPoints: 0, beyond: true },
    ]);

    const batch = await cli(['batch', join(dir, 'subs'), '--out', join(dir, 'out'), '--tests-only', '--profile', 'malloclab-2002', ...CHECKS, '--jobs', '1', '--sandbox', 'off'], dir);
    expect(batch.exitCode, batch.stderr).toBe(0);
    const student = JSON.parse(readFileSync(join(dir, 'out', 'students', 'student.json'), 'utf8')) as { report: TestReport };
    expect(verdicts(student.report.checks)).toStrictEqual(verdicts(expected.checks));
  }, 300_000);

  it('test --sandbox grades by ./heapgrade.config.json (profile and points), as test does', async () => {
    const dir = await workdir();
    writeFileSync(join(dir, 'heapgrade.config.json'), JSON.stringify({ profile: 'malloclab-2002', checks: { alignment: 20 } }));
    const file = join(dir, 'subs', 'student.c');
    const direct = JSON.parse((await cli(['test', file, ...CHECKS, '--json'], dir)).stdout) as TestReport;
    expect(verdicts(direct.checks)).toStrictEqual([
      { name: 'alignment', status: 'pass', points: 20, maxPoints: 20, beyond: false },
      { name: 'free-null', status: 'pass', points: 0, maxPoints: 0, beyond: true },
    ]);

    const sandboxed = await cli(['test', file, ...CHECKS, '--json', '--sandbox', 'off'], dir);
    expect(verdicts((JSON.parse(sandboxed.stdout) as TestReport).checks)).toStrictEqual(verdicts(direct.checks));
  }, 300_000);
});

/** Per workload: what must match between a straight run and a resumed one. */
const workloadVerdicts = (ws: readonly WorkloadResult[]) => ws.map((w) => ({ name: w.name, status: w.status, utilScore: w.utilScore, speedScore: w.speedScore }));
const quiet = { write: () => {}, isTTY: false };

describe.skipIf(process.env.HEAPGRADE_SKIP_SLOW === '1')('[slow] a batch stopped mid-submission and resumed', () => {
  it('grades a failing C submission exactly as a straight batch does: status, points, workloads, speed reference', async () => {
    // Arrange: the kit's own C template (it fails realloc-growth), three workloads, a points override.
    const root = await mkdtemp(join(tmpdir(), 'heapgrade-drift-resume-'));
    mkdirSync(join(root, 'subs'));
    copyFileSync(TEMPLATE_C, join(root, 'subs', 'student.c'));
    const config = join(root, 'config.json');
    writeFileSync(config, JSON.stringify({ onlyListedWorkloads: true, workloads: { binary: {}, coalescing: {}, 'realloc-growth': {} }, checks: { alignment: 20 } }));
    const batch = { dir: join(root, 'subs'), configPath: config, mode: 'grade' as const, timeoutMs: 600_000, memoryMb: 1024, sandbox: 'off' as const, progress: quiet };
    await runBatch({ ...batch, out: join(root, 'straight') });
    const straight = readJournal(join(root, 'straight', 'journal.jsonl')).entries.get('student')!.result;
    const full = straight.report as GradeReport;
    expect(straight.status).toBe('fail');
    expect(full.workloads.find((w) => w.name === 'realloc-growth')!.status).toBe('fail');

    // A batch killed mid-submission: its journal holds the first checks (as the child streamed them, before the
    // configuration's points) and the failed workload only.
    const stopped = join(root, 'resumed');
    mkdirSync(stopped);
    const header = { journal: 1, mode: 'grade', config, startedAt: 'earlier' };
    const streamedChecks = full.checks.slice(0, 5).map((c) => (c.name === 'alignment' ? { ...c, points: 8, maxPoints: 8 } : c));
    const lines = [header, ...streamedChecks.map((result) => ({ id: 'student', progress: 'check', result })), { id: 'student', progress: 'workload', result: full.workloads.find((w) => w.name === 'realloc-growth') }];
    writeFileSync(join(stopped, 'journal.jsonl'), lines.map((l) => `${JSON.stringify(l)}\n`).join(''));
    await runBatch({ ...batch, out: stopped, resume: true });
    const resumed = readJournal(join(stopped, 'journal.jsonl')).entries.get('student')!.result;
    const again = resumed.report as GradeReport;

    // Assert: the same grade as the straight run, and a finished run (not partial).
    expect(resumed.outcome).toBe('graded');
    expect(resumed.partial).toBeUndefined();
    expect(resumed.status).toBe(straight.status);
    expect(again.status).toBe(full.status);
    expect(verdicts(again.checks)).toStrictEqual(verdicts(full.checks));
    expect(workloadVerdicts(again.workloads)).toStrictEqual(workloadVerdicts(full.workloads));
    expect([again.score, again.correctness, again.breakdown]).toStrictEqual([full.score, full.correctness, full.breakdown]);
    expect(again.speedReference).toBe(full.speedReference);
    const row = (out: string) => readFileSync(join(root, out, 'gradebook.csv'), 'utf8').split('\n')[1]!.split(',').slice(0, 7);
    expect(row('resumed')).toStrictEqual(row('straight'));
  }, 600_000);
});
