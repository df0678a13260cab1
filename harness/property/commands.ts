/**
 * The model-based commands of the property search. The model is the trace
 * being written: which block ids are live, the next fresh id, the ops so far.
 * Commands pick live blocks by index at run time, so any subsequence that
 * fast-check keeps while shrinking is still a well-formed trace.
 */
import fc from 'fast-check';
import type { Op } from '../trace/types.ts';

export interface TraceModel {
  live: number[];
  nextId: number;
  ops: Op[];
}

export const emptyModel = (): TraceModel => ({ live: [], nextId: 0, ops: [] });

type Cmd = fc.Command<TraceModel, object>;

/** Sizes where allocators break: zero, around alignment and page sizes, large, and beyond any heap. */
export const EDGE_SIZES = [0, 1, 7, 8, 9, 15, 16, 17, 24, 31, 32, 33, 4095, 4096, 4097, 65536, 1 << 20, 0xfffffff0, 0xffffffff];

/** calloc arguments whose product overflows a 32-bit size_t (the answer must be NULL). */
export const OVERFLOW_PAIRS: readonly [number, number][] = [
  [0x10000, 0x10001],
  [0x80000000, 2],
  [3, 0x55555556],
  [0xffffffff, 0xffffffff],
];

export const sizeArb: fc.Arbitrary<number> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...EDGE_SIZES) },
  { weight: 4, arbitrary: fc.integer({ min: 1, max: 256 }) },
  { weight: 2, arbitrary: fc.integer({ min: 257, max: 16384 }) },
);

const smallCount = fc.integer({ min: 0, max: 64 });

class Malloc implements Cmd {
  constructor(readonly size: number) {}
  check = (): boolean => true;
  run(m: TraceModel): void {
    const id = m.nextId++;
    m.live.push(id);
    m.ops.push({ kind: 'a', id, size: this.size });
  }
  toString = (): string => `malloc(${this.size})`;
}

class Calloc implements Cmd {
  constructor(
    readonly count: number,
    readonly size: number,
  ) {}
  check = (): boolean => true;
  run(m: TraceModel): void {
    const id = m.nextId++;
    m.live.push(id);
    m.ops.push({ kind: 'c', id, count: this.count, size: this.size });
  }
  toString = (): string => `calloc(${this.count}, ${this.size})`;
}

class Free implements Cmd {
  constructor(readonly pick: number) {}
  check = (m: Readonly<TraceModel>): boolean => m.live.length > 0;
  run(m: TraceModel): void {
    const k = this.pick % m.live.length;
    const id = m.live[k]!;
    m.live.splice(k, 1);
    m.ops.push({ kind: 'f', id });
  }
  toString = (): string => `free(live[${this.pick}])`;
}

class FreeNull implements Cmd {
  check = (): boolean => true;
  run(m: TraceModel): void {
    m.ops.push({ kind: 'f', id: -1 });
  }
  toString = (): string => 'free(NULL)';
}

class Realloc implements Cmd {
  constructor(
    readonly pick: number,
    readonly size: number,
  ) {}
  check = (m: Readonly<TraceModel>): boolean => m.live.length > 0;
  run(m: TraceModel): void {
    m.ops.push({ kind: 'r', id: m.live[this.pick % m.live.length]!, size: this.size });
  }
  toString = (): string => `realloc(live[${this.pick}], ${this.size})`;
}

class ReallocNull implements Cmd {
  constructor(readonly size: number) {}
  check = (): boolean => true;
  run(m: TraceModel): void {
    const id = m.nextId++;
    m.live.push(id);
    m.ops.push({ kind: 'r', id, size: this.size });
  }
  toString = (): string => `realloc(NULL, ${this.size})`;
}

const pick = fc.nat({ max: 1000 });

export const FREE_NULL: fc.Arbitrary<Cmd> = fc.constant(new FreeNull());

/** Weighted so that traces hold several live blocks, and realloc and free act on them. */
export const COMMANDS: fc.Arbitrary<Cmd>[] = [
  sizeArb.map((s) => new Malloc(s)),
  sizeArb.map((s) => new Malloc(s)),
  fc.tuple(smallCount, sizeArb).map(([c, s]) => new Calloc(c, s)),
  fc.constantFrom(...OVERFLOW_PAIRS).map(([c, s]) => new Calloc(c, s)),
  pick.map((p) => new Free(p)),
  pick.map((p) => new Free(p)),
  FREE_NULL,
  fc.tuple(pick, sizeArb).map(([p, s]) => new Realloc(p, s)),
  fc.tuple(pick, sizeArb).map(([p, s]) => new Realloc(p, s)),
  sizeArb.map((s) => new ReallocNull(s)),
];
