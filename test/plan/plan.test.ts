/**
 * The grading plan: built once from configuration + flags + submission,
 * unchanged through JSON (the process boundary), refused by a child when it
 * was not sealed for that child's job; and `score`, which sets every point
 * from the plan, never from what a child sent.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildPlan } from '../../harness/plan/build.ts';
import { score } from '../../harness/plan/score.ts';
import { openPlan, PlanError, sealPlan, validatePlan } from '../../harness/plan/validate.ts';
import type { GradingPlan } from '../../harness/plan/types.ts';
import type { FinalMessage } from '../../harness/child/messages.ts';
import type { CheckResult, GradeReport } from '../../harness/report/types.ts';
import { runGradingChild } from '../helpers/grading-child.ts';
import { isolatedPolicy, isUnconfined, unconfinedForTests } from '../../harness/trust/policy.ts';

const MM_2002 = fileURLToPath(new URL('../fixtures/c/handouts/malloclab-2002/mm.c', import.meta.url));

const ran = (name: string, status: CheckResult['status'], points: number, maxPoints: number): CheckResult => ({ name, description: '', points, maxPoints, status, violations: [], ops: 1, durationMs: 1 });

function configFile(contents: object): string {
  const file = join(mkdtempSync(join(tmpdir(), 'heapgrade-plan-')), 'heapgrade.config.json');
  writeFileSync(file, JSON.stringify(contents));
  return file;
}

describe('buildPlan', () => {
  it('decides `auto` once, from the submission, and lists each check with its points and beyond-handout reason', async () => {
    const plan = await buildPlan({ mode: 'grade', submission: MM_2002, configFile: configFile({ profile: 'auto', checks: { alignment: 20 } }) });
    expect(plan.profile).toBe('malloclab-2002');
    expect(plan.detection?.profile).toBe('malloclab-2002');
    expect(plan.config.alignment).toBe(8);
    expect(plan.checks.find((c) => c.name === 'alignment')).toMatchObject({ maxPoints: 20 });
    expect(plan.checks.find((c) => c.name === 'free-null')!.beyond).toMatch(/2002 handout/);
    expect(plan.checks.find((c) => c.name === 'churn')!.beyond).toBeUndefined();
    expect(plan.workloads.length).toBeGreaterThan(0);
  });

  it('a flag wins over the file, and an unknown check is named', async () => {
    const file = configFile({ profile: 'malloclab-2002' });
    expect((await buildPlan({ mode: 'test', submission: MM_2002, configFile: file, profile: 'heapgrade' })).checks.every((c) => c.beyond === undefined)).toBe(true);
    await expect(buildPlan({ mode: 'test', submission: MM_2002, configFile: file, checks: ['alignmnet'] })).rejects.toThrow(/unknown check "alignmnet"/);
  });

  it('carries the command\'s flags: over the configuration (unset ones leave it), the seed and --check-heap; a bad seed is named', async () => {
    const file = configFile({ alignment: 16, heapLimit: 1 << 20, callTimeoutMs: 5000 });
    const plan = await buildPlan({ mode: 'test', submission: 'ref:reference', configFile: file, seed: 7, checkHeap: true, overrides: { alignment: 8, heapLimit: undefined } });
    expect([plan.config.alignment, plan.config.heapLimit, plan.config.callTimeoutMs, plan.seed, plan.checkHeap, plan.compiler]).toStrictEqual([8, 1 << 20, 5000, 7, true, 'auto']);
    expect(validatePlan(JSON.parse(JSON.stringify(plan)))).toStrictEqual(plan);
    expect(() => validatePlan({ ...plan, seed: -1 })).toThrow(/`seed` must be a non-negative whole number/);
    await expect(buildPlan({ mode: 'test', submission: 'ref:reference', seed: 1.5 })).rejects.toThrow(/--seed must be a non-negative whole number, got 1\.5/);
  });
});

describe('the plan at the process boundary', () => {
  it('survives a JSON round trip unchanged and validates', async () => {
    const plan = await buildPlan({ mode: 'grade', submission: MM_2002, configFile: configFile({ profile: 'auto', workloads: { binary: { hidden: true } } }) });
    const across = JSON.parse(JSON.stringify(plan)) as unknown;
    expect(across).toStrictEqual(plan);
    expect(validatePlan(across)).toStrictEqual(plan);
    expect(openPlan(across, sealPlan(plan, 'job-nonce'), 'job-nonce')).toStrictEqual(plan);
  });

  it('is refused when sealed for another job, changed on the way, of another version, or malformed', async () => {
    const plan = await buildPlan({ mode: 'test', submission: 'ref:reference' });
    const seal = sealPlan(plan, 'job-nonce');
    expect(() => openPlan(plan, seal, 'another-job')).toThrow(PlanError);
    const richer = { ...plan, checks: plan.checks.map((c) => ({ ...c, maxPoints: c.maxPoints * 10 })) };
    expect(() => openPlan(richer, seal, 'job-nonce')).toThrow(/not sealed for this job/);
    expect(() => openPlan({ ...plan, version: 99 }, seal, 'job-nonce')).toThrow(/`version` must be 2/);
    expect(() => openPlan({ ...plan, profile: 'auto' }, seal, 'job-nonce')).toThrow(/`profile` must be decided/);
    expect(() => validatePlan(null)).toThrow(/expected a grading plan/);
  });


  it('a real child grades by the plan it got (no configuration file to read), and refuses one not sealed for its job', async () => {
    const file = configFile({ checks: { alignment: 20 } });
    const plan: GradingPlan = await buildPlan({ mode: 'test', submission: 'ref:reference', configFile: file, checks: ['alignment'] });
    // The child must not need the file: the plan carries its points.
    rmSync(file);
    const job = { kind: 'job', nonce: 'n1', mode: 'test', spec: 'ref:reference', plan, request: { jobs: 1 } };
    const good = await runGradingChild({ ...job, seal: sealPlan(plan, 'n1') });
    expect(good.kind).toBe('result');
    const report = (good as Extract<FinalMessage, { kind: 'result' }>).report;
    expect(report.checks.map((c) => [c.name, c.status, c.points, c.maxPoints])).toStrictEqual([['alignment', 'pass', 20, 20]]);

    const forged = await runGradingChild({ ...job, seal: sealPlan(plan, 'another-job') });
    expect(forged.kind).toBe('kit-error');
    expect((forged as { message: string }).message).toMatch(/not sealed for this job/);
  }, 120_000);
});

describe('the child runs the plan it received', () => {

  it('grades by the sealed plan as it is, never planning again from its configuration: points and a selection the configuration does not hold', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'heapgrade-plan-'));
    const trace = join(dir, 'tiny.rep');
    writeFileSync(trace, '2\n4\na 0 100\na 1 200\nf 0\nf 1\n');
    writeFileSync(join(dir, 'heapgrade.config.json'), JSON.stringify({ checks: { alignment: 5 }, workloads: { tiny: { file: 'tiny.rep' } } }));
    const built = await buildPlan({ mode: 'grade', submission: 'ref:reference', configFile: join(dir, 'heapgrade.config.json'), checks: ['alignment'], workloads: ['tiny'] });
    // The parent's to decide, and sealed: planFromConfig(plan.config) would give alignment the configuration's 5 points and every workload.
    const plan: GradingPlan = { ...built, checks: built.checks.map((c) => ({ ...c, maxPoints: 17 })) };
    const final = await runGradingChild({ kind: 'job', nonce: 'n2', mode: 'grade', spec: 'ref:reference', plan, seal: sealPlan(plan, 'n2'), request: { jobs: 1 }, traces: { [trace]: '2\n4\na 0 100\na 1 200\nf 0\nf 1\n' } });
    expect(final.kind).toBe('result');
    const report = (final as Extract<FinalMessage, { kind: 'result' }>).report as GradeReport;
    expect(report.checks.map((c) => [c.name, c.status, c.points, c.maxPoints])).toStrictEqual([['alignment', 'pass', 17, 17]]);
    expect(report.correctness).toStrictEqual({ points: 17, maxPoints: 17 });
    expect(report.workloads.map((w) => [w.name, w.status])).toStrictEqual([['tiny', 'pass']]);
  }, 180_000);
});

describe('score(plan, results)', () => {
  const planOf = async (profile: string, mode: 'test' | 'grade' = 'test') => buildPlan({ mode, submission: MM_2002, configFile: configFile({ profile, checks: { alignment: 20 } }), checks: ['alignment', 'free-null', 'churn'] });

  it('sets every point from the plan: a child that claims more is not believed', async () => {
    const s = score(await planOf('heapgrade'), { checks: [ran('alignment', 'pass', 999, 999), ran('free-null', 'fail', 4, 4), ran('churn', 'pass', 1, 12)] });
    expect(s.checks.map((c) => [c.name, c.points, c.maxPoints])).toStrictEqual([['alignment', 20, 20], ['free-null', 0, 4], ['churn', 12, 12]]);
    expect([s.correctness, s.status]).toStrictEqual([{ points: 32, maxPoints: 36 }, 'fail']);
  });

  it('applies the beyond-handout rule to raw results (a resumed journal holds them so), and is idempotent', async () => {
    const plan = await planOf('malloclab-2002');
    const once = score(plan, { checks: [ran('alignment', 'pass', 8, 8), ran('free-null', 'fail', 0, 4), ran('churn', 'pass', 12, 12)] });
    expect(once.checks[1]).toMatchObject({ status: 'pass', observed: 'fail', points: 0, maxPoints: 0, beyondHandout: true });
    expect(once.status).toBe('pass');
    expect(score(plan, { checks: once.checks })).toStrictEqual(once);
  });

  it('marks what did not run when the run stopped, and errs on what is missing otherwise', async () => {
    const plan = await planOf('heapgrade', 'grade');
    const stopped = score(plan, { checks: [ran('alignment', 'pass', 8, 8)], stopped: 'timed out' });
    expect(stopped.checks.map((c) => c.notRun)).toStrictEqual([undefined, 'timed out', 'timed out']);
    expect(stopped.workloads.every((w) => w.notRun === 'timed out')).toBe(true);
    expect(stopped.status).toBe('fail');
    expect(score(plan, { checks: [ran('alignment', 'pass', 8, 8)] }).status).toBe('error');
  });
});

describe('the trust policy: unconfined loading is reachable from tests only', () => {
  it('the token survives no JSON (a configuration, a job message, a journal): a look-alike is not unconfined', () => {
    const token = unconfinedForTests('attacks the OS sandbox');
    expect(isUnconfined(token)).toBe(true);
    expect(isUnconfined(JSON.parse(JSON.stringify(token)))).toBe(false);
    expect(isUnconfined({ why: 'attacks the OS sandbox' })).toBe(false);
    expect(isolatedPolicy('required', JSON.parse(JSON.stringify(token)) as never)).toStrictEqual({ confine: true, os: 'required' });
    expect(isolatedPolicy('off', token)).toStrictEqual({ confine: false, os: 'off' });
  });

  it('a plan is confined unless its builder was given the policy, and the seal covers it', async () => {
    const plan = await buildPlan({ mode: 'test', submission: 'ref:reference' });
    expect(plan.sandbox).toStrictEqual({ confine: true, os: 'in-process' });
    const seal = sealPlan(plan, 'n');
    expect(() => openPlan({ ...plan, sandbox: { confine: false, os: 'in-process' } }, seal, 'n')).toThrow(/not sealed for this job/);
  });
});
