/**
 * The heap of a C submission: a region at the END of the module's linear
 * memory, [base, brk), grown by the kit's sbrk (a host import) with the
 * TypeScript heap's rules: past the limit sbrk returns -1 and counts a
 * failure, growth is zeroed, peak extent is tracked.
 *
 * Memory layout: [0, stack top) shadow stack (wasm-ld --stack-first, so a
 * stack overflow wraps below 0 and traps) | static data | zero guard gap |
 * heap [base, brk) | slack up to the 64 KiB page end.
 *
 * WebAssembly traps only at the end of memory, in 64 KiB pages, so a write a
 * little past the break, below the heap or through NULL lands in memory the
 * kit keeps zero: the guard areas (NULL page, the gap below base, the slack
 * past brk) are verified after every call near their edges and in full
 * every few calls and at every sbrk. A non-zero byte there is a segfault.
 */
import { hash32 } from '../util/rng.ts';
import type { CallMeter } from '../contract/meter.ts';
import { emptyStats, type CheckedHeap, type HeapStats, type SegfaultInfo } from '../contract/checked-heap.ts';
import { SegfaultError } from '../heap/segfault.ts';
import { sbrkExtent } from '../heap/sbrk-rule.ts';

const WASM_PAGE = 65536;
const PAGE = 4096;
/** Bytes next to each guard edge verified after every call. */
const NEAR = 64;
/** Largest address + 1 a wasm32 memory can have. */
const MAX_MEMORY = 2 ** 32;

export class WasmHeap implements CheckedHeap {
  readonly stats: HeapStats = emptyStats();
  meter?: CallMeter;
  currentOp = -1;
  fault: SegfaultInfo | null = null;
  base = 0;
  /** First byte after the module's static data: the guard gap runs from here to base. */
  private dataEnd = 0;
  private size = 0;
  private memory: WebAssembly.Memory | null = null;
  private u8 = new Uint8Array(0);
  private calls = 0;

  constructor(
    readonly limit: number,
    private readonly seed: number,
    /** Full guard scans every this many calls. */
    private readonly scanEvery = 64,
  ) {
    if (!Number.isInteger(limit) || limit < 0 || limit > 2 ** 31) {
      throw new RangeError(`Expected the heap limit to be an integer from 0 to 2147483648 bytes, got ${limit}`);
    }
  }

  /** Places the heap after the module's data; called once the instance exists. */
  attach(memory: WebAssembly.Memory, heapBase: number): void {
    this.memory = memory;
    this.dataEnd = heapBase;
    // At least one zero guard page below the heap; the seed moves the base, as for the TS heap.
    const gapPages = 1 + (hash32(this.seed) % 16);
    this.base = Math.ceil(heapBase / PAGE) * PAGE + gapPages * PAGE;
    if (this.base + this.limit > MAX_MEMORY) throw new RangeError(`The heap limit ${this.limit} does not fit in wasm32 memory after the module's data`);
    this.ensure(this.base);
  }

  get brk(): number {
    return this.base + this.size;
  }

  /** The kit's sbrk: old break, or -1 with the heap unchanged. */
  sbrk(increment: number): number {
    const old = this.base + this.size;
    const next = sbrkExtent(this.stats, this.size, increment, this.limit);
    if (next === -1) return -1;
    if (next === this.size) return old;
    // Memory about to join the heap must still be zero, or the code wrote past the break.
    // The full scan reads all memory past the break: after the heap was shrunk that is far more than the page a
    // growing heap leaves, and one sbrk pair scanned 60 MiB (13 ms) for 33 instructions, a loop of them seconds the
    // meter never saw. Past a page, it is charged a quarter of an instruction per byte, about its real cost
    // (test/attack/sbrk-refill.test.ts).
    const slack = this.bytes().length - old;
    if (slack > WASM_PAGE) this.meter?.charge?.((slack - WASM_PAGE) / 4);
    this.guard(true);
    this.ensure(this.base + next);
    if (next < this.size) {
      this.bytes().fill(0, this.base + next, old); // the slack stays zero
      // Charged as memset's memory.fill of the same bytes: shrinking and growing the heap once cleared it for free
      // (test/attack/sbrk-refill.test.ts).
      this.meter?.charge?.(old - (this.base + next));
    }
    this.size = next;
    if (next > this.stats.peakExtent) this.stats.peakExtent = next;
    return old;
  }

  /** mem_reset_brk: an empty heap again. */
  resetBrk(): void {
    this.bytes().fill(0, this.base, this.brk);
    this.size = 0;
  }

  clearFault(): void {
    this.fault = null;
  }

  view(addr: number, n: number): Uint8Array {
    return this.bytes().subarray(addr, addr + n);
  }

