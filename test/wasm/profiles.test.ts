/**
 * Handout-style C files (test/fixtures/c/handouts/<profile>/) load as handed
 * in and pass under their course profile; a deliberately broken variant of
 * each is flagged with the right kind; a check beyond the handout scores 0
 * and never fails; the 64-bit profiles run memory64 WebAssembly. Real
 * compiler, real workers: each file is compiled once (then cached on disk).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../harness/config/validate.ts';
import { testOptionsFromConfig } from '../../harness/config/test-options.ts';
import type { ViolationKind } from '../../harness/checker/violation.ts';
import { runTests } from '../../harness/runner/run-tests.ts';
import { compileProfileOf } from '../../harness/wasm/compile-profile.ts';
import { compileC } from '../../harness/wasm/compile.ts';
import { loadCSubmission } from '../../harness/wasm/load.ts';
import { FIXTURES } from './helpers.ts';

const H = path.join(FIXTURES, 'handouts');
const SLOW = 600_000;

/** The options `heapgrade test --profile NAME` runs with (a short property search: this is about profiles). */
function optionsFor(profile: string) {
  const config = validateConfig({ profile, property: { timeLimitMs: 500 } }, { source: 'test' }).config!;
  return { ...testOptionsFromConfig(config), jobs: 1 };
}

const CASES: { profile: string; good: string; broken: string; check: string; kind: ViolationKind }[] = [
  { profile: 'malloclab-2002', good: 'malloclab-2002/mm.c', broken: 'malloclab-2002/mm-broken.c', check: 'alignment', kind: 'misaligned' },
  { profile: 'malloclab-2010', good: 'malloclab-2010/mm.c', broken: 'malloclab-2010/mm-broken.c', check: 'tiny-blocks', kind: 'overlap' },
  { profile: 'malloclab-2016', good: 'malloclab-2016/mm.c', broken: 'malloclab-2016/mm-broken.c', check: 'realloc', kind: 'realloc-data-lost' },
  { profile: 'cs341', good: 'cs341/alloc.c', broken: 'cs341/alloc-broken.c', check: 'calloc-dirty', kind: 'calloc-not-zeroed' },
  // A 2013 file: `void mm_checkheap(int verbose)` called before its definition (the kit's mm.h declares it as defined).
  { profile: 'malloclab-2010', good: 'malloclab-2013/mm-void.c', broken: 'malloclab-2013/mm-void-broken.c', check: 'tiny-blocks', kind: 'overlap' },
  // A 2014 file: `int mm_init`, `int mm_checkheap(int)`, ALIGNMENT 8, contracts.h.
  { profile: 'malloclab-2013', good: 'malloclab-2013/mm.c', broken: 'malloclab-2013/mm-broken.c', check: 'realloc', kind: 'realloc-data-lost' },
  // LP64: `static size_t f(char *)` defined as `static word_t f(char *b)`, word_t being uint64_t (one type on x86-64 glibc).
  { profile: 'malloclab-2016', good: 'malloclab-2016/mm-word.c', broken: 'malloclab-2016/mm-word-broken.c', check: 'realloc', kind: 'realloc-data-lost' },
  // The course's own mm.h/memlib.h beside the file define KEY and KEY2, which the file uses.
  { profile: 'malloclab-2010', good: 'course-headers/mm.c', broken: 'course-headers/mm-broken.c', check: 'tiny-blocks', kind: 'overlap' },
];

describe.each(CASES)('$profile', ({ profile, good, broken, check, kind }) => {
  it(`${good} loads as handed in and passes every required check`, { timeout: SLOW }, async () => {
    const r = await runTests(path.join(H, good), optionsFor(profile));
    expect(r.error).toBeUndefined();
    const failed = r.checks.filter((c) => c.status !== 'pass').map((c) => `${c.name}: ${c.violations[0]?.message ?? c.error}`);
    expect(failed).toEqual([]);
    expect(r.status).toBe('pass');
  });

  it(`${broken} is flagged: ${check} finds ${kind}`, { timeout: SLOW }, async () => {
    const r = await runTests(path.join(H, broken), { ...optionsFor(profile), checks: [check] });
    expect(r.error).toBeUndefined();
    expect(r.status).toBe('fail');
    expect(r.checks[0]!.violations[0]?.kind).toBe(kind);
  });
});

