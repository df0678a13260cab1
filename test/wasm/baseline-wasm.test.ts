/**
 * The bundled clang runs with V8's baseline wasm compiler only
 * (harness/wasm/baseline-wasm.ts): a wasm function compiled inside the
 * window is never optimized however hot it gets, and one compiled after it
 * (a submission's module) is optimized as always, once hot; a module's
 * validation waits for each function's first call inside it only. Seen through
 * V8's own test hook, in a child started with --allow-natives-syntax.
 */
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';

const child = new URL('./baseline-wasm-child.ts', import.meta.url).pathname;
type Seen = { inside: boolean; after: boolean; invalidInside: boolean; invalidAfter: boolean };
let ran: Promise<Seen> | undefined;
/** The child's findings, run once for the tests that read them. */
const childSaw = (): Promise<Seen> =>
  (ran ??= execa('node', ['--allow-natives-syntax', '--import', 'tsx', child]).then((r) => JSON.parse(r.stdout.trim().split('\n').pop()!) as Seen));

describe('baseline wasm window', () => {
  it('keeps wasm compiled inside it on Liftoff, and V8 optimizes wasm compiled after it', async () => {
    expect(await childSaw()).toMatchObject({ inside: false, after: true });
  }, 120_000);

  it('validates a module lazily inside it (each function before its first run), eagerly after it', async () => {
    expect(await childSaw()).toMatchObject({ invalidInside: true, invalidAfter: false });
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
