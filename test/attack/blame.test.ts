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
 * is `it.fails` until the meter charges or refuses it; the call limit is
 * small so the test is quick, and the work is so far past any budget that
 * the outcome does not depend on the machine's speed.
 *
 * Fixed: a pointer returned as an object whose Symbol.toPrimitive throws
 * was described with String(value) by the checker, outside any metered call,
 * so the student's code ran in the kit's context and the check was the
 * kit's error (exit 3). It is the student's out-of-heap failure now.
 */
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
  it.fails('BigInt arithmetic on huge values in every malloc: not a heapgrade error', async () => {
    const r = await runTests(fixture('bigint-spin.ts'), { checks: ['alignment'], jobs: 1, callTimeoutMs: 1500 }).catch((e: unknown) => e);
    // Refused at load (the student's load failure) would do as well as a timeout.
    if (r instanceof LoadError) return;
    const check = (r as Awaited<ReturnType<typeof runTests>>).checks[0]!;
    expect(check.status).toBe('fail');
  }, 120_000);
});
