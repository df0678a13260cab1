/**
 * What a TypeScript allocator keeps outside the heap from the start is
 * bounded absolutely (issue 19): per-block tables allocated once, at full
 * size, in createAllocator or at the module's top level fail
 * off-heap-metadata (nothing grows, so the growth measurement alone passed
 * them); the same allocator with its metadata in block headers passes, and
 * so do the references and the template, whose few list heads are within
 * the allowance, counted exactly.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadSubmission } from '../../harness/loader/load.ts';
import { CALL_FLOOR_BYTES, OFF_HEAP_ALLOWANCE_BYTES, OffHeapLedger } from '../../harness/offheap/ledger.ts';
import { runTests } from '../../harness/runner/run-tests.ts';
import { tablesVariant } from './variants.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

describe('the ledger of tables made at the start', () => {
  it('counts each buffer once, a resizable one at its maximum, arrays, objects and collections at their size when the phase ends', () => {
    const ledger = new OffHeapLedger();
    const shared = new ArrayBuffer(64);
    const { tally } = ledger.measure(() => {
      ledger.note(new Uint32Array(shared));
      ledger.note(new Uint8Array(shared, 8)); // the same buffer: once
      ledger.note(new (ArrayBuffer as unknown as new (n: number, o: object) => ArrayBuffer)(16, { maxByteLength: 4096 }));
      const list: number[] = [];
      ledger.note(list);
      for (let i = 0; i < 10; i++) list.push(i); // grown after it was met: counted at the end
      ledger.note(new Map([[1, 2], [3, 4]]));
      const table = ledger.literal({ m() {}, get g() { return 1; } } as Record<string, unknown>); // a method is a value (16), an accessor code (0)
      for (let i = 0; i < 5; i++) table[`k${i}`] = i; // filled after it was met: 5 properties
    });
    expect(tally.bytes).toBe(64 + 4096 + 10 * 8 + 2 * 16 + 16 + 5 * 16);
    expect(tally.biggest).toEqual({ what: 'an ArrayBuffer of 4096 bytes', bytes: 4096 });
    // Outside a phase nothing counts; a buffer counted once is not counted by a later phase.
    ledger.note(new ArrayBuffer(1 << 20));
    expect(ledger.measure(() => ledger.note(new Uint8Array(shared))).tally.bytes).toBe(0);
  });

  it('the references and the template keep their list heads within the allowance', async () => {
    for (const spec of ['ref:reference', 'ref:first-fit', 'ref:best-fit', join(ROOT, 'student-template/ts/allocator.ts')]) {
      const loaded = await loadSubmission(spec);
      const made = loaded.madeAtLoad!.bytes + loaded.instantiate({ seed: 1, limit: 1 << 20 }).madeOffHeap!.bytes;
      expect({ spec, within: made <= OFF_HEAP_ALLOWANCE_BYTES }).toEqual({ spec, within: true });
    }
    // The reference's segregated lists: 55 heads and 2 words of bitmap, exactly, made in createAllocator, and the
    // 7 fields of the two objects its `new`s make (SegregatedAllocator: heap, lists, first, freshFrom;
    // SegregatedLists: heap, heads, nonEmpty), counted like a literal's properties, and the five methods of the
    // allocator object it returns (a function is a value like any other: 8192 closures under names are a table).
    const ref = await loadSubmission('ref:reference');
    expect(ref.instantiate({ seed: 1, limit: 1 << 20 }).madeOffHeap!.bytes).toBe(55 * 4 + 2 * 4 + 7 * 16 + 5 * 16);
  }, 120_000);
});

describe('the ledger in calls', () => {
  it('counts items of CALL_FLOOR_BYTES or more made in any call of an instance, and records the first call that passes the allowance', () => {
    const ledger = new OffHeapLedger();
    const account = ledger.openAccount({ bytes: 0 }, { bytes: 100 });
    // A call's phase lasts until the next one starts (or a finding is read).
    const call = (size: number, fn: () => void): void => {
      ledger.enter(account, 'malloc', size, 0);
      fn();
    };
    for (let i = 0; i < 1000; i++) {
      call(16, () => {
        // Temporaries under the floor: a tuple, a small object, a small typed array, a 31-element array.
        ledger.literal([i, i]);
        ledger.literal({ a: i, b: i });
        ledger.note(new Uint8Array(CALL_FLOOR_BYTES - 1));
        ledger.literal(new Array<number>(31).fill(0));
      });
    }
    expect(account.inCalls.bytes).toBe(0);
    expect(account.finding).toBeNull();
    call(72, () => ledger.note(new Uint32Array(1024)));
    ledger.settle();
    expect(account.finding).toEqual({
      bytes: 100 + 4096,
      atLoad: 0,
      inFactory: 100,
      inCalls: 4096,
      call: 1001,
      biggest: { what: 'a Uint32Array of 4096 bytes', bytes: 4096, made: 'call', call: 1001, op: 'malloc(72)' },
    });
    expect(ledger.takeFinding()).toEqual(account.finding);
    expect(ledger.takeFinding()).toBeNull();
    // An array at the floor counts (filled after it was made, in the same call).
    call(8, () => {
      const t = ledger.literal([] as number[]);
      for (let i = 0; i < 32; i++) t[i] = 0;
    });
    ledger.settle();
    expect(account.inCalls.bytes).toBe(4096 + 32 * 8);
    // Outside any phase nothing is met or held.
    expect(ledger.isOpen).toBe(false);
    ledger.literal(new Array<number>(1000).fill(0));
    expect(account.inCalls.bytes).toBe(4096 + 32 * 8);
  });

  it('counts a site once at the most it made in one call: scratch made again by every call counts once, pieces made in one call add up', () => {
    const ledger = new OffHeapLedger();
    const account = ledger.openAccount({ bytes: 0 }, { bytes: 0 });
    const call = (fn: () => void): void => {
      ledger.enter(account, 'malloc', 16, 0);
      fn();
    };
    // A 512-byte work area and a 40-element list from one literal, made by each of 1000 calls and dropped
    // (most calls count nothing new and are never settled: what their sites made must not carry over).
    for (let i = 0; i < 1000; i++) call(() => ledger.note(new Int32Array(128), Int32Array));
    for (let i = 0; i < 1000; i++) call(() => ledger.literal(new Array<number>(40).fill(i), 17));
    ledger.settle();
    expect(account.inCalls.bytes).toBe(512 + 40 * 8);
    expect(account.finding).toBeNull();
    // One call making 10 of them from the same site: they add up, beyond the most an earlier call made.
    call(() => {
      for (let i = 0; i < 10; i++) ledger.note(new Int32Array(128), Int32Array);
    });
    ledger.settle();
    expect(account.inCalls.bytes).toBe(10 * 512 + 40 * 8);
    expect(account.finding).not.toBeNull();
  });
});

describe("the ledger's walk of what an allocator keeps", () => {
  /** A ledger for which the engine's intrinsics are the kit's, as a compartment's global makes them (adoptGlobal). */
  const walkingLedger = (): OffHeapLedger => {
    const ledger = new OffHeapLedger();
    for (const intrinsic of [Object, Function, Array, Map, WeakMap]) ledger.exclude(intrinsic);
    return ledger;
  };
  const callOf = (ledger: OffHeapLedger, account: ReturnType<OffHeapLedger['openAccount']>) => (fn: () => void): void => {
    ledger.enter(account, 'malloc', 16, 0);
    fn();
  };

  it('finds a table made small in one call, kept in a binding and filled index by index by later calls; temporaries a site keeps again do not add up', () => {
    const ledger = walkingLedger();
    const account = ledger.openAccount({ bytes: 0 }, { bytes: 0 });
    const call = callOf(ledger, account);
    // A variable given a fresh list of 31 small objects by every call (site 7), a call's scratch: what only a
    // call's binding reaches counts by the call floor, item by item (256 bytes), so neither the list nor its objects.
    for (let i = 0; i < 100; i++) call(() => void ledger.keep(Array.from({ length: 31 }, (_, j) => ({ p: i, size: j, prev: 0, next: 0 })), 7));
    for (let r = 0; r < 5; r++) expect(ledger.takeFinding()).toBeNull();
    expect(account.reach).toBe(0);
    // A table made empty by one call (under the floor: never counted), kept at site 11, filled by later calls.
    let table: number[] = [];
    call(() => void (table = ledger.keep(ledger.literal([] as number[], 9), 11)));
    for (let i = 0; i < 300; i++) call(() => void (table[i] = i));
    const found = ledger.takeFinding();
    // The walk stops once past the allowance: the pair may or may not have been met first.
    expect(found).toMatchObject({ inCalls: 0, biggest: { what: 'an array of 300 elements', made: 'reached', call: 401 } });
    expect(found!.reached).toBe(300 * 8);
  });

  it('walks functions, prototypes, Maps and WeakMap entries, and never what the kit excluded', () => {
    const ledger = walkingLedger();
    const kit = { heads: new Array<number>(4096).fill(0) };
    ledger.exclude(kit);
    const account = ledger.openAccount({ bytes: 0 }, { bytes: 0 });
    const call = callOf(ledger, account);
    const fn = function holder() {} as unknown as Record<number, unknown>;
    const weak = new WeakMap<object, number[]>();
    const values: number[] = [];
    call(() => {
      ledger.keep(kit, 1);
      ledger.keep(fn, 2);
      ledger.keep(weak, 3);
    });
    for (let i = 0; i < 40; i++) fn[i] = i; // a function's elements: a table's slots
    const inner = Object.create({ list: new Array<number>(50).fill(1) }) as object;
    fn[40] = new Map([[1, inner]]);
    ledger.weakEntry(weak, fn, true, values);
    for (let i = 0; i < 100; i++) values.push(i);
    // Under the allowance. Reached only from what calls bound, each item counts from the call floor (256 bytes) up:
    // the function's 41 slots, the prototype's list of 50, the 100 values; not the Map's, the prototype's or the
    // WeakMap's one entry.
    expect(ledger.takeFinding()).toBeNull();
    expect(account.reach).toBe(41 * 16 + 50 * 8 + 100 * 8);
    for (let i = 100; i < 200; i++) values.push(i);
    call(() => {}); // a later call lists it for the next review
    // The walk stops once past the allowance (it need not size the rest).
    const found = ledger.takeFinding();
    expect(found).toMatchObject({ biggest: { what: 'an array of 200 elements', made: 'reached' } });
    expect(found!.reached).toBeGreaterThan(OFF_HEAP_ALLOWANCE_BYTES);
  });

  it('release() walks what the calls kept, then lets go of it: the kit never holds a value the allocator dropped', () => {
    const ledger = walkingLedger();
    const account = ledger.openAccount({ bytes: 0 }, { bytes: 0 });
    const call = callOf(ledger, account);
    call(() => void ledger.keep(new Array<number>(300).fill(0), 5));
    expect(account.kept.size).toBe(1);
    ledger.release();
    expect(account.kept.size).toBe(0);
    expect(account.finding).toMatchObject({ reached: 300 * 8, biggest: { made: 'reached' } });
  });

  it('at load, a value kept by a binding counts like a literal, whatever kind of object it is', () => {
    const ledger = new OffHeapLedger();
    const { tally } = ledger.measure(() => {
      const fn = ledger.keep(function table() {}, 1) as unknown as Record<number, number>;
      for (let i = 0; i < 200; i++) fn[i] = 0;
    });
    expect(tally).toEqual({ bytes: 200 * 16, biggest: { what: 'an object of 200 properties', bytes: 200 * 16 } });
  });
});

