import type { Heap } from '../contract/types.ts';
import { hash32 } from '../util/rng.ts';
import { emptyStats, type CheckedHeap, type HeapStats, type SegfaultInfo } from '../contract/checked-heap.ts';
import { SegfaultError } from './segfault.ts';
import { confinedTrail } from '../util/stack-map.ts';
import { sbrkExtent } from './sbrk-rule.ts';
import type { CallMeter } from '../contract/meter.ts';

export const DEFAULT_HEAP_LIMIT = 64 * 1024 * 1024;
/** Addresses must stay below 2**32 so that allocators can store pointers with store32. */
const ADDRESS_SPACE = 2 ** 32;
const PAGE = 4096;

export interface SimHeapOptions {
  /** Chooses `base`; the same seed gives the same base. */
  seed?: number;
  /** Bytes the heap may grow to. @default 64 MiB */
  limit?: number;
}

/** The lowest and highest page numbers a base may take, so that base + limit < 2**32. */
export function chooseBase(seed: number, limit: number): number {
  const maxPage = Math.floor((ADDRESS_SPACE - limit) / PAGE) - 1;
  const lowPage = 16; // never near NULL
  const span = Math.max(1, Math.min(maxPage, 0x8000) - lowPage);
  return (lowPage + (hash32(seed) % span)) * PAGE;
}

/**
 * The TypeScript submission's heap: an sbrk region backed by a growable
 * byte array, bounds-checked on every access. Faults are thrown *and*
 * recorded, so an allocator that swallows the exception is still caught.
 */
export class SimHeap implements Heap, CheckedHeap {
  readonly base: number;
  readonly limit: number;
  readonly stats: HeapStats = emptyStats();
  /** The instance's step meter (set by the loader; never reachable through the heap port). */
  meter?: CallMeter;
  currentOp = -1;
  fault: SegfaultInfo | null = null;
  private size = 0; // brk - base
  private mem: Uint8Array;
  private dv: DataView;

  constructor(options: SimHeapOptions = {}) {
    const limit = options.limit ?? DEFAULT_HEAP_LIMIT;
    if (!Number.isInteger(limit) || limit < 0 || limit > 2 ** 31) {
      throw new RangeError(`Expected the heap limit to be an integer from 0 to 2147483648 bytes, got ${limit}`);
    }
    this.limit = limit;
    this.base = chooseBase(options.seed ?? 1, limit);
    this.mem = new Uint8Array(Math.min(limit, 64 * 1024));
    this.dv = new DataView(this.mem.buffer);
  }

  /** Bytes of the backing array (not the allocator's memory: excluded from off-heap measurements). */
  get backingBytes(): number {
    return this.mem.byteLength;
  }

  get brk(): number {
    return this.base + this.size;
  }

  sbrk(increment: number): number {
    const old = this.base + this.size;
    const next = sbrkExtent(this.stats, this.size, increment, this.limit);
    if (next === -1) return -1;
    if (next === this.size) return old;
    if (next > this.mem.length) this.grow(next);
    if (next > this.size) {
      this.mem.fill(0, this.size, next); // fresh pages are zero
      // Memory given back and taken again is zeroed again: charged as a fill, or shrinking and growing the heap
      // would clear it for one step per call (test/attack/sbrk-refill.test.ts). The first growth to a new peak is
      // not charged beyond its call, as fresh pages from the system.
      const again = Math.min(next, this.stats.peakExtent) - this.size;
      if (again > 0) this.stats.bytesMoved += again;
    }
    this.size = next;
    if (next > this.stats.peakExtent) this.stats.peakExtent = next;
    return old;
  }

  load8(a: number): number {
    this.stats.loads++;
    return this.mem[this.at(a, 1, 'load8')]!;
  }
  load16(a: number): number {
    this.stats.loads++;
    return this.dv.getUint16(this.at(a, 2, 'load16'), true);
  }
  load32(a: number): number {
    this.stats.loads++;
    return this.dv.getUint32(this.at(a, 4, 'load32'), true);
  }
  store8(a: number, v: number): void {
    this.stats.stores++;
    this.mem[this.at(a, 1, 'store8')] = v;
  }
  store16(a: number, v: number): void {
    this.stats.stores++;
    this.dv.setUint16(this.at(a, 2, 'store16'), v, true);
  }
  store32(a: number, v: number): void {
    this.stats.stores++;
    this.dv.setUint32(this.at(a, 4, 'store32'), v >>> 0, true);
  }
  copy(dst: number, src: number, n: number): void {
    if (n === 0) return;
    const s = this.at(src, n, 'copy (source)');
    const d = this.at(dst, n, 'copy (destination)');
    this.stats.bytesMoved += n;
    this.mem.copyWithin(d, s, s + n);
  }
  fill(dst: number, byte: number, n: number): void {
    if (n === 0) return;
    const d = this.at(dst, n, 'fill');
    this.stats.bytesMoved += n;
    this.mem.fill(byte, d, d + n);
  }

  clearFault(): void {
    this.fault = null;
  }

  view(addr: number, n: number): Uint8Array {
    const o = addr - this.base;
    return this.mem.subarray(o, o + n);
  }

  /** Offset of [a, a + n) in the backing array, or a simulated segfault. */
  private at(a: number, n: number, access: string): number {
    const o = a - this.base;
    // The negated test also rejects NaN; `| 0` rejects fractions.
    if (!(o >= 0 && o + n <= this.size && (o | 0) === o && n > 0 && (n | 0) === n)) {
      const { where, source } = confinedTrail();
      // Frozen: the error reaches student code, which may catch it; the checker reads the same record.
      const info: SegfaultInfo = Object.freeze({ address: a, length: n, access, op: this.currentOp, ...(where ? { where } : {}), ...(source ? { source } : {}) });
      this.fault ??= info;
      throw new SegfaultError(info);
    }
    return o;
  }

  private grow(atLeast: number): void {
    let cap = this.mem.length * 2;
    while (cap < atLeast) cap *= 2;
    const next = new Uint8Array(Math.min(cap, this.limit));
    next.set(this.mem.subarray(0, this.size));
    this.mem = next;
    this.dv = new DataView(next.buffer);
  }
}
