/**
 * Loading C: compile errors and missing symbols are LoadErrors with the
 * documented messages; warnings, printf output, static data and the
 * compile cache.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LoadError } from '../../harness/util/errors.ts';
import { loadCSubmission } from '../../harness/wasm/load.ts';
import { toolchainStats } from '../../harness/wasm/toolchain.ts';
import { withBaselineWasm } from '../../harness/wasm/baseline-wasm.ts';
import { FIXTURES, runOps } from './helpers.ts';

const broken = (f: string): string => path.join(FIXTURES, 'broken', f);

describe('load errors', () => {
  it('a compile error is a LoadError carrying the compiler message with file:line', async () => {
    const e = await loadCSubmission(broken('syntax-error.c')).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(LoadError);
    expect((e as Error).message).toMatch(/did not compile/);
    expect((e as Error).message).toMatch(/syntax-error\.c:3:\d+: error: expected expression/);
  });

  it('a module clang makes that is not valid WebAssembly (type-wrong inline asm) is a LoadError naming the file, inside the bundled clang\'s window too', async () => {
    // Inside the window (another thread's clang running: a cold grade compiling the reference) V8 validates lazily,
    // and caches the module for the whole process: first there, then after it, the same LoadError.
    for (const run of [(f: () => Promise<unknown>) => withBaselineWasm(f), (f: () => Promise<unknown>) => f()]) {
      const e = await run(() => loadCSubmission(broken('invalid-asm.c'))).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(LoadError);
      expect((e as Error).message).toMatch(/invalid-asm\.c did not compile: clang made a module that is not valid WebAssembly/);
    }
  });

  it('a file with neither interface gets the list of what to define', async () => {
    const e = await loadCSubmission(broken('no-allocator.c')).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(LoadError);
    expect((e as Error).message).toMatch(/defines neither allocator interface.*malloc, free, calloc and realloc.*mm_init, mm_malloc, mm_free and mm_realloc/);
  });

  it('a partial malloclab submission is told what it lacks', async () => {
    const e = await loadCSubmission(broken('partial-malloclab.c')).catch((x: unknown) => x);
    expect((e as Error).message).toMatch(/does not define mm_free, mm_realloc/);
  });

  it('calling libc malloc from a malloclab submission is a link error', async () => {
    const e = await loadCSubmission(broken('calls-libc-malloc.c')).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(LoadError);
    expect((e as Error).message).toMatch(/did not link[\s\S]*undefined symbol: malloc[\s\S]*mem_sbrk/);
  });

  it('mm_init returning false is a LoadError at instantiate', async () => {
    const sub = await loadCSubmission(broken('init-fails.c'));
    expect(() => sub.instantiate({ seed: 1, limit: 1 << 20 })).toThrow(/mm_init returned 0 \(failure\)/);
  });

  it('-Wall warnings are notes with file:line', async () => {
    const sub = await loadCSubmission(broken('warns.c'));
    expect(sub.notes!.join('\n')).toMatch(/warns\.c:7:\d+: warning: unused variable 'unused'/);
  });
});

describe('running C', () => {
  it('captures printf/fprintf output per instance', async () => {
    const sub = await loadCSubmission(path.join(FIXTURES, 'printf-malloclab.c'));
    expect(sub.compiled.api.init).toBe('int');
    const inst = sub.instantiate({ seed: 1, limit: 1 << 20 });
    expect(inst.takeOutput!()).toBe(`mm_init: heap at 0x${inst.heap.base.toString(16)}, page 4096\n`);
    expect(runOps(inst, [{ kind: 'a', id: 0, size: 42 }])).toBeNull();
    expect(inst.takeOutput!()).toBe('malloc(42) -> [   ab|be  |007]\n');
    expect(inst.takeOutput!()).toBe('');
  });

  it('caps printf output with a visible marker', async () => {
    const sub = await loadCSubmission(path.join(FIXTURES, 'printf-malloclab.c'), { outputCap: 20 });
    const inst = sub.instantiate({ seed: 1, limit: 1 << 20 });
    expect(inst.takeOutput!()).toMatch(/^mm_init: heap at 0x[0-9a-f]\n\[heapgrade: output truncated, \d+ more characters not shown]/);
  });

  it('reports the static data of the submission, biggest symbols first', async () => {
    const sub = await loadCSubmission(path.join(FIXTURES, 'big-globals.c'));
    expect(sub.staticData).toEqual({ bytes: 4004, symbols: [{ name: 'table', bytes: 4000, compound: true }, { name: 'counter', bytes: 4 }] });
  });

  it('a second load of the same source runs no compiler', async () => {
    const file = path.join(FIXTURES, 'naive-malloclab.c');
    await loadCSubmission(file);
    const runs = toolchainStats.runs;
    const again = await loadCSubmission(file);
    expect(toolchainStats.runs).toBe(runs);
    expect(again.compiled.cached).toBe('memory');
  });

  it('puts the heap at a 4096-aligned, non-zero base that the seed moves', async () => {
    const sub = await loadCSubmission(path.join(FIXTURES, 'naive-malloclab.c'));
    const bases = new Set([1, 2, 3, 4, 5].map((seed) => sub.instantiate({ seed, limit: 1 << 20 }).heap.base));
    for (const b of bases) expect(b % 4096 === 0 && b > 0).toBe(true);
    expect(bases.size).toBeGreaterThan(1);
  });
});
