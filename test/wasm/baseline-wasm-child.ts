// Run by baseline-wasm.test.ts as `node --allow-natives-syntax --import tsx`: a hot wasm
// function compiled inside withBaselineWasm's window, and one compiled after it,
// called alike until the second is optimized (or 5000 rounds); prints what each tier ended as,
// and whether an invalid module compiles inside the window (validated lazily) and after it.
import { withBaselineWasm } from '../../harness/wasm/baseline-wasm.ts';

declare function isTurbofan(f: unknown): boolean;
// V8's own test hook (--allow-natives-syntax), kept out of TypeScript's sight.
const tiered = new Function('f', 'return %IsTurboFanFunction(f)') as typeof isTurbofan;

/** A module exporting `name`: sum of i*i for i < n (a hot loop). */
const module = (name: string): WebAssembly.Module =>
  new WebAssembly.Module(
    new Uint8Array([
      0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 1, 6, 1, 0x60, 1, 0x7f, 1, 0x7f, 3, 2, 1, 0, 7, 5, 1, 1, name.charCodeAt(0), 0, 0, 0x0a, 0x28, 1, 0x26, 1, 2, 0x7f, 0x02, 0x40, 0x03, 0x40, 0x20, 1, 0x20, 0, 0x4f,
      0x0d, 1, 0x20, 2, 0x20, 1, 0x20, 1, 0x6c, 0x6a, 0x21, 2, 0x20, 1, 0x41, 1, 0x6a, 0x21, 1, 0x0c, 0, 0x0b, 0x0b, 0x20, 2, 0x0b,
    ]),
  );
const exported = (name: string): ((n: number) => number) => new WebAssembly.Instance(module(name), {}).exports[name] as (n: number) => number;
const nextTask = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** A module whose one function adds with nothing on the stack: invalid. */
const INVALID = new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 1, 6, 1, 0x60, 1, 0x7f, 1, 0x7f, 3, 2, 1, 0, 0x0a, 5, 1, 3, 0, 0x6a, 0x0b]);
const compiles = async (): Promise<boolean> => WebAssembly.compile(INVALID).then(() => true, () => false);

const { inside, invalidInside } = await withBaselineWasm(async () => {
  const f = exported('a');
  f(1000); // compiled (lazily, at its first call) inside the window
  return { inside: f, invalidInside: await compiles() };
});
const invalidAfter = await compiles();
const after = exported('b');
// Both run alike, outside the window, until the one compiled after it is optimized (V8 does, once it is hot).
let rounds = 0;
while (!tiered(after) && rounds < 5000) {
  for (let i = 0; i < 20; i++) {
    inside(10_000);
    after(10_000);
  }
  await nextTask();
  rounds++;
}
console.log(JSON.stringify({ inside: tiered(inside), after: tiered(after), rounds, invalidInside, invalidAfter }));
