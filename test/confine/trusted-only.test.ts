/**
 * `confine: false` (load TypeScript without the SES compartment) is for
 * trusted callers only, the OS sandbox's tests: it has one way in, the typed
 * option of runBatch/runGradescope/gradeIsolated. Not a configuration key,
 * not a command-line flag, not a key of a job's run request.
 */
import { execa } from 'execa';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../harness/config/validate.ts';
import { gradeIsolated } from '../../harness/isolation/run-isolated.ts';
import type { GradeReport } from '../../harness/report/types.ts';
import { unconfinedForTests } from '../../harness/trust/policy.ts';
import { buildPlan } from '../../harness/plan/build.ts';
import { sealPlan } from '../../harness/plan/validate.ts';
import type { FinalMessage } from '../../harness/child/messages.ts';
import { runGradingChild } from '../helpers/grading-child.ts';


const BIN = fileURLToPath(new URL('../../scripts/heapgrade.mjs', import.meta.url));
// Imports node:fs and prints /etc/hostname at load; a correct allocator otherwise.
const IMPORTS_FS = fileURLToPath(new URL('../fixtures/attacks/leak-import-fs.ts', import.meta.url));
const cli = (args: string[]) => execa('node', [BIN, ...args], { reject: false, env: { NO_COLOR: '1' } });

describe('confine: false is for trusted callers only', () => {
  it('a configuration file cannot set it', () => {
    const r = validateConfig({ confine: false }, { source: 'heapgrade.config.json' });
    expect(r.config).toBeNull();
    expect(r.errors.join('\n')).toMatch(/heapgrade\.config\.json: `confine` .*not a configuration key/);
  });

  it('no command takes it on the command line', async () => {
    for (const command of [['batch', '--confine', 'false', '.'], ['gradescope', '--confine', 'false'], ['test', '--confine', 'false', 'ref:reference'], ['grade', '--no-confine', 'ref:reference']]) {
      const r = await cli(command);
      expect(r.exitCode, command.join(' ')).toBe(2);
      expect(r.stderr, command.join(' ')).toMatch(/Unknown argument: --(no-)?confine/);
    }
  });

  it('a job message cannot set it: the child refuses a run request with any key it does not know, and the plan is sealed', async () => {
    const plan = await buildPlan({ mode: 'test', submission: IMPORTS_FS, checks: ['alignment'] });
    const job = { kind: 'job', nonce: 'n1', mode: 'test', spec: IMPORTS_FS, plan, seal: sealPlan(plan, 'n1') };
    const smuggled = await runGradingChild({ ...job, request: { confine: false, jobs: 1 } });
    expect(smuggled.kind).toBe('kit-error');
    expect((smuggled as { message: string }).message).toMatch(/`confine` is not a run request key/);
    const unsealed = await runGradingChild({ ...job, plan: { ...plan, sandbox: { confine: false, os: 'in-process' } }, request: { jobs: 1 } });
    expect((unsealed as { message: string }).message).toMatch(/not sealed for this job/);
    // The control: the same job, honestly asked, loads it confined, where node:fs does not exist.
    const honest = await runGradingChild({ ...job, request: { jobs: 1 } });
    expect(honest.kind).toBe('result');
    const report = (honest as Extract<FinalMessage, { kind: 'result' }>).report;
    expect(report.checks).toStrictEqual([]);
    expect(report.error).toContain('"node:fs" cannot be imported');
  }, 180_000);

  it('the typed option reaches the child: its checks and its workload replays load the submission unconfined', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hg-trusted-only-'));
    writeFileSync(join(dir, 'tiny.rep'), '2\n4\na 0 100\na 1 200\nf 0\nf 1\n');
    writeFileSync(join(dir, 'heapgrade.config.json'), JSON.stringify({ workloads: { tiny: { file: 'tiny.rep' } } }));
    const r = await gradeIsolated(IMPORTS_FS, {
      mode: 'grade',
      configPath: join(dir, 'heapgrade.config.json'),
      sandbox: 'off',
      timeoutMs: 120_000,
      unconfined: unconfinedForTests('the OS sandbox test attacks it with unconfined code'),
      choices: { checks: ['alignment'], workloads: ['tiny'] },
      request: { jobs: 1 },
    });
    const report = r.report as GradeReport;
    expect(report.error).toBeUndefined();
    expect(report.checks.map((c) => [c.name, c.status])).toStrictEqual([['alignment', 'pass']]);
    // The checked replay ran in its own worker (trace-worker.ts), which loaded the submission too.
    expect(report.workloads.map((w) => [w.name, w.status])).toStrictEqual([['tiny', 'pass']]);
  }, 180_000);
});