describe('off-heap-metadata bounds what is kept from the start', () => {
  it('tables made in createAllocator, at load or by the first malloc fail, counted exactly; the header control and the reference pass', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'heapgrade-tables-'));
    const verdict = async (where: 'heap' | 'factory' | 'module' | 'first-call' | 'ref:reference') => {
      const r = await runTests(where.startsWith('ref:') ? where : tablesVariant(where as 'heap', dir), { checks: ['off-heap-metadata'], jobs: 1 });
      expect(r.error).toBeUndefined();
      return r.checks[0]!;
    };
    const factory = await verdict('factory');
    expect(factory.status).toBe('fail');
    expect(factory.violations[0]!.message).toBe(
      'the allocator keeps 33554964 bytes of typed arrays, arrays, objects and collections outside the heap from the start ' +
        `(176 made when the module loaded, 33554788 made in createAllocator, 0 made in its calls; at most ${OFF_HEAP_ALLOWANCE_BYTES} allowed); ` +
        'biggest: a Uint32Array of 16777216 bytes, made in createAllocator',
    );
    const module = await verdict('module');
    expect(module.status).toBe('fail');
    expect(module.violations[0]!.message).toMatch(/\(3355\d{4} made when the module loaded, 324 made in createAllocator, 0 made in its calls; .*made when the module loaded$/);
    // Made by the first malloc: before the growth measurement's first snapshot, counted with the calls.
    const firstCall = await verdict('first-call');
    expect(firstCall.status).toBe('fail');
    expect(firstCall.violations[0]!.message).toMatch(/by call #1 \(\d+ made when the module loaded, 324 made in createAllocator, 33554432 made in its calls; .*made by call #1 \(malloc\(16\)\)$/);
    expect((await verdict('ref:reference')).status).toBe('pass');
    const control = await verdict('heap');
    expect(control.status, JSON.stringify(control.violations)).toBe('pass');
  }, 600_000);
});
