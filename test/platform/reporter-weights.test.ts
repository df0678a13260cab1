/**
 * [slow] One way to split a grade into per-test points: `heapgrade grade
 * --reporter gradescope|classroom` and the `heapgrade gradescope` /
 * `heapgrade classroom` runners all cut it by the plan's weights (the
 * course's configuration), never the kit's defaults. Under weights that are
 * not the defaults (70 correctness, 30 performance), every per-test score
 * and maximum agrees between the reporter and the runner.
 */
import { execa } from 'execa';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runClassroom } from '../../harness/platform/run-classroom.ts';
import { runGradescope } from '../../harness/platform/run-gradescope.ts';
import type { GradescopeResults } from '../../harness/platform/gradescope.ts';

const BIN = fileURLToPath(new URL('../../scripts/heapgrade.mjs', import.meta.url));
// Fails the alignment check and passes others: per-test scores between 0 and their maxima.
const FAILING = fileURLToPath(new URL('../fixtures/batch/subs/fail-misaligned.ts', import.meta.url));

type ClassroomTests = { tests: { name: string; score: number }[]; max_score: number };
const decode = (output: string): ClassroomTests => JSON.parse(Buffer.from(/result=(\S+)/.exec(output)![1]!, 'base64').toString()) as ClassroomTests;
const byName = (r: GradescopeResults) => Object.fromEntries(r.tests!.map((t) => [t.name, [t.score, t.max_score]]));
const cents = (xs: number[]) => xs.reduce((s, x) => s + Math.round(x * 100), 0);

describe.skipIf(process.env.HEAPGRADE_SKIP_SLOW === '1')('[slow] per-test points under the course\'s weights', () => {
  it('--reporter gradescope and classroom split points as heapgrade gradescope and classroom do: by the plan\'s weights', async () => {
    const work = mkdtempSync(join(tmpdir(), 'heapgrade-weights-'));
    const sub = FAILING;
    writeFileSync(join(work, 'tiny.rep'), '2\n4\na 0 100\na 1 200\nf 0\nf 1\n');
    const config = join(work, 'heapgrade.config.json');
    writeFileSync(config, JSON.stringify({ score: { correctness: 70, performance: 30 }, utilWeight: 0.25, onlyListedWorkloads: true, workloads: { tiny: { file: 'tiny.rep' } } }));
    const cli = (reporter: string) => execa('node', [BIN, 'grade', sub, '--config', config, '--reporter', reporter], { reject: false, env: { NO_COLOR: '1' } });
    const hosted = { submission: sub, configPath: config, mode: 'grade' as const, timeoutMs: 300_000, memoryMb: 1024, sandbox: 'off' as const };
    const [gsCli, crCli, gs, cr] = await Promise.all([
      cli('gradescope'),
      cli('classroom'),
      runGradescope({ ...hosted, results: join(work, 'results.json'), outputFormat: 'text' }),
      runClassroom({ ...hosted, summaryFile: join(work, 'summary.md'), outputFile: join(work, 'output'), write: () => {} }),
    ]);
    expect(gsCli.exitCode, gsCli.stderr).toBe(1);
    const fromReporter = JSON.parse(gsCli.stdout) as GradescopeResults;
    const fromRunner = gs.results;
    // The course's 70 points of correctness, cut per check, and its 30 of performance.
    const correctness = fromReporter.tests!.filter((t) => t.name.startsWith('Correctness: '));
    expect(cents(correctness.map((t) => t.max_score!))).toBe(7000);
    expect(cents(fromReporter.tests!.filter((t) => t.name.startsWith('Performance: ')).map((t) => t.max_score!))).toBe(3000);
    expect(correctness.find((t) => t.name === 'Correctness: alignment')!.score).toBe(0);
    expect(fromReporter.score).toBe(fromRunner.score);
    expect(byName(fromReporter)).toStrictEqual(byName(fromRunner));

    const classroomReporter = decode(crCli.stdout);
    const classroomRunner = decode(readFileSync(join(work, 'output'), 'utf8'));
    expect(cr.report?.status).toBe('fail');
    expect(classroomReporter.tests.map((t) => [t.name, t.score])).toStrictEqual(classroomRunner.tests.map((t) => [t.name, t.score]));
    // The checks' points are the same cents as Gradescope's, on the course's scale.
    expect(cents(classroomReporter.tests.filter((t) => t.name !== 'performance').map((t) => t.score))).toBe(cents(correctness.map((t) => t.score!)));
  }, 600_000);
});
