/**
 * [slow] One rule for a student who splits their code: the template's folder
 * is the submission everywhere. `allocator.ts` that imports `./list.ts` gets
 * the same per-check verdict from `npm test` (the template's vitest suite),
 * `npm run check` (its package.json script), `heapgrade classroom` as the
 * template's workflow runs it, and `heapgrade gradescope` (which grades the
 * folder). The single-file rule stays: the same allocator.ts named as a file
 * reads only itself, so its import of ./list.ts does not load (what keeps a
 * folder of single-file submissions from importing a neighbour).
 */
import { execa } from 'execa';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureFreshDist } from '../helpers/fresh-dist.ts';
import { runGradescope } from '../../harness/platform/run-gradescope.ts';
import type { TestReport } from '../../harness/report/types.ts';

const KIT = new URL('../../', import.meta.url).pathname;
const BIN = join(KIT, 'scripts', 'heapgrade.mjs');

/** The TypeScript template as a student has it, its allocator split in two files: the code in list.ts, allocator.ts re-exporting it. */
function splitStudentRepo(): string {
  const dir = mkdtempSync(join(tmpdir(), 'hg-split-'));
  cpSync(join(KIT, 'student-template', 'ts'), dir, { recursive: true });
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(KIT, join(dir, 'node_modules', 'heapgrade'));
  symlinkSync(join(KIT, 'node_modules', 'vitest'), join(dir, 'node_modules', 'vitest'));
  renameSync(join(dir, 'allocator.ts'), join(dir, 'list.ts'));
  writeFileSync(join(dir, 'allocator.ts'), "// The allocator lives in list.ts; this file is the entry graders look for.\nexport { default } from './list.ts';\n");
  return dir;
}

type Verdict = [name: string, passed: boolean, points: number][];
const scriptArgs = (line: string, command: string): string[] => line.slice(line.indexOf(command) + command.length).trim().split(/\s+/);

describe.skipIf(process.env.HEAPGRADE_SKIP_SLOW === '1')('[slow] a split submission grades the same in every front end', () => {
  // npm test resolves the linked kit through its exports, into dist/.
  beforeAll(ensureFreshDist, 300_000);

  it('npm test, npm run check, the Classroom workflow and Gradescope agree; the file named alone still reads only itself', async () => {
    const dir = splitStudentRepo();
    const cli = (args: string[]) => execa('node', [BIN, ...args], { cwd: dir, reject: false, env: { NO_COLOR: '1', PATH: process.env.PATH ?? '' } });
    // The commands as the template ships them: its package.json check script and its workflow's grading step.
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    const checkArgs = scriptArgs(manifest.scripts.check!, 'heapgrade');
    const workflow = readFileSync(join(dir, '.github', 'workflows', 'classroom.yml'), 'utf8');
    const classroomArgs = scriptArgs(/run: (npx heapgrade classroom.*)/.exec(workflow)![1]!, 'npx heapgrade');
    const [npmTest, check, classroom, single, gradescope] = await Promise.all([
      execa(join(KIT, 'node_modules', '.bin', 'vitest'), ['run', '--reporter=json'], { cwd: dir, reject: false, env: { CI: 'true', NO_COLOR: '1' } }),
      cli([...checkArgs, '--json']),
      cli([...classroomArgs, '--tests-only', '--sandbox', 'off', '--summary', join(dir, 'summary.md'), '--output', join(dir, 'output')]),
      cli(['test', 'allocator.ts', '--json']),
      runGradescope({ submission: dir, results: join(mkdtempSync(join(tmpdir(), 'hg-split-gs-')), 'results.json'), mode: 'test', timeoutMs: 300_000, memoryMb: 1024, outputFormat: 'text', sandbox: 'off' }),
    ]);

    const tests = (JSON.parse(npmTest.stdout) as { testResults: { assertionResults: { title: string; status: string; meta: { points?: number } }[] }[] }).testResults.flatMap((f) => f.assertionResults);
    const fromNpmTest: Verdict = tests.map((t) => [t.title.split(':')[0]!, t.status === 'passed', t.meta.points ?? -1]);
    const report = JSON.parse(check.stdout) as TestReport;
    expect(report.error, check.stderr).toBeUndefined();
    const fromCheck: Verdict = report.checks.map((c) => [c.name, c.status === 'pass', c.points]);
    const result = JSON.parse(Buffer.from(/result=(\S+)/.exec(readFileSync(join(dir, 'output'), 'utf8'))![1]!, 'base64').toString()) as { tests: { name: string; status: string; score: number }[] };
    expect(classroom.exitCode, classroom.stdout).toBe(0);
    const fromClassroom: Verdict = result.tests.map((t) => [t.name, t.status === 'pass', t.score]);
    const fromGradescope: Verdict = gradescope.results.tests!.map((t) => [t.name.replace(/^Correctness: /, ''), t.status !== 'failed', t.score ?? -1]);

    // The template as shipped passes every check; split, it still does, in each front end alike.
    expect(fromCheck.length).toBeGreaterThanOrEqual(13);
    expect(fromCheck.every(([, passed]) => passed)).toBe(true);
    expect(fromNpmTest).toStrictEqual(fromCheck);
    expect(fromClassroom).toStrictEqual(fromCheck);
    expect(fromGradescope).toStrictEqual(fromCheck);
    expect(npmTest.exitCode).toBe(0);

    // Named as a single file, allocator.ts reads only itself: its import of ./list.ts is a load failure (exit 2), as a classmate's file would be.
    expect(single.exitCode).toBe(2);
    expect((JSON.parse(single.stdout) as TestReport).error).toMatch(/list\.ts is outside the submission \(.*allocator\.ts is a single file, and reads only itself\)/);
  }, 900_000);
});
