/**
 * Attacks on the compartment (harness/confine), one real submission per
 * class (test/fixtures/attacks/): each attack fails, and its grade is no
 * higher than the same allocator's without the trick. Run through runTests
 * and gradeSubmission in process; batch and gradescope are the sandbox's tests.
 */
import { describe, expect, it } from 'vitest';
import { resolveCheckerOptions } from '../../harness/checker/options.ts';
import { DEFAULT_CONFIG } from '../../harness/config/defaults.ts';
import { gradeSubmission } from '../../harness/grade/grade.ts';
import { DEFAULT_HEAP_LIMIT } from '../../harness/heap/sim-heap.ts';
import { loadSubmission } from '../../harness/loader/load.ts';
import { buildCheckOps } from '../../harness/runner/check-runner.ts';
import { runTests } from '../../harness/runner/run-tests.ts';
import { findCheck } from '../../suites/correctness/index.ts';

const attack = (name: string): string => new URL(`../fixtures/attacks/${name}.ts`, import.meta.url).pathname;
const zoo = (name: string): string => new URL(`../fixtures/zoo/${name}.ts`, import.meta.url).pathname;

const points = (r: { checks: { points: number }[] }): number => r.checks.reduce((s, c) => s + c.points, 0);
const outputOf = (r: { checks: { output?: string }[] }): string => r.checks.map((c) => c.output ?? '').join('\n');
/** Every line an attack printed about its attempts, e.g. "forge globalThis.process: blocked (...)". */
const attempts = (out: string, prefix: string): string[] => out.split('\n').filter((l) => l.startsWith(`${prefix} `));

describe('a submission that attacks the compartment', () => {
  it('cannot reach parentPort, process.send or any channel to post a forged result', async () => {
    const checks = ['alignment', 'churn'];
    const forged = await runTests(attack('forge-port'), { checks, jobs: 1 });
    const honest = await runTests(zoo('misaligned'), { checks, jobs: 1 });
    const tried = attempts(outputOf(forged), 'forge');
    expect(tried.length).toBeGreaterThanOrEqual(10);
    expect(tried.filter((l) => !/: blocked \(/.test(l))).toEqual([]);
    expect(forged.checks.find((c) => c.name === 'alignment')?.status).toBe('fail');
    expect(points(forged)).toBeLessThanOrEqual(points(honest));
  });

  it('cannot patch the clocks or the methods the reference and the replay use', async () => {
    const before = [Date.now, performance.now, Uint8Array.prototype.fill, Object.getPrototypeOf(Uint8Array.prototype).set, Map.prototype.get, Array.prototype.push];
    const loaded = await loadSubmission(attack('patch-clocks'));
    // It tries at load time (kept as the module's load output) and again in its factory.
    const out = [loaded.loadOutput, loaded.instantiate({ seed: 1, limit: 1 << 20 }).takeOutput?.()].filter(Boolean).join('\n');
    const tried = attempts(out, 'patch');
    expect(tried.length).toBe(11);
    expect(tried.filter((l) => !/: blocked \(/.test(l))).toEqual([]);
    expect(out).toContain('Date.now in here: throws');
    expect(out).toContain('Math.random in here: throws');
    // The realm the grader measures in is untouched.
    expect([Date.now, performance.now, Uint8Array.prototype.fill, Object.getPrototypeOf(Uint8Array.prototype).set, Map.prototype.get, Array.prototype.push]).toEqual(before);
    // And its grade is the plain allocator's, to the hundredth (speed by counted cost: no clock to fool).
    const config = { ...DEFAULT_CONFIG, speed: 'cost' as const };
    const options = { config, skipChecks: true, workloads: ['coalescing', 'random-churn'] };
    const patched = await gradeSubmission(attack('patch-clocks'), options);
    const plain = await gradeSubmission(zoo('correct'), options);
    expect(patched.score).toBe(plain.score);
  });

  it('cannot write the watchdog progress cell: an endless loop is a timeout at its call', async () => {
    // The step budget stops it (deterministic); the wall-clock backstop is set far away so it never decides.
    const report = await runTests(attack('spin-progress'), { checks: ['churn'], callTimeoutMs: 120_000, jobs: 1 });
    const churn = findCheck('churn')!;
    const ops = buildCheckOps(churn, { seed: 1, limit: DEFAULT_HEAP_LIMIT, checker: resolveCheckerOptions({}) });
    const tenthMalloc = ops.map((op, i) => (op.kind === 'a' ? i : -1)).filter((i) => i >= 0)[9];
    const v = report.checks[0]!.violations[0]!;
    expect(v.kind).toBe('timeout');
    // At the tenth malloc of the check's own trace (the repro, shrunk, numbers its calls anew).
    expect(v.foundAt ?? v.op).toBe(tenthMalloc);
    expect(v.message).toMatch(/budget/);
  });

  it('cannot read the environment, files or the process: every attempt is blocked, the secret never printed', async () => {
    const secret = `hg-secret-${process.pid}-${Math.random().toString(36).slice(2)}`;
    process.env.HEAPGRADE_CONFINE_SECRET = secret;
    try {
      const leaked = await runTests(attack('leak-runtime'), { checks: ['alignment'], jobs: 1 });
      const honest = await runTests(zoo('correct'), { checks: ['alignment'], jobs: 1 });
      const out = outputOf(leaked);
      expect(out).not.toContain(secret);
      const tried = attempts(out, 'leak');
      expect(tried.length).toBe(16);
      expect(tried.filter((l) => !/: blocked \(/.test(l))).toEqual([]);
      expect(points(leaked)).toBe(points(honest));
    } finally {
      delete process.env.HEAPGRADE_CONFINE_SECRET;
    }
  });

  it('fails to load when it imports a node: module, naming the import', async () => {
    const report = await runTests(attack('leak-import-fs'), { checks: ['alignment'], jobs: 1 });
    expect(report.status).toBe('fail');
    expect(report.checks).toEqual([]);
    expect(report.error).toContain('leak-import-fs.ts:2:');
    expect(report.error).toContain('"node:fs" cannot be imported');
    expect(report.error).toContain('only the heap');
  });

  it('fails to load when it imports with a computed specifier', async () => {
    const report = await runTests(attack('leak-dynamic-import'), { checks: ['alignment'], jobs: 1 });
    expect(report.status).toBe('fail');
    expect(report.error).toContain('import(...)');
    expect(report.error).toContain('only the heap');
  });

  it('prints what it records only into the trusted capture, not the process output', async () => {
    const loaded = await loadSubmission(attack('record-calls'));
    const instance = loaded.instantiate({ seed: 1, limit: 1 << 20 });
    const written: string[] = [];
    const write = process.stdout.write;
    process.stdout.write = ((chunk: string | Uint8Array) => (written.push(String(chunk)), true)) as typeof process.stdout.write;
    try {
      for (let i = 1; i <= 64; i++) instance.allocator.malloc(i);
    } finally {
      process.stdout.write = write;
    }
    expect(written.join('')).not.toContain('recorded:');
    const out = instance.takeOutput?.() ?? '';
    expect(out).toMatch(/^recorded: a 1 a 2 a 3 .* a 64$/);
    expect(instance.takeOutput?.()).toBe('');
    // Graded like the plain allocator.
    const recorded = await runTests(attack('record-calls'), { checks: ['churn'], jobs: 1 });
    const plain = await runTests(zoo('correct'), { checks: ['churn'], jobs: 1 });
    expect(outputOf(recorded)).toContain('recorded: ');
    expect(points(recorded)).toBe(points(plain));
  });
});
