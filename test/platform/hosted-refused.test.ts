/**
 * Hosted graders where the platform refuses namespaces (stood in by
 * HEAPGRADE_BWRAP=/bin/false, as on Gradescope's container or GitHub's
 * Ubuntu 24.04 runners): `classroom` and `gradescope` still grade, with the
 * protections that remain, and say which; a course whose configuration says
 * `"sandbox": "required"` gets no grade but a result that explains, never an
 * empty results/ or a missing summary. `gradescope pack` writes each option
 * it lists into run_autograder.
 */
import { execa } from 'execa';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { validateConfig } from '../../harness/config/validate.ts';
import type { GradescopeResults } from '../../harness/platform/gradescope.ts';
import { runClassroom } from '../../harness/platform/run-classroom.ts';
import { runGradescope } from '../../harness/platform/run-gradescope.ts';
import { validateClassroom, validateGradescope } from './validators.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(ROOT, 'scripts/heapgrade.mjs');
const PASS = fileURLToPath(new URL('../fixtures/batch/subs/pass.ts', import.meta.url));
const CHECKS = { checks: ['alignment', 'free-null'] };

describe('the `sandbox` configuration key', () => {
  it('takes "required" or "auto", and names the key and the choices otherwise', () => {
    expect(validateConfig({ sandbox: 'required' }, { source: 'c.json' }).config?.sandbox).toBe('required');
    expect(validateConfig({}, { source: 'c.json' }).config?.sandbox).toBeUndefined();
    expect(validateConfig({ sandbox: 'sometimes' }, { source: 'c.json' }).errors).toStrictEqual(['c.json: `sandbox` must be one of "required", "auto", got "sometimes"']);
  });
});

const UNZIP = existsSync('/usr/bin/unzip');
if (!UNZIP) console.warn('gradescope pack options: skipped: needs unzip (apt-get install unzip)');

describe.skipIf(!UNZIP)(`gradescope pack honours the options it lists${UNZIP ? '' : ' [skipped: needs unzip]'}`, () => {
  it('writes --sandbox, --timeout, --memory and --tests-only into run_autograder, and the zip changes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'heapgrade-packopts-'));
    const plain = await execa('node', [BIN, 'gradescope', 'pack', '--out', 'plain.zip'], { cwd: dir });
    expect(plain.stdout).not.toContain('run_autograder grades with');
    const set = await execa('node', [BIN, 'gradescope', 'pack', '--out', 'set.zip', '--sandbox', 'auto', '--timeout', '300', '--memory', '700', '--tests-only'], { cwd: dir });
    expect(set.stdout).toContain('run_autograder grades with --sandbox auto --timeout 300 --memory 700 --tests-only');
    expect(readFileSync(join(dir, 'set.zip')).equals(readFileSync(join(dir, 'plain.zip')))).toBe(false);
    const script = (await execa('unzip', ['-p', 'set.zip', 'run_autograder'], { cwd: dir })).stdout;
    expect(script).toMatch(/gradescope --root "\$ROOT" --sandbox auto --timeout 300 --memory 700 --tests-only "\$@"$/m);
    expect((await execa('unzip', ['-p', 'plain.zip', 'run_autograder'], { cwd: dir })).stdout).toMatch(/gradescope --root "\$ROOT" "\$@"$/m);
    // Nothing it does not honour is listed (the grading command's --root, --format, ... are not pack's).
    const help = (await execa('node', [BIN, 'gradescope', 'pack', '--help'], { cwd: dir })).stdout;
    expect(help.match(/^ {2}--[\w-]+/gm)?.map((o) => o.trim()).sort()).toStrictEqual(['--config', '--help', '--memory', '--out', '--sandbox', '--tests-only', '--timeout', '--version']);
  }, 60_000);
});

