/**
 * Red team, blame shifting (issue 19 item 4/5, issue 20 item 5): nothing a
 * submission does may become "heapgrade error (not your fault)" and exit 3.
 * BigInt arithmetic on huge values is work the step meter does not see
 * (README "Still not seen"): bigint-spin.ts spends minutes of CPU in a
 * handful of ticks per malloc, so the wall-clock backstop stops the call
 * twice and the check is the kit's `error`. Measured on main (heapgrade test
 * --check alignment --call-timeout 5000): "! alignment 0/8 heapgrade error
 * (not your fault)", exit 3, 30 s. The verdict the brief asks for is the
 * student's (a timeout, or BigInt not endowed / refused at load), so the test
 * was `it.fails` until the kit refused it (no BigInt in the compartment: the
 * literal is refused at load, the student's load failure); the call limit is
 * small so the test is quick, and the work is so far past any budget that
 * the outcome does not depend on the machine's speed.
 *
 * Fixed: a pointer returned as an object whose Symbol.toPrimitive throws
 * was described with String(value) by the checker, outside any metered call,
 * so the student's code ran in the kit's context and the check was the
 * kit's error (exit 3). It is the student's out-of-heap failure now.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runTests } from '../../harness/runner/run-tests.ts';
import { LoadError } from '../../harness/util/errors.ts';

const fixture = (name: string): string => fileURLToPath(new URL(`../fixtures/attack/${name}`, import.meta.url));

describe('a returned value is never converted by the kit (red team)', () => {
  it("an object with a throwing Symbol.toPrimitive returned as a pointer is the student's failure, named", async () => {
    const r = await runTests(fixture('return-toprimitive.ts'), { checks: ['alignment'], jobs: 1 });
    const check = r.checks[0]!;
    expect(check.status, JSON.stringify(check.error)).toBe('fail');
    expect(check.violations[0]!.message).toMatch(/^b\d+ = malloc\(\d+\) returned an object, which is not an address/);
  }, 120_000);
});

describe('unmetered work is the student\'s, not the kit\'s (red team)', () => {
  it('BigInt arithmetic on huge values in every malloc: not a heapgrade error (BigInt is refused at load)', async () => {
    const r = await runTests(fixture('bigint-spin.ts'), { checks: ['alignment'], jobs: 1, callTimeoutMs: 1500 }).catch((e: unknown) => e);
    // Refused at load (the student's load failure) would do as well as a timeout.
    if (r instanceof LoadError) return;
    const report = r as Awaited<ReturnType<typeof runTests>>;
    // The student's load failure, naming the literal's line and the fix, and no check that is the kit's error.
    expect(report.error).toMatch(/bigint-spin\.ts:\d+:\d+ uses a BigInt, whose arithmetic the kit cannot meter/);
    expect(report.checks.filter((c) => c.status === 'error')).toEqual([]);
  }, 120_000);
});

/**
 * The same unmetered work on a hidden workload only is one bit about that
 * workload, visible before publication: Gradescope's top-level output turned
 * into "GRADING ERROR" with score 0 (exit 3) exactly when the hidden trace
 * held a request of 31337 bytes. Measured on main: score 0, heapgrade_status
 * error, the hidden test's output naming the backstop.
 */
describe('a hidden workload cannot change what the student sees (red team)', () => {
  it('unmetered work on the hidden trace only: the visible result is not a grading error', () => {
    const root = mkdtempSync(join(tmpdir(), 'heapgrade-attack-hidden-'));
    for (const d of ['source/traces', 'submission', 'results']) mkdirSync(join(root, d), { recursive: true });
    writeFileSync(join(root, 'source/traces/secret.rep'), '20000\n2\n4\n1\na 0 31337\na 1 24\nf 0\nf 1\n');
    writeFileSync(
      join(root, 'source/heapgrade.config.json'),
      JSON.stringify({
        profile: 'heapgrade',
        callTimeoutMs: 1500,
        onlyListedWorkloads: true,
        workloads: { binary: { weight: 1, hidden: false }, secret: { file: 'traces/secret.rep', weight: 2, hidden: true } },
      }),
    );
    const source = readFileSync(fixture('hidden-bit/allocator.ts'), 'utf8').replace(/'(\.\.\/)+harness\//g, `'${fileURLToPath(new URL('../../harness/', import.meta.url))}`);
    writeFileSync(join(root, 'submission/allocator.ts'), source);
    try {
      execFileSync('node', [fileURLToPath(new URL('../../scripts/heapgrade.mjs', import.meta.url)), 'gradescope', '--root', root, '--sandbox', 'off'], { stdio: 'pipe' });
    } catch {
      // exit 3 on main: the results are read below either way.
    }
    const results = JSON.parse(readFileSync(join(root, 'results/results.json'), 'utf8')) as { output: string; extra_data: { heapgrade_status: string } };
    expect(results.output).not.toMatch(/GRADING ERROR/);
    expect(results.extra_data.heapgrade_status).not.toBe('error');
  }, 300_000);
});

describe('no BigInt reaches the compartment (red team)', () => {
  it.each([
    ['the BigInt global', 'const b = (globalThis as any).BigInt;\nif (b) throw new Error("endowed");'],
    ['a BigInt typed array', 'const B = (globalThis as any).BigInt64Array;\nif (B) throw new Error("endowed");'],
    ["DataView's BigInt getter", 'const big = new DataView(new ArrayBuffer(8)).getBigUint64(0);\nexport const x = big;'],
  ])("%s: refused or absent, the student's load failure at worst", async (_name, code) => {
    const dir = mkdtempSync(join(tmpdir(), 'heapgrade-attack-bigint-'));
    const file = join(dir, 'allocator.ts');
    writeFileSync(file, `${code}\nexport default function createAllocator() {\n  let brk = 16;\n  return { malloc: (n: number) => (n === 0 ? 0 : (brk += 16 + (n & ~15))), free() {}, calloc: () => 0, realloc: () => 0 };\n}\n`);
    const r = await runTests(file, { checks: ['alignment'], jobs: 1 });
    if (code.includes('getBigUint64')) expect(r.error).toMatch(/getBigUint64 \(BigInt arithmetic cannot be metered\)/);
    else expect(r.error).toBeUndefined(); // absent: the module's own check did not throw
  }, 120_000);
});
