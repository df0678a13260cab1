/**
 * [slow] The front-end equivalence matrix (issue 18): the same three
 * submissions (a 2002-handout mm.c, a TypeScript allocator that passes, one
 * that fails) under one configuration (`profile: auto`, points overridden),
 * graded by every front end that runs checks, give identical per-check
 * statuses and points, totals and status; in grade mode, every front end
 * that grades (grade, batch, gradescope, classroom) gives the three the same
 * score, breakdown and workloads too. Real CLI processes and
 * real grading children; one run per front end for all three submissions
 * where the front end takes a folder. Skip with HEAPGRADE_SKIP_SLOW=1.
 */
import { execa } from 'execa';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { readJournal } from '../../harness/batch/journal.ts';
import { runClassroom } from '../../harness/platform/run-classroom.ts';
import { runGradescope } from '../../harness/platform/run-gradescope.ts';
import { earned } from '../../harness/report/earned.ts';
import type { CheckResult, GradeReport, TestReport } from '../../harness/report/types.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(ROOT, 'scripts', 'heapgrade.mjs');
const FIXTURES = join(ROOT, 'test', 'fixtures');
const CHECKS = ['alignment', 'free-null', 'churn', 'realloc'];
const SUBS = { c2002: 'c2002.c', pass: 'pass.ts', fail: 'fail.ts' } as const;
type Id = keyof typeof SUBS;
const IDS = Object.keys(SUBS) as Id[];

const cli = (args: string[], cwd: string) => execa('node', [BIN, ...args], { reject: false, cwd, env: { NO_COLOR: '1', PATH: process.env.PATH ?? '' } });

/** What must be equal everywhere: per check, status, points, beyond-the-handout; the total and the status. */
function verdict(report: TestReport) {
  return {
    status: report.status,
    total: earned(report),
    checks: report.checks.map((c: CheckResult) => ({ name: c.name, status: c.status, points: c.points, maxPoints: c.maxPoints, beyond: c.beyondHandout === true })),
  };
}

