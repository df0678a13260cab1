/**
 * The compartment loader's extension point (harness/confine/compartment.ts):
 * transforms reach all code the compartment evaluates, endowments are
 * hardened and cannot be replaced, and `confine: false` (trusted callers
 * only) loads the module unconfined.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluateConfined } from '../../harness/confine/compartment.ts';
import { bundleTsConfined } from '../../harness/loader/bundle-ts.ts';
import { loadSubmission } from '../../harness/loader/load.ts';
import { runTests } from '../../harness/runner/run-tests.ts';

const dir = mkdtempSync(join(tmpdir(), 'hg-confine-'));
function source(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

describe('the compartment loader', () => {
  it('applies transforms to the bundle and to code the submission evaluates itself', async () => {
    const file = source('t.ts', "export const direct = 'MARK';\nexport const viaEval = (0, eval)(\"'MARK'\");\nexport const viaFunction = Function(\"return 'MARK'\")();\n");
    const seen: string[] = [];
    const mod = evaluateConfined('t.ts', await bundleTsConfined(file), {
      transforms: [(src) => (seen.push(src), src.replaceAll('MARK', 'metered'))],
    });
    expect(mod.exports).toMatchObject({ direct: 'metered', viaEval: 'metered', viaFunction: 'metered' });
    expect(seen.length).toBeGreaterThanOrEqual(3);
  });

  it('gives trusted endowments that code inside can call but not replace or patch', async () => {
    const file = source(
      'e.ts',
      [
        'const g = globalThis as any;',
        'const tries: string[] = [];',
        "const attempt = (name: string, f: () => void) => { try { f(); tries.push(`${name}: changed`); } catch { tries.push(`${name}: blocked`); } };",
        "attempt('assign', () => { g.meter = () => 0; });",
        "attempt('define', () => Object.defineProperty(g, 'meter', { value: () => 0 }));",
        "attempt('patch', () => { g.meter.extra = 1; });",
        "attempt('delete', () => { if (!delete g.meter) throw new Error('no'); });",
        "attempt('print', () => { g.print = () => 0; });",
        'g.meter(5);',
        'export { tries };',
      ].join('\n'),
    );
    let counted = 0;
    const mod = evaluateConfined('e.ts', await bundleTsConfined(file), { endowments: { meter: (n: number) => void (counted += n) } });
    expect(mod.exports.tries).toEqual(['assign: blocked', 'define: blocked', 'patch: blocked', 'delete: blocked', 'print: blocked']);
    expect(counted).toBe(5);
  });

  it('refuses an endowment that would shadow print or console', async () => {
    const bundle = await bundleTsConfined(source('r.ts', 'export default 1;\n'));
    expect(() => evaluateConfined('r.ts', bundle, { endowments: { console: {} } })).toThrow(/"console" is reserved/);
  });

  it('lets a submission declare top-level names that are also globals', async () => {
    const file = source('d.ts', "function print(x: number) { return x * 2; }\nconst Map = 3;\nlet console = { n: 1 };\nexport const got = [print(2), Map, console.n];\n");
    expect(evaluateConfined('d.ts', await bundleTsConfined(file)).exports.got).toEqual([4, 3, 1]);
  });

  it('has no process, timers, clock or randomness inside', async () => {
    const file = source(
      'g.ts',
      "const g = globalThis as any;\nconst t = (f: () => unknown) => { try { return String(f()); } catch (e) { return 'throws'; } };\nexport const seen = [typeof g.process, typeof g.setTimeout, typeof g.setInterval, typeof g.queueMicrotask, typeof g.require, t(() => Date.now()), t(() => Math.random())];\n",
    );
    const mod = evaluateConfined('g.ts', await bundleTsConfined(file));
    expect(mod.exports.seen).toEqual(['undefined', 'undefined', 'undefined', 'undefined', 'undefined', 'throws', 'throws']);
  });

  it('loads unconfined only when a trusted caller passes confine: false', async () => {
    const fixture = new URL('../fixtures/attacks/leak-import-fs.ts', import.meta.url).pathname;
    await expect(loadSubmission(fixture)).rejects.toThrow(/"node:fs" cannot be imported/);
    // What the module sees shows in what malloc returns (the kit hands out only the four methods it wraps).
    const file = source('u.ts', "export default function createAllocator() { return { malloc: () => (typeof process === 'object' ? 1 : 2), free() {}, calloc: () => 0, realloc: () => 0 }; }\n");
    const unconfined = await loadSubmission(file, { confine: false });
    const confined = await loadSubmission(file);
    expect(unconfined.instantiate({ seed: 1, limit: 4096 }).allocator.malloc(8)).toBe(1);
    expect(confined.instantiate({ seed: 1, limit: 4096 }).allocator.malloc(8)).toBe(2);
  });

  it('runs the check workers unconfined only with the trusted switch', async () => {
    const forger = new URL('../fixtures/attacks/forge-port.ts', import.meta.url).pathname;
    const unconfined = await runTests(forger, { checks: ['alignment'], jobs: 1, confine: false });
    expect(unconfined.checks[0]?.output).toContain('forge globalThis.process: REACHED object');
    const confined = await runTests(forger, { checks: ['alignment'], jobs: 1 });
    expect(confined.checks[0]?.output).toContain('forge globalThis.process: blocked');
  });
});