describe('beyond the handout', () => {
  it('the 2002 textbook mm_free(NULL) crashes: reported beyond the handout, 0 points, not a failure; under the strict profile it fails', { timeout: SLOW }, async () => {
    const file = path.join(H, 'malloclab-2002/mm.c');
    const r = await runTests(file, { ...optionsFor('malloclab-2002'), checks: ['free-null', 'zero-size', 'calloc-dirty'] });
    expect(r.status).toBe('pass');
    const freeNull = r.checks.find((c) => c.name === 'free-null')!;
    expect(freeNull).toMatchObject({ status: 'pass', observed: 'fail', required: false, beyondHandout: true, points: 0, maxPoints: 0 });
    expect(freeNull.beyondReason).toMatch(/mm_free/);
    expect(freeNull.violations[0]?.kind).toBe('segfault');
    // calloc is beyond the 2002 handout too: it ran (the kit's calloc over mm_malloc) and passed, still worth 0.
    expect(r.checks.find((c) => c.name === 'calloc-dirty')).toMatchObject({ status: 'pass', observed: 'pass', maxPoints: 0 });
    // zero-size is required, and passes because the 2002 profile never frees the NULL that malloc(0) returned.
    expect(r.checks.find((c) => c.name === 'zero-size')).toMatchObject({ status: 'pass', maxPoints: 4 });

    // The same file under a profile that requires free(NULL) fails it, on the same evidence.
    const strict = await runTests(file, { ...optionsFor('malloclab-2002'), beyond: {}, checker: { alignment: 8, freeNullOfFailed: true }, checks: ['free-null'] });
    expect(strict.status).toBe('fail');
    expect(strict.checks[0]).toMatchObject({ status: 'fail', violations: [expect.objectContaining({ kind: 'segfault' })] });
    expect(strict.checks[0]!.beyondHandout).toBeUndefined();
  });
});

describe('rules that follow the handout', () => {
  it('2002: realloc(NULL, 0) is beyond the handout (the call is left out); a 2002 realloc that frees first passes; its broken twin is still flagged', { timeout: SLOW }, async () => {
    const file = path.join(H, 'malloclab-2002/mm-realloc-frees-first.c');
    const lab = await runTests(file, { ...optionsFor('malloclab-2002'), checks: ['zero-size', 'realloc'] });
    expect(lab.checks.map((c) => [c.name, c.status, c.maxPoints])).toEqual([['zero-size', 'pass', 4], ['realloc', 'pass', expect.any(Number)]]);
    // The kit's own profile requires realloc(NULL, 0): the same file fails (mm_free(NULL) of the textbook code).
    const strict = await runTests(file, { ...optionsFor('heapgrade'), checks: ['zero-size'] });
    expect(strict.checks[0]).toMatchObject({ status: 'fail', violations: [expect.objectContaining({ kind: 'segfault' })] });
    const twin = await runTests(path.join(H, 'malloclab-2002/mm-realloc-frees-first-broken.c'), { ...optionsFor('malloclab-2002'), checks: ['realloc'] });
    expect(twin.checks[0]).toMatchObject({ status: 'fail', violations: [expect.objectContaining({ kind: 'realloc-data-lost' })] });
  });

  it('2002: no global arrays or structs (an 80-byte array fails, scalars pass); the 2016 rule of 128 bytes would let it through', { timeout: SLOW }, async () => {
    const file = path.join(H, 'malloclab-2002/mm-global-array.c');
    const lab = await runTests(file, { ...optionsFor('malloclab-2002'), checks: ['off-heap-metadata'] });
    expect(lab.status).toBe('fail');
    const v = lab.checks[0]!.violations[0]!;
    expect(v.kind).toBe('off-heap-metadata');
    expect(v.message).toMatch(/compound data, which this handout forbids at any size: recent \(80 B\)$/);
    // The scalars (heap_listp, nblocks) and the handout's team struct are not named.
    expect(v.message).not.toMatch(/nblocks|heap_listp|team/);
    expect((await runTests(path.join(H, 'malloclab-2002/mm.c'), { ...optionsFor('malloclab-2002'), checks: ['off-heap-metadata'] })).status).toBe('pass');
    const dir = mkdtempSync(path.join(os.tmpdir(), 'hg-bytes-'));
    const bytesRule = path.join(dir, 'bytes.json');
    writeFileSync(bytesRule, JSON.stringify({ extends: 'malloclab-2002', staticDataRule: 'bytes' }));
    expect((await runTests(file, { ...optionsFor('malloclab-2002'), profile: bytesRule, checks: ['off-heap-metadata'] })).status).toBe('pass');
  });

  it('CS 341: alignment is beyond its spec: the alignment check reports a misaligned allocator at 0 points, and no other check stops at it', { timeout: SLOW }, async () => {
    // alloc-misaligned.c: the cs341 fixture with every payload 8 bytes off 16 (as a testers-only allocator may be).
    const r = await runTests(path.join(H, 'cs341/alloc-misaligned.c'), { ...optionsFor('cs341'), checks: ['alignment', 'churn'] });
    expect(r.status).toBe('pass');
    expect(r.checks[0]).toMatchObject({ name: 'alignment', status: 'pass', observed: 'fail', beyondHandout: true, maxPoints: 0, violations: [expect.objectContaining({ kind: 'misaligned' })] });
    expect(r.checks[1]).toMatchObject({ name: 'churn', status: 'pass', violations: [] });
    // A course that requires glibc's 16 (a profile file extending cs341 without the beyond entry): the same file fails
    // alignment; churn goes on past the misaligned pointers (alignment's rule) and holds its own.
    const dir = mkdtempSync(path.join(os.tmpdir(), 'hg-align16-'));
    const strictProfile = path.join(dir, 'cs341-aligned.json');
    writeFileSync(strictProfile, JSON.stringify({ extends: 'cs341', beyond: {} }));
    const strict = await runTests(path.join(H, 'cs341/alloc-misaligned.c'), { ...optionsFor(strictProfile), checks: ['alignment', 'churn'] });
    expect(strict.checks.map((c) => [c.status, c.violations[0]?.kind])).toEqual([['fail', 'misaligned'], ['pass', undefined]]);
    expect(strict.status).toBe('fail');
  });
});

