/**
 * C bulk memory is charged by what it touches (issue 19): memory.copy and
 * memory.fill by length, memory.grow by pages and only up to the heap limit.
 * The same shift or clear costs, as a library call, no less than the
 * cheapest plain loop doing it divided by the documented factor, and no
 * more than the dearest; a 1 GiB grow behind sbrk's back fails (it would
 * make the kit's guard scan a gigabyte) while a 1-page one is charged a
 * page's worth.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadCSubmission } from '../../harness/wasm/load.ts';
import { GROW_COST_PER_PAGE } from '../../harness/meter/wasm-pass.ts';
import type { WasmHeap } from '../../harness/wasm/wasm-heap.ts';
import { compileProfileOf } from '../../harness/wasm/compile-profile.ts';

const fixture = fileURLToPath(new URL('../fixtures/meter/bulk-memory.c', import.meta.url));
/** README "Metering": a library call costs at least the cheapest loop / LOOP_FACTOR. */
const LOOP_FACTOR = 3;

describe('C bulk memory', () => {
  it('memmove and memset cost about what the loops doing the same work cost', async () => {
    const sub = await loadCSubmission(fixture, { spec: 'bulk-memory.c' });
    const cost = (mode: number): number => {
      const inst = sub.instantiate({ seed: 1, limit: 1 << 20 });
      inst.allocator.malloc(mode);
      return inst.heap.meter!.lastCall;
    };
    const [memmove, byteLoop, wordLoop, memset, clearLoop, clearWords] = [1, 2, 3, 4, 5, 8].map(cost) as [number, number, number, number, number, number];
    // The honest loops and the library calls, side by side (printed for the README's factor).
    console.log({ memmove, byteLoop, wordLoop, memset, clearLoop, clearWords });
    expect(memmove).toBeGreaterThanOrEqual(Math.min(byteLoop, wordLoop) / LOOP_FACTOR);
    expect(memmove).toBeLessThanOrEqual(Math.max(byteLoop, wordLoop));
    expect(memset).toBeGreaterThanOrEqual(Math.min(clearLoop, clearWords) / LOOP_FACTOR);
    expect(memset).toBeLessThanOrEqual(Math.max(clearLoop, clearWords));
  }, 600_000);

  it('memory.grow past the heap limit fails without growing; one page is charged a page', async () => {
    const sub = await loadCSubmission(fixture, { spec: 'bulk-memory.c' });
    const inst = sub.instantiate({ seed: 1, limit: 1 << 20 });
    inst.allocator.malloc(0); // the allocator takes its area first
    const memory = (): number => (inst.heap as WasmHeap).bytes().length;
    const before = memory();
    expect(inst.allocator.malloc(6) | 0).toBe(-1);
    expect(memory()).toBe(before);
    inst.allocator.malloc(7);
    expect(inst.heap.meter!.lastCall).toBeGreaterThanOrEqual(GROW_COST_PER_PAGE);
  }, 600_000);

  it('under a 64-bit profile (memory64, i64 lengths) the same charges and the same grow limit hold', async () => {
    const sub = await loadCSubmission(fixture, { spec: 'bulk-memory.c', profile: compileProfileOf('malloclab-2010') });
    expect(sub.compiled.model).toBe('lp64');
    const inst = sub.instantiate({ seed: 1, limit: 1 << 20 });
    const cost = (mode: number): number => (inst.allocator.malloc(mode), inst.heap.meter!.lastCall);
    const [memmove, wordLoop, memset, clearWords] = [1, 3, 4, 8].map(cost) as [number, number, number, number];
    expect(memmove).toBeGreaterThanOrEqual(4096);
    expect(memmove).toBeGreaterThanOrEqual(wordLoop / LOOP_FACTOR);
    expect(memset).toBeGreaterThanOrEqual(clearWords / LOOP_FACTOR);
    const before = (inst.heap as WasmHeap).bytes().length;
    expect(inst.allocator.malloc(6)).toBeGreaterThan(2 ** 63); // -1 as an unsigned 64-bit pointer
    expect((inst.heap as WasmHeap).bytes().length).toBe(before);
    expect(cost(7)).toBeGreaterThanOrEqual(GROW_COST_PER_PAGE);
  }, 600_000);
});