let work = '';
const baseline = new Map<Id, ReturnType<typeof verdict>>();
const studentReport = (out: string, id: Id) => (JSON.parse(readFileSync(join(work, out, 'students', `${id}.json`), 'utf8')) as { report: TestReport }).report;
const gradebookTotals = (out: string) =>
  readFileSync(join(work, out, 'gradebook.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(',').slice(0, 4).filter((_, i) => i !== 2).join(','));

describe.skipIf(process.env.HEAPGRADE_SKIP_SLOW === '1')('[slow] every front end gives the same correctness grade', () => {
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'heapgrade-matrix-'));
    mkdirSync(join(work, 'subs'));
    copyFileSync(join(FIXTURES, 'c', 'handouts', 'malloclab-2002', 'mm.c'), join(work, 'subs', SUBS.c2002));
    for (const [id, fixture] of [['pass', 'pass.ts'], ['fail', 'fail-misaligned.ts']] as const) {
      const source = readFileSync(join(FIXTURES, 'batch', 'subs', fixture), 'utf8').replaceAll(/'(\.\.\/)+(reference|harness)\//g, `'${ROOT}$2/`);
      writeFileSync(join(work, 'subs', SUBS[id]), source);
    }
    // One configuration for the course: the handout decided per submission, two checks worth more than by default.
    writeFileSync(join(work, 'heapgrade.config.json'), JSON.stringify({ profile: 'auto', checks: { alignment: 20, churn: 15 }, onlyListedWorkloads: true, workloads: { binary: {}, coalescing: {} } }));
    // The baseline: `heapgrade test` in this process, as a student runs it.
    for (const id of IDS) {
      const r = await cli(['test', join('subs', SUBS[id]), '--check', CHECKS.join(','), '--json'], work);
      baseline.set(id, verdict(JSON.parse(r.stdout) as TestReport));
    }
  }, 600_000);

  it('the baseline grades by the configuration: 2002 rules for the C file, the overridden points, one failure', () => {
    expect(baseline.get('c2002')!.checks.find((c) => c.name === 'free-null')).toMatchObject({ beyond: true, points: 0 });
    expect(baseline.get('pass')!).toMatchObject({ status: 'pass', total: { points: 20 + 4 + 15 + 12, maxPoints: 51 } });
    expect(baseline.get('fail')!.status).toBe('fail');
  });

  it('test --sandbox', async () => {
    for (const id of IDS) {
      const r = await cli(['test', join('subs', SUBS[id]), '--check', CHECKS.join(','), '--json', '--sandbox', 'off'], work);
      expect(verdict(JSON.parse(r.stdout) as TestReport), id).toStrictEqual(baseline.get(id));
    }
  }, 600_000);

  it('batch --tests-only (the configuration\'s profile), its gradebook, and --profile for the C file', async () => {
    const r = await cli(['batch', 'subs', '--out', 'batch', '--tests-only', '--check', CHECKS.join(','), '--jobs', '2', '--sandbox', 'off'], work);
    expect(r.exitCode, r.stderr).toBe(0);
    for (const id of IDS) expect(verdict(studentReport('batch', id)), id).toStrictEqual(baseline.get(id));
    // Rows in id order.
    expect(gradebookTotals('batch')).toStrictEqual([...IDS].sort().map((id) => `${id},${baseline.get(id)!.status},${baseline.get(id)!.total.points}`));

    mkdirSync(join(work, 'c-only'));
    copyFileSync(join(work, 'subs', SUBS.c2002), join(work, 'c-only', SUBS.c2002));
    const flagged = await cli(['batch', 'c-only', '--out', 'batch-flag', '--tests-only', '--profile', 'malloclab-2002', '--check', CHECKS.join(','), '--sandbox', 'off'], work);
    expect(flagged.exitCode, flagged.stderr).toBe(0);
    expect(verdict(studentReport('batch-flag', 'c2002'))).toStrictEqual(baseline.get('c2002'));
  }, 600_000);

  it('two shards merged, and a batch stopped mid-submission then resumed', async () => {
    for (const shard of ['1/2', '2/2']) {
      const r = await cli(['batch', 'subs', '--out', `shard-${shard[0]}`, '--tests-only', '--check', CHECKS.join(','), '--shard', shard, '--sandbox', 'off'], work);
      expect(r.exitCode, r.stderr).toBe(0);
    }
    const merged = await cli(['merge', 'shard-1', 'shard-2', '--out', 'merged'], work);
    expect(merged.exitCode, merged.stderr).toBe(0);
    for (const id of IDS) expect(verdict(studentReport('merged', id)), id).toStrictEqual(baseline.get(id));

    // Stopped mid-submission: the journal holds each submission's first two checks as its child streamed them
    // (before the configuration's points: alignment at its default 8), and no final line.
    mkdirSync(join(work, 'resumed'));
    const header = { journal: 1, mode: 'test', config: join(work, 'heapgrade.config.json'), startedAt: 'earlier' };
    const lines: object[] = [header];
    for (const id of IDS) {
      const done = studentReport('merged', id).checks.slice(0, 2).map((c) => (c.name === 'alignment' ? { ...c, points: c.status === 'pass' ? 8 : 0, maxPoints: 8 } : c));
      for (const result of done) lines.push({ id, progress: 'check', result });
    }
    writeFileSync(join(work, 'resumed', 'journal.jsonl'), lines.map((l) => `${JSON.stringify(l)}\n`).join(''));
    const resumed = await cli(['batch', 'subs', '--out', 'resumed', '--resume', '--tests-only', '--check', CHECKS.join(','), '--sandbox', 'off'], work);
    expect(resumed.exitCode, resumed.stderr).toBe(0);
    for (const id of IDS) {
      const entry = readJournal(join(work, 'resumed', 'journal.jsonl')).entries.get(id)!;
      expect(entry.result.partial, id).toBeUndefined();
      expect(entry.result.status, id).toBe(baseline.get(id)!.status);
      expect(verdict(entry.result.report!), id).toStrictEqual(baseline.get(id));
    }
  }, 900_000);

  it('gradescope and classroom (their runners, real children)', async () => {
    const config = join(work, 'heapgrade.config.json');
    for (const id of IDS) {
      const file = join(work, 'subs', SUBS[id]);
      const gs = await runGradescope({ submission: file, results: join(work, `gs-${id}.json`), configPath: config, mode: 'test', timeoutMs: 300_000, memoryMb: 1024, outputFormat: 'text', sandbox: 'off', choices: { checks: CHECKS } });
      expect(verdict(gs.isolated!.report!), `gradescope ${id}`).toStrictEqual(baseline.get(id));
      expect(gs.results.score, `gradescope ${id}`).toBe(baseline.get(id)!.total.points);

      const gh = await runClassroom({ submission: file, configPath: config, mode: 'test', timeoutMs: 300_000, memoryMb: 1024, sandbox: 'off', choices: { checks: CHECKS }, summaryFile: join(work, `summary-${id}.md`), outputFile: join(work, `output-${id}`), write: () => {} });
      expect(verdict(gh.report!), `classroom ${id}`).toStrictEqual(baseline.get(id));
      expect(readFileSync(join(work, `output-${id}`), 'utf8'), `classroom ${id}`).toContain('result=');
    }
  }, 900_000);

  it('grade, batch, gradescope and classroom in grade mode, the 2002 mm.c included: the same score, breakdown, checks and workloads', async () => {
    const graded = (r: GradeReport) => ({
      ...verdict(r),
      score: r.score,
      breakdown: r.breakdown,
      correctness: r.correctness,
      workloads: r.workloads.map((w) => ({ name: w.name, status: w.status, utilScore: w.utilScore, speedScore: w.speedScore })),
    });
    const config = join(work, 'heapgrade.config.json');
    // One batch for the three (the C file compiled once, from the cache the test-mode runs above filled).
    const batch = await cli(['batch', 'subs', '--out', 'batch-grade', '--jobs', '2', '--sandbox', 'off'], work);
    expect(batch.exitCode, batch.stderr).toBe(0);
    for (const id of IDS) {
      const direct = await cli(['grade', join('subs', SUBS[id]), '--json'], work);
      const expected = graded(JSON.parse(direct.stdout) as GradeReport);
      expect(expected.workloads.map((w) => w.name)).toStrictEqual(['binary', 'coalescing']);
      expect(expected.checks.length, id).toBeGreaterThan(CHECKS.length);
      // The C file by the 2002 handout's rules (`auto`), in grade mode too.
      if (id === 'c2002') expect(expected.checks.find((c) => c.name === 'free-null')).toMatchObject({ beyond: true, points: 0 });
      expect(graded(studentReport('batch-grade', id) as GradeReport), `batch ${id}`).toStrictEqual(expected);
      const file = join(work, 'subs', SUBS[id]);
      const hosted = { submission: file, configPath: config, mode: 'grade' as const, timeoutMs: 300_000, memoryMb: 1024, sandbox: 'off' as const };
      const [gs, gh] = await Promise.all([
        runGradescope({ ...hosted, results: join(work, `gs-grade-${id}.json`), outputFormat: 'text' }),
        runClassroom({ ...hosted, summaryFile: join(work, `summary-grade-${id}.md`), outputFile: join(work, `output-grade-${id}`), write: () => {} }),
      ]);
      expect(graded(gs.isolated!.report as GradeReport), `gradescope ${id}`).toStrictEqual(expected);
      expect(gs.results.score, `gradescope ${id}`).toBe(expected.score);
      expect(graded(gh.report as GradeReport), `classroom ${id}`).toStrictEqual(expected);
      const result = JSON.parse(Buffer.from(/result=(\S+)/.exec(readFileSync(join(work, `output-grade-${id}`), 'utf8'))![1]!, 'base64').toString()) as { tests: { score: number }[] };
      expect(result.tests.reduce((t, x) => t + Math.round(x.score * 100), 0), `classroom ${id}`).toBe(Math.round(expected.score * 100));
    }
  }, 1_500_000);

  it('the vitest adapter (npm test in a student folder): the same points per check and the same pass/fail', async () => {
    const suites = IDS.map((id) => `describe(${JSON.stringify(id)}, () => allocatorSuite(new URL('./subs/${SUBS[id]}', import.meta.url), { checks: ${JSON.stringify(CHECKS)} }));`);
    writeFileSync(join(work, 'adapter.test.ts'), [`import { describe } from 'vitest';`, `import { allocatorSuite } from ${JSON.stringify(join(ROOT, 'harness', 'vitest', 'index.ts'))};`, ...suites].join('\n'));
    await execa('node', [join(ROOT, 'node_modules', 'vitest', 'vitest.mjs'), 'run', 'adapter.test.ts', '--reporter=json', '--outputFile=adapter.json'], { cwd: work, reject: false });
    const json = JSON.parse(readFileSync(join(work, 'adapter.json'), 'utf8')) as { testResults: { assertionResults: { ancestorTitles: string[]; title: string; status: string; meta: { points?: number; maxPoints?: number } }[] }[] };
    const tests = json.testResults.flatMap((f) => f.assertionResults);
    for (const id of IDS) {
      const mine = tests.filter((t) => t.ancestorTitles[0] === id).map((t) => ({ name: t.title.split(':')[0], passed: t.status === 'passed', points: t.meta.points, maxPoints: t.meta.maxPoints }));
      const expected = baseline.get(id)!.checks.map((c) => ({ name: c.name, passed: c.status === 'pass', points: c.points, maxPoints: c.maxPoints }));
      expect(mine, id).toStrictEqual(expected);
    }
  }, 600_000);
});
