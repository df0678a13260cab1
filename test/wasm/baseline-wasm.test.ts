/**
 * The bundled clang runs with V8's baseline wasm compiler only
 * (harness/wasm/baseline-wasm.ts): a wasm function compiled inside the
 * window is never optimized however hot it gets, and one compiled after it
 * (a submission's module) is optimized as always, once hot. Seen through
 * V8's own test hook, in a child started with --allow-natives-syntax.
 */
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';

const child = new URL('./baseline-wasm-child.ts', import.meta.url).pathname;

describe('baseline wasm window', () => {
  it('keeps wasm compiled inside it on Liftoff, and V8 optimizes wasm compiled after it', async () => {
    const r = await execa('node', ['--allow-natives-syntax', '--import', 'tsx', child]);
    const seen = JSON.parse(r.stdout.trim().split('\n').pop()!) as { inside: boolean; after: boolean };
    expect(seen).toMatchObject({ inside: false, after: true });
  }, 120_000);

  it('is left alone when Node was started with one of its flags', async () => {
    // The process's own choice (here: no optimizing tier at all) stays: the window must not turn tier-up back on.
    const r = await execa('node', ['--allow-natives-syntax', '--no-wasm-tier-up', '--import', 'tsx', '-e', `
      const { withBaselineWasm } = await import(${JSON.stringify(new URL('../../harness/wasm/baseline-wasm.ts', import.meta.url).pathname)});
      const v8 = await import('node:v8');
      let set = 0;
      const real = v8.default.setFlagsFromString;
      v8.default.setFlagsFromString = (f) => { set++; real(f); };
      await withBaselineWasm(async () => {});
      console.log(set);
    `], { reject: false });
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('0');
  }, 120_000);
});