describe('the data model', () => {
  /** The memory section's limits flag: 0x04 is set for a 64-bit (memory64) memory. */
  function memory64(wasm: Uint8Array): boolean {
    let i = 8;
    while (i < wasm.length) {
      const id = wasm[i]!;
      let size = 0;
      let shift = 0;
      let j = i + 1;
      for (;;) {
        const b = wasm[j++]!;
        size |= (b & 0x7f) << shift;
        shift += 7;
        if (!(b & 0x80)) break;
      }
      if (id === 5) return (wasm[j + 1]! & 0x04) !== 0; // [count][flags]...
      i = j + size;
    }
    throw new Error('no memory section');
  }

  it('64-bit profiles compile to memory64 (8-byte long, pointers, size_t); 32-bit ones to wasm32', { timeout: SLOW }, async () => {
    const lp64 = await compileC(path.join(H, 'malloclab-2010/mm.c'), { profile: compileProfileOf('malloclab-2010') });
    expect(lp64.model).toBe('lp64');
    expect(memory64(lp64.wasm)).toBe(true);
    // The course's own memlib.h beside the file declares `mem_sbrk(int incr)`: the kit links the matching mem_sbrk.
    expect(lp64.api.memSbrk).toBe('int');
    // seg[10] of 8-byte pointers and one 8-byte pointer: 88 bytes, as on the 64-bit handout's machines.
    expect(lp64.staticData).toEqual({ bytes: 88, symbols: [{ name: 'seg', bytes: 80, compound: true }, { name: 'heap_listp', bytes: 8 }] });
    const ilp32 = await compileC(path.join(H, 'malloclab-2002/mm.c'), { profile: compileProfileOf('malloclab-2002') });
    expect(ilp32.model).toBe('ilp32');
    expect(memory64(ilp32.wasm)).toBe(false);
    // The handout's `team` struct is not counted against the global-data limit.
    expect(ilp32.staticData.symbols.map((s) => s.name)).toEqual(['heap_listp']);
  });

  it('64-bit modules are metered: every call counts its instructions (stack low-water tracking is wasm32 only)', { timeout: SLOW }, async () => {
    const sub = await loadCSubmission(path.join(H, 'malloclab-2010/mm.c'), { profile: compileProfileOf('malloclab-2010') });
    expect(sub.compiled.model).toBe('lp64');
    const inst = sub.instantiate({ seed: 1, limit: 1 << 24 });
    const meter = inst.heap.meter!;
    const before = meter.total;
    expect(before).toBeGreaterThan(0); // mm_init ran metered
    expect(inst.allocator.malloc(100)).not.toBe(0);
    expect(meter.total).toBeGreaterThan(before);
    expect(meter.lastCall).toBeGreaterThan(0);
  });

  it('the same 64-bit file under a 32-bit model (a course profile file) fails as it does natively with -m32', { timeout: SLOW }, async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'hg-m32-'));
    const file = path.join(dir, 'as-m32.json');
    writeFileSync(file, JSON.stringify({ extends: 'malloclab-2010', model: 'ilp32' }));
    const r = await runTests(path.join(H, 'malloclab-2010/mm.c'), { ...optionsFor('malloclab-2010'), profile: file, checks: ['churn'] });
    // `size > (1L << 40)` is undefined with a 32-bit long: every malloc returns NULL.
    expect(r.status).toBe('fail');
    expect(r.checks[0]!.violations[0]?.kind).toBe('spurious-null');
  });
});