  /**
   * The whole linear memory, re-viewed after memory.grow detaches the old
   * buffer (the kit's grow or the module's own): a view of a detached buffer
   * has length 0. Asked several times a call, so without the memory's buffer
   * getter, a call into the engine's API each time.
   */
  bytes(): Uint8Array {
    if (this.u8.length === 0) this.u8 = new Uint8Array(this.memory!.buffer);
    return this.u8;
  }

  /**
   * Charges, before a call's cost is counted, the full guard scan that will
   * follow it (every `scanEvery` calls): past its first page, the memory past
   * the break at a quarter of an instruction per byte, as sbrk's scan is.
   * A heap that only grows leaves less than a page there and pays nothing; one
   * shrunk with mem_sbrk(-n) leaves all it gave back, which every scan reads
   * (60 MiB: 13 ms of the kit's time per scan, free until now). Whether it
   * charged anything: only then can the call have run out of its budget here.
   */
  chargeFullScan(): boolean {
    if ((this.calls + 1) % this.scanEvery !== 0) return false;
    const slack = this.bytes().length - this.brk;
    if (slack <= WASM_PAGE || !this.meter?.charge) return false;
    this.meter.charge((slack - WASM_PAGE) / 4);
    return true;
  }

  /** After every allocator call: near edges always, everything every `scanEvery` calls. Throws SegfaultError. */
  afterCall(): void {
    this.guard(++this.calls % this.scanEvery === 0);
  }

  /** Verifies the guard areas are zero; records and throws a segfault when not. */
  guard(full: boolean): void {
    const m = this.bytes();
    const end = m.length;
    const brk = this.brk;
    const hit =
      firstNonZero(m, 0, full ? PAGE : NEAR) ??
      firstNonZero(m, full ? this.dataEnd : this.base - NEAR, this.base) ??
      firstNonZero(m, brk, full ? end : Math.min(end, brk + NEAR));
    if (hit === null) return;
    const where = hit < PAGE ? 'through a NULL pointer' : hit < this.base ? 'below the heap start' : 'past the break';
    const info: SegfaultInfo = {
      address: hit,
      length: 1,
      access: `write ${where} (found byte ${m[hit]} in memory the kit keeps zero, checked after the call)`,
      op: this.currentOp,
    };
    // Clean it so the report is not repeated by the next check.
    m.fill(0, hit, Math.min(end, hit + NEAR));
    this.fault ??= info;
    throw new SegfaultError(info);
  }

  private ensure(bytes: number): void {
    const mem = this.memory!;
    const have = mem.buffer.byteLength;
    if (bytes > have) mem.grow(Math.ceil((bytes - have) / WASM_PAGE));
  }
}

/** Index of the first non-zero byte of m[from, to), or null. */
function firstNonZero(m: Uint8Array, from: number, to: number): number | null {
  from = Math.max(0, from);
  to = Math.min(m.length, to);
  if (to - from > 1024) {
    // Large: memcmp against zeros first, through one Buffer over the whole memory (a view per scan cost an
    // allocation and more of the call: the full scan runs at every sbrk, 50,000 times on the 11 malloclab traces).
    if (wholeBuffer(m).compare(zeros(to - from), 0, to - from, m.byteOffset + from, m.byteOffset + to) === 0) return null;
  } else if (to - from >= 8) {
    // Small (the per-call edge checks): whole words, bytes only at the ends.
    const a = (from + 3) & ~3;
    const b = to & ~3;
    let i = from;
    for (; i < a; i++) if (m[i] !== 0) return i;
    const w = words(m);
    for (let k = a >> 2; k < b >> 2; k++) if (w[k] !== 0) return scanBytes(m, k << 2, (k << 2) + 4);
    return scanBytes(m, b, to);
  }
  return scanBytes(m, from, to);
}

function scanBytes(m: Uint8Array, from: number, to: number): number | null {
  for (let i = from; i < to; i++) if (m[i] !== 0) return i;
  return null;
}

let wordView: Int32Array = new Int32Array(0);
function words(m: Uint8Array): Int32Array {
  if (wordView.buffer !== m.buffer) wordView = new Int32Array(m.buffer, 0, m.buffer.byteLength >> 2);
  return wordView;
}

let whole: Buffer = Buffer.alloc(0);
function wholeBuffer(m: Uint8Array): Buffer {
  if (whole.buffer !== m.buffer) whole = Buffer.from(m.buffer as ArrayBuffer);
  return whole;
}

let zeroBuf = Buffer.alloc(WASM_PAGE * 2);
function zeros(n: number): Buffer {
  if (zeroBuf.length < n) zeroBuf = Buffer.alloc(n);
  return zeroBuf;
}