describe.skipIf(process.platform !== 'linux' || process.env.HEAPGRADE_SKIP_SLOW === '1')('[slow] hosted graders with namespaces refused', () => {
  beforeAll(() => {
    process.env.HEAPGRADE_BWRAP = '/bin/false';
    return () => {
      delete process.env.HEAPGRADE_BWRAP;
    };
  });

  it('classroom grades with what remains: step summary with the protections, result=', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'heapgrade-hosted-'));
    const out: string[] = [];
    const run = await runClassroom({
      submission: PASS, mode: 'test', timeoutMs: 120_000, memoryMb: 384,
      summaryFile: join(dir, 'summary.md'), outputFile: join(dir, 'output'), choices: CHECKS, write: (t) => void out.push(t),
    });
    expect(run.notGraded).toBeUndefined();
    expect(run.report?.status).toBe('pass');
    const summary = readFileSync(join(dir, 'summary.md'), 'utf8');
    expect(summary).toMatch(/\| alignment \| ✅ pass \|/);
    expect(summary).toMatch(/protections: OS sandbox none, user (nobody|root|unprivileged), .*network host.*cannot create namespaces/);
    const output = readFileSync(join(dir, 'output'), 'utf8');
    expect(output).toMatch(/^result=[A-Za-z0-9+/=]+\n$/);
    expect(validateClassroom(output.slice('result='.length).trim())).toStrictEqual([]);
    expect(out.join('')).toContain('heapgrade: graded (pass)');
  }, 180_000);

  it('classroom with "sandbox": "required": a summary and result= that explain, nothing graded', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'heapgrade-hosted-'));
    writeFileSync(join(dir, 'heapgrade.config.json'), JSON.stringify({ sandbox: 'required' }));
    const out: string[] = [];
    const run = await runClassroom({
      submission: PASS, configPath: join(dir, 'heapgrade.config.json'), mode: 'grade', timeoutMs: 120_000, memoryMb: 384,
      summaryFile: join(dir, 'summary.md'), outputFile: join(dir, 'output'), write: (t) => void out.push(t),
    });
    expect(run.notGraded).toMatch(/"sandbox": "required" in heapgrade\.config\.json.*cannot create namespaces.*set "sandbox": "auto"/);
    const summary = readFileSync(join(dir, 'summary.md'), 'utf8');
    expect(summary).toContain('## heapgrade: not graded');
    expect(summary).toContain('set "sandbox": "auto" in heapgrade.config.json');
    const encoded = readFileSync(join(dir, 'output'), 'utf8').slice('result='.length).trim();
    expect(validateClassroom(encoded)).toStrictEqual([]);
    const result = JSON.parse(Buffer.from(encoded, 'base64').toString('utf8')) as { status: string; max_score: number; tests: { name: string; score: number }[] };
    expect([result.status, result.max_score, result.tests.map((t) => [t.name, t.score])]).toStrictEqual(['error', 100, [['grading environment', 0]]]);
    expect(out.join('')).toMatch(/^::error title=heapgrade: not graded::/m);
  }, 60_000);

  it('the CLI: classroom exits 2 when required is refused, and still writes the summary', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'heapgrade-hosted-'));
    writeFileSync(join(dir, 'heapgrade.config.json'), JSON.stringify({ sandbox: 'required' }));
    const r = await execa('node', [BIN, 'classroom', PASS, '--summary', 'summary.md', '--output', 'output'], { cwd: dir, reject: false, env: { HEAPGRADE_BWRAP: '/bin/false' } });
    expect(r.exitCode, r.stderr).toBe(2);
    expect(readFileSync(join(dir, 'summary.md'), 'utf8')).toContain('not graded');
    expect(readFileSync(join(dir, 'output'), 'utf8')).toMatch(/^result=/);
  }, 60_000);

  it('gradescope with "sandbox": "required": a results.json that explains, with a zero-point test naming the fix', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'heapgrade-hosted-'));
    writeFileSync(join(dir, 'heapgrade.config.json'), JSON.stringify({ sandbox: 'required' }));
    const file = join(dir, 'results', 'results.json');
    const run = await runGradescope({ submission: PASS, results: file, configPath: join(dir, 'heapgrade.config.json'), timeoutMs: 60_000, memoryMb: 384, outputFormat: 'text', mode: 'grade' });
    expect(run.notGraded).toBeDefined();
    const results = JSON.parse(readFileSync(file, 'utf8')) as GradescopeResults;
    expect(validateGradescope(results)).toStrictEqual([]);
    expect(results.score).toBe(0);
    expect(results.output).toMatch(/^NOT GRADED: .*not your submission's fault/);
    expect(results.tests).toHaveLength(1);
    expect(results.tests![0]).toMatchObject({ name: 'Grading environment: OS sandbox required', score: 0, max_score: 0, status: 'failed', visibility: 'visible' });
    expect(results.tests![0]!.output).toMatch(/cannot create namespaces.*set "sandbox": "auto" in heapgrade\.config\.json/);
    expect(results.extra_data).toMatchObject({ heapgrade_status: 'error', sandbox: 'refused' });
  }, 60_000);
});