describe('LP64 under the 64-bit profiles', () => {
  it('int64_t, uint64_t, intptr_t, ptrdiff_t, intmax_t are the C types of x86-64 glibc (long), and printf formats follow', { timeout: SLOW }, async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'hg-lp64-'));
    const file = path.join(dir, 'mm.c');
    const same = (t: string, u: string): string => `_Static_assert(__builtin_types_compatible_p(${t}, ${u}), "${t} is ${u}");`;
    const api = [
      '#include <stddef.h>',
      '#include <stdint.h>',
      '#include <string.h>',
      '#include "memlib.h"',
      'int mm_init(void) { return 0; }',
      'void *mm_malloc(size_t n) { void *p = mem_sbrk((intptr_t)((n + 7) & ~(size_t)7)); return p == (void *)-1 ? NULL : p; }',
      'void mm_free(void *p) { (void)p; }',
      'void *mm_realloc(void *p, size_t n) { void *q = mm_malloc(n); if (q && p) memcpy(q, p, n); return q; }',
    ];
    writeFileSync(
      file,
      [
        '#include <stddef.h>',
        '#include <inttypes.h>',
        same('int64_t', 'long'),
        same('uint64_t', 'unsigned long'),
        same('uint64_t', 'size_t'),
        same('intptr_t', 'long'),
        same('uintptr_t', 'unsigned long'),
        same('ptrdiff_t', 'long'),
        same('intmax_t', 'long'),
        same('int_fast32_t', 'long'),
        '_Static_assert(sizeof(UINT64_C(1)) == 8 && UINT64_MAX == 18446744073709551615UL, "limits");',
        '_Static_assert(sizeof(PRIu64) == 3, "PRIu64 is lu");',
        ...api,
      ].join('\n'),
    );
    const c = await compileC(file, { profile: compileProfileOf('malloclab-2010') });
    expect(c.model).toBe('lp64');
    // The 32-bit profiles keep the compiler's own <stdint.h> (int64_t is long long there, as with gcc -m32).
    writeFileSync(file, ['#include <stdint.h>', same('int64_t', 'long long'), same('intptr_t', 'long'), ...api].join('\n'));
    expect((await compileC(file, { profile: compileProfileOf('malloclab-2002') })).model).toBe('ilp32');
  });
});

describe('gcc-compatible diagnostics', () => {
  it('what gcc only warns about (PUT(p, NULL)) compiles, with warnings as data; mm_checkheap called before its definition is declared as defined', { timeout: SLOW }, async () => {
    const c = await compileC(path.join(H, 'malloclab-2002/mm.c'), { profile: compileProfileOf('malloclab-2002') });
    const src = readFileSync(path.join(H, 'malloclab-2002/mm.c'), 'utf8').split('\n');
    const lineOf = (needle: string): number => src.findIndex((l) => l.includes(needle)) + 1;
    expect(c.diagnostics).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ file: 'mm.c', line: lineOf('PUT(heap_listp, NULL)'), severity: 'warning', flag: '-Wint-conversion' }),
      ]),
    );
    // The kit's mm.h declares `int mm_checkheap(int verbose)` as the file defines it: no implicit declaration to warn about.
    expect(c.diagnostics.filter((d) => d.line === lineOf('mm_checkheap(0);'))).toEqual([]);
  });
});
