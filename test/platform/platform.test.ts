/**
 * Every platform file, from real grading results, checked against the shape
 * its platform documents (validators.ts), plus the escaping that keeps
 * student text from breaking out: XML, Markdown tables, workflow commands.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureFreshDist } from '../helpers/fresh-dist.ts';
import { gradeSubmission } from '../../harness/grade/grade.ts';
import { reportFromIsolated, type PlatformReport } from '../../harness/platform/common.ts';
import { apportion } from '../../harness/plan/shares.ts';
import { DEFAULT_CONFIG } from '../../harness/config/defaults.ts';
import { encodeClassroomResult, toAnnotations, toStepSummary, wrapUntrusted } from '../../harness/platform/github.ts';
import { toGradescope, type GradescopeResults } from '../../harness/platform/gradescope.ts';
import { autograderEntries } from '../../harness/platform/gradescope-pack.ts';
import { toJUnit } from '../../harness/platform/junit.ts';
import { toPrairieLearn } from '../../harness/platform/prairielearn.ts';
import { zip } from '../../harness/platform/zip.ts';
import type { GradeReport, TestReport } from '../../harness/report/types.ts';
import { runTests } from '../../harness/runner/run-tests.ts';
import { validateAnnotation, validateClassroom, validateGradescope, validateJUnit, validatePrairieLearn } from './validators.ts';

const CONFIG = fileURLToPath(new URL('../fixtures/batch/config.json', import.meta.url));
const MISALIGNED = fileURLToPath(new URL('../fixtures/batch/subs/fail-misaligned.ts', import.meta.url));

let passing: GradeReport;
let failing: GradeReport;
let tested: TestReport;
const crashed = reportFromIsolated({
  spec: 'crash.ts', mode: 'grade', outcome: 'crashed', status: 'fail', detail: 'crashed: killed by SIGSEGV',
  durationMs: 5, peakRssMb: 1, stdout: '', stderr: '',
});
const kitError = reportFromIsolated({
  spec: 'x.ts', mode: 'grade', outcome: 'kit-error', status: 'error', detail: 'the grading process died from SIGBUS before loading the submission',
  durationMs: 5, peakRssMb: 1, stdout: '', stderr: '',
});

beforeAll(async () => {
  passing = await gradeSubmission('ref:reference', { configPath: CONFIG, showHidden: true });
  failing = await gradeSubmission(MISALIGNED, { configPath: CONFIG, showHidden: true });
  tested = await runTests(MISALIGNED, { checks: ['alignment', 'free-null'], shrinkMs: 100 });
  // Student text with everything that must be escaped, in a check's output and a violation message.
  const evil = 'x<y & "q" | a,b\n::error::fake ]]> %0A \u0001';
  tested.checks[0]!.output = evil;
  tested.checks[0]!.violations[0]!.message += evil;
});

const all = (): [string, PlatformReport][] => [['pass', passing], ['fail', failing], ['test', tested], ['crashed', crashed], ['kit error', kitError]];

describe('Gradescope results.json', () => {
  it.each(['md', 'text'] as const)('has the documented shape for every kind of result (%s)', (outputFormat) => {
    for (const [name, r] of all()) expect(validateGradescope(toGradescope(r, { outputFormat, rules: DEFAULT_CONFIG })), name).toStrictEqual([]);
  });
  it('sums to the grade, hides hidden workloads until published, and has a leaderboard', () => {
    const g = toGradescope(passing, { rules: DEFAULT_CONFIG });
    expect(g.score).toBe(passing.score);
    expect(g.tests!.reduce((s, t) => s + (t.max_score ?? 0), 0)).toBeCloseTo(100, 1);
    expect(g.tests!.reduce((s, t) => s + (t.score ?? 0), 0)).toBeCloseTo(passing.score, 0);
    expect(g.tests!.find((t) => t.name === 'Performance: binary')?.visibility).toBe('after_published');
    expect(g.tests!.find((t) => t.name === 'Performance: coalescing')?.visibility).toBe('visible');
    // Public before publication: no total (it includes the hidden workload), and only the visible workloads' numbers.
    expect(g.leaderboard!.map((e) => e.name)).toStrictEqual(['Utilization (%)', 'Throughput (x reference)']);
    const visibleOnly = toGradescope({ ...passing, workloads: passing.workloads.filter((w) => !w.hidden) }, { rules: DEFAULT_CONFIG });
    expect(visibleOnly.leaderboard!.map((e) => e.name)).toStrictEqual(['Utilization (%)', 'Throughput (x reference)', 'Score']);
    expect(g.leaderboard!.slice(0, 2)).toStrictEqual(visibleOnly.leaderboard!.slice(0, 2));
    expect(g.output).not.toContain(`Score ${passing.score}`);
    expect(g.output).toMatch(/^Correctness [\d.]+ \/ 40; the total and the performance points include hidden workloads/);
  });
  it('lets no hidden workload move a number a student sees before publication (its utilization could encode its trace)', () => {
    const hidden = passing.workloads.find((w) => w.hidden)!;
    const encode = (v: number): PlatformReport => ({ ...passing, workloads: passing.workloads.map((w) => (w.hidden ? { ...w, utilization: 0.05 + 0.0003 * v, status: 'fail' as const } : w)) });
    const seen = (r: GradescopeResults) => JSON.stringify({ leaderboard: r.leaderboard, output: r.output, visible: r.tests!.filter((t) => t.visibility === 'visible') });
    expect(hidden).toBeDefined();
    expect(seen(toGradescope(encode(1337), { rules: DEFAULT_CONFIG }))).toBe(seen(toGradescope(encode(42), { rules: DEFAULT_CONFIG })));
  });
  it('says loudly that a kit error is not the student\'s zero', () => {
    expect(toGradescope(kitError, { rules: DEFAULT_CONFIG }).output).toMatch(/^GRADING ERROR: the grading kit failed, not your submission/);
  });
  it('max_scores add up to exactly 100, and nothing worth 0 points shows a green "passed"', () => {
    for (const r of [passing, failing]) {
      const g = toGradescope(r, { rules: DEFAULT_CONFIG });
      expect(Math.round(g.tests!.reduce((s, t) => s + (t.max_score ?? 0), 0) * 100)).toBe(10_000);
      for (const t of g.tests!) if (!(t.max_score! > 0)) expect(t.status, t.name).not.toBe('passed');
    }
    // A workload worth nothing: shown, not scored, no status.
    const unscored = { ...passing, workloads: passing.workloads.map((w, i) => (i === 0 ? { ...w, weight: 0 } : w)) };
    const t = toGradescope(unscored, { rules: DEFAULT_CONFIG }).tests!.find((x) => x.name.startsWith(`Performance: ${passing.workloads[0]!.name}`))!;
    expect(t).toMatchObject({ name: `Performance: ${passing.workloads[0]!.name} (not scored)` });
    expect(t.status).toBeUndefined();
    expect(t.max_score).toBeUndefined();
  });
  it('apportions shares so the rounded parts keep the total', () => {
    expect(apportion([100 / 3, 100 / 3, 100 / 3], 2)).toStrictEqual([33.34, 33.33, 33.33]);
    expect(apportion([40 / 6, 40 / 6, 40 / 6, 40 / 6, 40 / 6, 40 / 6, 20.005, 39.995], 2).reduce((s, x) => s + x * 100, 0)).toBeCloseTo(10_000, 6);
  });
  it('keeps a compiler error fenced, so its caret stays under the column', () => {
    const clang = "mm.c:3:9: error: expected ';' after expression\n    3 |   int x\n      |        ^\n      |        ;";
    const loadFailed: TestReport = { version: 1, kind: 'test', submission: 'mm.c', status: 'fail', checks: [], error: clang, durationMs: 1 };
    expect(toGradescope(loadFailed, { rules: DEFAULT_CONFIG }).output).toContain(`\`\`\`text\n${clang}\n\`\`\``);
  });
  it('fences student output so Markdown cannot swallow it', () => {
    const t = toGradescope(tested, { rules: DEFAULT_CONFIG }).tests![0]!;
    expect(t.output).toContain('```text\nx<y & "q"');
  });
});

describe('PrairieLearn results.json', () => {
  it('has the documented shape for every kind of result', () => {
    for (const [name, r] of all()) expect(validatePrairieLearn(toPrairieLearn(r)), name).toStrictEqual([]);
  });
  it('does not charge an attempt for a submission that does not compile, and shows why', () => {
    const clang = "mm.c:3:9: error: expected ';'\n  \x1b[31m^\x1b[0m";
    const loadFailed: TestReport = { version: 1, kind: 'test', submission: 'mm.c', status: 'fail', checks: [], error: clang, durationMs: 1 };
    const pl = toPrairieLearn(loadFailed);
    expect(validatePrairieLearn(pl)).toStrictEqual([]);
    expect(pl).toMatchObject({ gradable: false, output: "mm.c:3:9: error: expected ';'\n  ^" });
    expect(pl.format_errors![0]).toMatch(/did not compile or load.*no attempt/);
    // An allocator that ran and crashed is graded (score 0): it is the student's failure, not a build problem.
    expect(toPrairieLearn(crashed, { outcome: 'crashed' })).toMatchObject({ gradable: true, score: 0 });
    expect(toPrairieLearn(crashed, { outcome: 'load-failed' })).toMatchObject({ gradable: false });
  });
  it('scores in [0, 1] and does not charge an attempt for a kit error', () => {
    expect(toPrairieLearn(passing).score).toBeCloseTo(passing.score / 100, 3);
    expect(toPrairieLearn(kitError)).toMatchObject({ gradable: false });
  });
});

describe('JUnit XML', () => {
  it('is well-formed with matching counts for every kind of result', () => {
    for (const [name, r] of all()) expect(validateJUnit(toJUnit(r)), name).toStrictEqual([]);
  });
  it('carries points as properties and student output in system-out, escaped', () => {
    const xml = toJUnit(tested);
    expect(xml).toContain('<property name="points" value="0"/>');
    expect(xml).toContain('<property name="maxPoints" value="8"/>');
    expect(xml).toContain('<system-out>x&lt;y &amp; &quot;q&quot; | a,b\n::error::fake ]]&gt; %0A \uFFFD</system-out>');
    expect(xml).toMatch(/<failure message="[^"]*" type="misaligned">/);
  });
});

describe('GitHub Actions and Classroom', () => {
  it('writes the Classroom runner result with points per check', () => {
    for (const [name, r] of all()) expect(validateClassroom(encodeClassroomResult(r, DEFAULT_CONFIG)), name).toStrictEqual([]);
    const decoded = JSON.parse(Buffer.from(encodeClassroomResult(passing, DEFAULT_CONFIG), 'base64').toString()) as { max_score: number; tests: { score: number }[] };
    expect(decoded.max_score).toBe(100);
    expect(decoded.tests.reduce((s, t) => s + t.score, 0)).toBeCloseTo(passing.score, 0);
  });
  it('annotates each failing check, on one line, escaped', () => {
    const lines = toAnnotations(tested, { file: 'allocator.ts' });
    // One bug, one charge: free-null goes on past the misaligned pointers (alignment's rule), holds its own rule, and is
    // not annotated as failing.
    expect(tested.checks.find((c) => c.name === 'free-null')).toMatchObject({ status: 'pass', violations: [] });
    expect(lines).toHaveLength(1);
    for (const l of [...lines, ...toAnnotations(crashed)]) expect(validateAnnotation(l)).toStrictEqual([]);
    expect(lines[0]).toMatch(/^::error file=allocator.ts,line=1,title=heapgrade%3A alignment failed::misaligned%3A|^::error file=allocator.ts,line=1,title=heapgrade%3A alignment failed::/);
    expect(toAnnotations(passing)).toStrictEqual([]);
  });
  it('keeps the step summary table intact whatever the messages contain', () => {
    const md = toStepSummary(tested);
    const rows = md.split('\n').filter((l) => l.startsWith('| '));
    expect(rows).toHaveLength(2 + tested.checks.length);
    for (const row of rows) expect(row.split(/(?<!\\)\|/).length).toBe(6);
    expect(md).not.toContain('<y');
    expect(toStepSummary(kitError)).toContain('The grading kit failed, not your allocator');
  });
  it('wraps student output in stop-commands with the token', () => {
    const token = 'a1B2c3D4e5F6g7H8i9';
    expect(wrapUntrusted('::notice::Points 100/100', token)).toBe(`::stop-commands::${token}\n::notice::Points 100/100\n::${token}::\n`);
    expect(() => wrapUntrusted('x', 'short')).toThrow(/token/);
    expect(wrapUntrusted('\x1b[32mPASS\x1b[0m 0/100\rall good', token)).toBe(`::stop-commands::${token}\nPASS 0/100\nall good\n::${token}::\n`);
  });
});

describe('Gradescope autograder zip', () => {
  // The zip carries the compiled kit.
  beforeAll(ensureFreshDist, 300_000);

  it('has setup.sh and run_autograder at the root, executable, and passes unzip -t', async () => {
    const entries = await autograderEntries({ configPath: CONFIG });
    const names = entries.map((e) => e.name);
    expect(names.slice(0, 3)).toStrictEqual(['setup.sh', 'run_autograder', 'heapgrade.config.json']);
    expect(names).toContain('heapgrade/dist/scripts/heapgrade.mjs');
    expect(names).toContain('heapgrade/dist/harness/isolation/limited-node.sh');
    expect(names.some((n) => n.startsWith('heapgrade/test/') || n.includes('node_modules'))).toBe(false);
    const unzip = ['/usr/bin/unzip', '/bin/unzip'].find((p) => existsSync(p));
    if (!unzip) return; // the listing above is the check where unzip is missing
    const dir = mkdtempSync(join(tmpdir(), 'heapgrade-zip-'));
    const file = join(dir, 'autograder.zip');
    writeFileSync(file, zip(entries));
    expect(execFileSync(unzip, ['-t', file], { encoding: 'utf8' })).toMatch(/No errors detected/);
    const listing = execFileSync(unzip, ['-Z', file], { encoding: 'utf8' });
    expect(listing).toMatch(/-rwxr-xr-x .* run_autograder/);
    expect(listing).toMatch(/-rwxr-xr-x .* heapgrade\/dist\/harness\/isolation\/limited-node\.sh/);
  });
});

describe('the validators themselves', () => {
  it('reject what the documentation rules out', () => {
    expect(validateGradescope({ tests: [{ name: 'x', status: 'ok', visibility: 'secret' }] })).toHaveLength(3);
    expect(validatePrairieLearn({ score: 1.5 })).toStrictEqual(['score must be a number in [0, 1]']);
    expect(validateJUnit('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites><testsuite name="a" tests="2" failures="0" errors="0"><testcase name="t" classname="c">a & b</testcase></testsuite>')).toStrictEqual([
      'bad entity in a & b',
      'unclosed testsuites',
      'suite a: counts do not match its testcases',
    ]);
    expect(validateAnnotation('::error file=a.ts,line=1::two\nlines')).toHaveLength(1);
    expect(validateClassroom(Buffer.from('{"version":1}').toString('base64')).length).toBeGreaterThan(0);
  });
});
