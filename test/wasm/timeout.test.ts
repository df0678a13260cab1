/** An endless loop inside C code (wasm) is stopped by its step budget like a TypeScript one (the wall clock is only a backstop). */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runTests } from '../../harness/runner/run-tests.ts';

const FIXTURE = fileURLToPath(new URL('../fixtures/c/hang-on-zero.c', import.meta.url));

describe('C timeouts', () => {
  it('a C allocator that never returns from malloc(0) gets a timeout at that call; the other checks still run', async () => {
    const r = await runTests(FIXTURE, { checks: ['zero-size', 'alignment'], checker: { stepBudget: { c: 5_000_000, ts: 5_000_000 } }, callTimeoutMs: 120_000 });
    const byName = Object.fromEntries(r.checks.map((c) => [c.name, c]));
    expect(byName['zero-size']!.violations[0]).toMatchObject({ kind: 'timeout', op: 0 });
    expect(byName.alignment!.status).toBe('pass');
  });
});
