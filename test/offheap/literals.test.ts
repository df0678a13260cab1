/**
 * WebAssembly has no read-only memory (issue 19): a string literal within
 * the 2 KiB literal allowance, behind a pointer the static-data rule allows,
 * is still writable. Written as a side table (free-list heads), it fails
 * off-heap-metadata, named by the literal; the control, which keeps its
 * heads in the heap and only reads its literal, passes. Both are otherwise
 * correct allocators.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runTests } from '../../harness/runner/run-tests.ts';
import { loadCSubmission } from '../../harness/wasm/load.ts';
import { readOnlySegments } from '../../harness/wasm/read-only.ts';
import type { WasmHeap } from '../../harness/wasm/wasm-heap.ts';

const c = (name: string): string => fileURLToPath(new URL(`../fixtures/offheap/${name}`, import.meta.url));

describe('string literals are not a writable side table', () => {
  it('the literal heads fail off-heap-metadata at the first scan after a write; the read-only control passes', async () => {
    const hostile = await runTests(c('literal-heads.c'), { checks: ['off-heap-metadata', 'churn'], jobs: 1 });
    expect(hostile.error).toBeUndefined();
    const off = hostile.checks.find((r) => r.name === 'off-heap-metadata')!;
    expect(off.status).toBe('fail');
    // The frees start at call 1024 (the first write into the literal); the scan after call 1040 sees it.
    expect(off.violations[0]!.message).toMatch(
      /^after 1040 calls, \d+ bytes of the module's string literals and constants \(\.rodata\) were written, first at 0x[0-9a-f]+ in the literal "\.{40}…": a table kept outside the heap$/,
    );
    expect(hostile.checks.find((r) => r.name === 'churn')!.status).toBe('pass');
    const control = await runTests(c('literal-reads.c'), { checks: ['off-heap-metadata', 'churn'], jobs: 1 });
    expect(control.checks.map((r) => [r.name, r.status])).toEqual([['off-heap-metadata', 'pass'], ['churn', 'pass']]);
  }, 600_000);

  it('finds the .rodata segment and the literal a write landed in', async () => {
    const loaded = await loadCSubmission(c('literal-heads.c'));
    // Within the static-data rule: a 4-byte pointer, and 1 KiB of literals (under the 2 KiB allowance).
    expect(loaded.staticData).toEqual({ bytes: 4, symbols: [{ name: 'heads', bytes: 4 }] });
    const segments = readOnlySegments(loaded.compiled.wasm);
    expect(segments.map((s) => [s.name, s.bytes.length])).toEqual([['.rodata', 1025]]);
    const instance = loaded.instantiate({ seed: 1, limit: 1 << 20 });
    expect(instance.readOnlyWritten!()).toBeNull();
    const memory = (instance.heap as unknown as WasmHeap).bytes();
    memory[segments[0]!.start + 3] = 0x41;
    expect(instance.readOnlyWritten!()).toEqual({ address: segments[0]!.start + 3, segment: '.rodata', was: `${'.'.repeat(40)}…`, bytes: 1 });
  }, 600_000);
});
