/**
 * The checker: every call of a run goes through it. It applies one trace
 * operation to the allocator, enforces each rule of DESIGN.md on the result
 * and returns a structured violation, or null. After a violation the
 * allocator's state is undefined, so callers stop the run there.
 */
import { confinedTrail, mapConfinedLocation } from '../util/stack-map.ts';
import { hex } from '../util/format.ts';
import { SIZE_MAX, type Allocator } from '../contract/types.ts';
import type { CheckedHeap } from '../contract/checked-heap.ts';
import { SegfaultError } from '../heap/segfault.ts';
import { BudgetExceededError } from '../meter/budget.ts';
import { budgetTimeout } from './budget-timeout.ts';
import { describeOp, type Op } from '../trace/types.ts';
import { BlockTable } from './block-table.ts';
import { LiveIndex, type IndexNode } from './live-index.ts';
import type { CheckerOptions } from './options.ts';
import { fillPattern, findNonZero, findPatternMismatch, patternByte, patternKey } from './pattern.ts';
import type { Violation, ViolationKind } from './violation.ts';

/** A live block: its trace id, where it is, and its node in the ordered index (start = ptr, end = ptr + size). */
interface Block extends IndexNode {
  readonly id: number;
  /** Position in the table's live list. */
  slot: number;
  ptr: number;
  /** Requested bytes (count * size for calloc). */
  size: number;
  /** Pattern key, kept across realloc so the preserved prefix keeps its bytes. */
  readonly key: number;
}

function newBlock(id: number, ptr: number, size: number, key: number): Block {
  return { id, ptr, size, key, slot: -1, start: ptr, end: ptr + size };
}

export interface CheckerStats {
  /** Operations applied without a violation. */
  ops: number;
  livePayload: number;
  peakPayload: number;
  sweeps: number;
}

const MALLOC = 0;
const FREE = 1;
const REALLOC = 2;
const CALLOC = 3;
const MAX_BYTES_SHOWN = 16;

export class Checker {
  readonly stats: CheckerStats = { ops: 0, livePayload: 0, peakPayload: 0, sweeps: 0 };
  private readonly blocks = new BlockTable<Block>();
  private readonly index: LiveIndex<Block>;
  /** Zero-size blocks: only their uniqueness is checked. */
  private readonly zeroPtrs = new Set<number>();
  private serial = 0;
  private memCache: { u8: Uint8Array; u32: Int32Array; buf: Buffer; delta: number } | undefined;
  private memSbrkCalls = -1;
  /** Ids for leaked blocks whose trace id was reused: -2, -3, ... (-1 is free(NULL)). */
  private nextAnon = -2;
  private opsSinceSweep = 0;
  private bytesSinceSweep = 0;
  private lastSweepOp = -1;
  private curOp: Op | undefined;
  private curPtr: number | undefined;
  /** Set by invoke(): the call's violation, or null. */
  private failed: Violation | null = null;
  /** The first complaint of the allocator's check(), under `noteHeapCheck` (informative, never a stop). */
  heapCheckNote: Violation | null = null;
  private result: unknown;

  /** Decided once: whether a misaligned pointer stops this run (checked on every allocation). */
  private readonly flagsMisaligned: boolean;

  constructor(
    private readonly heap: CheckedHeap,
    private readonly alloc: Allocator,
    private readonly options: CheckerOptions,
    /** Shared progress cell: the op index in flight, read by a watchdog. */
    private readonly progress?: Int32Array,
  ) {
    this.index = new LiveIndex<Block>(heap.base, options.alignment);
    this.flagsMisaligned = !options.tolerate.includes('misaligned');
    heap.meter?.setBudget(options.stepBudget);
  }

  /**
   * The whole backing memory as bytes and words, and `delta`: subtract it
   * from an address to index them. Cached until the backing buffer changes
   * (the simulated heap reallocates when it grows; wasm memory detaches).
   */
  private mem(): { u8: Uint8Array; u32: Int32Array; buf: Buffer; delta: number } {
    const c = this.memCache;
    // The backing memory only changes when the heap grows, i.e. in sbrk.
    if (c && this.memSbrkCalls === this.heap.stats.sbrkCalls) return c;
    this.memSbrkCalls = this.heap.stats.sbrkCalls;
    const v = this.heap.view(this.heap.base, 0);
    if (c && c.u8.buffer === v.buffer && c.u8.byteLength === v.buffer.byteLength) return c;
    const u8 = new Uint8Array(v.buffer);
    this.memCache = {
      u8,
      u32: new Int32Array(v.buffer, 0, v.buffer.byteLength >> 2),
      buf: Buffer.from(v.buffer as ArrayBuffer),
      delta: this.heap.base - v.byteOffset,
    };
    return this.memCache;
  }

  /** Live blocks in address order (for heap maps). */
  liveBlocks(): { id: number; ptr: number; size: number }[] {
    const zero = [...this.blocks.values()].filter((b) => b.size === 0);
    const sized = this.index.entries().map((e) => ({ id: e.id, ptr: e.ptr, size: e.size }));
    return [...sized, ...zero.map((b) => ({ id: b.id, ptr: b.ptr, size: 0 }))].sort((a, b) => a.ptr - b.ptr);
  }

  ptrOf(id: number): number | undefined {
    return this.blocks.get(id)?.ptr;
  }

  /** Applies op number i. */
  step(op: Op, i: number): Violation | null {
    if (this.progress) this.progress[0] = i;
    this.heap.currentOp = i;
    this.curOp = op;
    this.curPtr = this.blocks.get(op.id)?.ptr;
    let v: Violation | null;
    switch (op.kind) {
      case 'a':
        v = this.doMalloc(op.id, op.size, i, op);
        break;
      case 'c':
        v = this.doCalloc(op.id, op.count, op.size, i, op);
        break;
      case 'f':
        v = this.doFree(op.id, i, op);
        break;
      case 'r':
        v = this.doRealloc(op.id, op.size, i, op);
        break;
    }
    if (v) return v;
    this.stats.ops++;
    if (this.options.checkHeap && !this.heapCheckNote) {
      v = this.runHeapCheck(i, op);
      if (v?.kind === 'heap-check-failed' && this.options.noteHeapCheck) this.heapCheckNote = v;
      else if (v) return v;
    }
    if (this.options.watchBlock >= 0) {
      const watched = this.blocks.get(this.options.watchBlock);
      if (watched) {
        v = this.verifyBlock(watched, i, op, `right after op #${i}, which wrote into it`);
        if (v) return v;
      }
    }
    if (++this.opsSinceSweep >= this.sweepInterval()) return this.sweep(i, op);
    return null;
  }

  /** The end of a run: every live block is verified once more. */
  finish(i: number): Violation | null {
    this.curOp = undefined;
    return this.sweep(i, undefined);
  }

  /** Verifies every live block now. */
  sweep(i: number, op: Op | undefined): Violation | null {
    this.stats.sweeps++;
    const from = this.lastSweepOp;
    this.lastSweepOp = i;
    for (const b of this.blocks.values()) {
      const when =
        from === i - 1
          ? `right after op #${i}, and it was intact before it: op #${i} wrote into it`
          : `in the sweep of all live blocks after op #${i}; it was intact after op #${from}`;
      const v = this.verifyBlock(b, i, op, when);
      if (v) return v;
    }
    // Reset after the loop: the sweep's own bytes must not bring the next sweep closer.
    this.opsSinceSweep = 0;
    this.bytesSinceSweep = 0;
    return null;
  }

  private sweepInterval(): number {
    if (this.options.sweepEvery > 0) return this.options.sweepEvery;
    // Adaptive: sweep once the bytes filled and verified since the last sweep
    // reach sixteen times the live payload, so sweeps cost a small fraction
    // of the per-op checks; and at least every 65536 ops.
    return this.bytesSinceSweep >= 16 * this.stats.livePayload ? 512 : 65536;
  }

  private doMalloc(id: number, size: number, i: number, op: Op): Violation | null {
    const before = this.heap.stats.sbrkFailures;
    const r = this.call(i, MALLOC, size, 0);
    if (this.failed) return this.failed;
    return this.acceptNew(id, r, size, i, before, 'malloc');
  }

  private doCalloc(id: number, count: number, size: number, i: number, op: Op): Violation | null {
    const before = this.heap.stats.sbrkFailures;
    const r = this.call(i, CALLOC, count, size);
    if (this.failed) return this.failed;
    const total = count * size;
    if (total > SIZE_MAX && this.options.sizeTBits === 32) {
      if (r === 0) return null;
      return this.violation('calloc-overflow', i, {
        ptr: r,
        message: `${this.callText} returned ${hex(r)}, but ${count} * ${size} = ${total} overflows a 32-bit size_t; it must return NULL`,
        hint: 'Check `count > SIZE_MAX / size` before multiplying: the wrapped product is a small, wrong size.',
      });
    }
    return this.acceptNew(id, r, total, i, before, 'calloc');
  }

  private doFree(id: number, i: number, op: Op): Violation | null {
    const b = id >= 0 ? this.blocks.get(id) : undefined;
    if (!b) {
      // The id's allocation legitimately returned NULL: a handout that never frees NULL
      // (malloclab 2002) never gets this call; an explicit free(NULL) (id -1) is always made.
      if (id >= 0 && !this.options.freeNullOfFailed) return null;
      this.call(i, FREE, 0, 0);
      return this.failed;
    }
    const v = this.verifyBlock(b, i, op, 'when it was freed');
    if (v) return v;
    this.forget(b);
    this.call(i, FREE, b.ptr, 0);
    return this.failed;
  }

  private doRealloc(id: number, size: number, i: number, op: Op): Violation | null {
    const old = this.blocks.get(id);
    const before = this.heap.stats.sbrkFailures;
    if (!old) {
      // realloc(NULL, 0) beyond the handout (malloclab 2002): not made; the id stays unallocated.
      if (size === 0 && !this.options.reallocNullZero) return null;
      const r = this.call(i, REALLOC, 0, size);
      if (this.failed) return this.failed;
      return this.acceptNew(id, r, size, i, before, 'realloc(NULL, n)');
    }
    const v = this.verifyBlock(old, i, op, 'before realloc');
    if (v) return v;
    const oldPtr = old.ptr;
    const r = this.call(i, REALLOC, oldPtr, size);
    if (this.failed) return this.failed;

    if (size === 0) {
      if (r === 0) {
        this.forget(old);
        if (this.options.realloc0 === 'minimal') {
          return this.violation('zero-size-policy', i, {
            ptr: oldPtr,
            size: 0,
            message: `${this.callText} returned NULL, but this assignment requires realloc(p, 0) to return a minimal block`,
          });
        }
        return null;
      }
      if (this.options.realloc0 === 'free') {
        return this.violation('zero-size-policy', i, {
          ptr: r,
          size: 0,
          message: `${this.callText} returned ${hex(r)}, but this assignment requires realloc(p, 0) to free p and return NULL`,
        });
      }
      // A minimal block for realloc(p, 0): p is gone, the new pointer must be unique.
      this.forget(old);
      return this.acceptZero(id, r, i, false);
    }
    if (r === 0) {
      // A failed realloc: NULL is fine only as for malloc; the old block must stay valid and intact.
      const nul = this.checkNull(size, i, before, 'realloc');
      if (nul) return nul;
      return this.verifyBlock(old, i, op, 'after realloc failed (a failed realloc must leave the old block intact)');
    }
    this.forget(old);
    const bad = this.validateRange(id, r, size, i);
    if (bad) return bad;
    const keep = Math.min(old.size, size);
    if (keep > 0) {
      const m = this.mem();
      const miss = findPatternMismatch(m.u8, m.u32, m.buf, r - m.delta, old.key, keep);
      if (miss >= 0 && this.options.tolerate.includes('realloc-data-lost')) {
        // Not this check's rule: put back what a correct realloc would have kept, and go on under this check's own rules.
        fillPattern(m.u8, r - m.delta, old.key, 0, keep);
      } else if (miss >= 0) {
        return this.violation('realloc-data-lost', i, {
          ptr: r,
          size,
          blockId: id,
          address: r + miss,
          ...this.bytesAt(r + miss, old.key, miss, keep - miss),
          message:
            `${this.callText} moved b${id} from ${hex(oldPtr)} to ${hex(r)} but byte ${miss} of the first ${keep} differs: ` +
            `realloc must keep min(old size ${old.size}, new size ${size}) bytes`,
          hint: r === oldPtr ? 'The block stayed in place: did splitting or a new header overwrite its payload?' : 'Copy the old payload (min of old and new size) before freeing the old block.',
        });
      }
    }
    const block = newBlock(id, r, size, old.key);
    if (size > keep) fillPattern(this.mem().u8, r + keep - this.mem().delta, block.key, keep, size - keep);
    this.remember(block);
    this.bytesSinceSweep += size + old.size;
    return null;
  }

  /** Checks a fresh block (or NULL) and records it. */
  private acceptNew(id: number, r: number, size: number, i: number, failuresBefore: number, fn: string): Violation | null {
    if (r === 0) this.leak(id); // the program's pointer is now NULL; the old block (if any) leaks
    if (size === 0) return this.acceptZero(id, r, i);
    if (r === 0) return this.checkNull(size, i, failuresBefore, fn);
    const bad = this.validateRange(id, r, size, i);
    if (bad) return bad;
    if (fn === 'calloc' && !this.options.tolerate.includes('calloc-not-zeroed')) {
      const m = this.mem();
      const nz = findNonZero(m.u8, m.u32, r - m.delta, size);
      if (nz >= 0) {
        return this.violation('calloc-not-zeroed', i, {
          ptr: r,
          size,
          blockId: id,
          address: r + nz,
          expected: new Array<number>(Math.min(MAX_BYTES_SHOWN, size - nz)).fill(0),
          actual: [...this.heap.view(r + nz, Math.min(MAX_BYTES_SHOWN, size - nz))],
          message: `${this.callText} returned ${hex(r)} but byte ${nz} of the ${size} is ${this.heap.view(r + nz, 1)[0]}, not 0`,
          hint: 'Memory fresh from sbrk is zero, but a reused free block holds old data and your own list pointers: zero the whole payload.',
        });
      }
    }
    const block = newBlock(id, r, size, patternKey(this.serial++));
    fillPattern(this.mem().u8, r - this.mem().delta, block.key, 0, size);
    this.remember(block);
    this.bytesSinceSweep += size;
    return null;
  }

  private acceptZero(id: number, r: number, i: number, malloc0Policy = true): Violation | null {
    const policy = malloc0Policy ? this.options.malloc0 : 'any';
    if (r === 0) {
      if (policy === 'unique') {
        return this.violation('zero-size-policy', i, {
          size: 0,
          message: `${this.callText} returned NULL, but this assignment requires a unique pointer for a zero-size request`,
        });
      }
      return null;
    }
    if (policy === 'null') {
      return this.violation('zero-size-policy', i, {
        ptr: r,
        size: 0,
        message: `${this.callText} returned ${hex(r)}, but this assignment requires NULL for a zero-size request`,
      });
    }
    if (!Number.isInteger(r)) return this.notAPointer(r, i);
    if (r % this.options.alignment !== 0 && this.flagsMisaligned) return this.misaligned(id, r, 0, i);
    if (r < this.heap.base || r > this.heap.brk) return this.outOfHeap(id, r, 0, i);
    if (this.zeroPtrs.has(r)) {
      return this.violation('overlap', i, {
        ptr: r,
        size: 0,
        blockId: id,
        message: `${this.callText} returned ${hex(r)}, which another live zero-size block already has: pointers must be unique`,
      });
    }
    const inside = this.index.findOverlap(r, r + 1);
    if (inside) {
      return this.violation('overlap', i, {
        ptr: r,
        size: 0,
        blockId: id,
        other: { blockId: inside.id, ptr: inside.ptr, size: inside.size },
        message: `${this.callText} returned ${hex(r)}, which lies inside live block b${inside.id} [${hex(inside.ptr)}, ${hex(inside.end)}): even a zero-size block needs its own address`,
      });
    }
    this.remember(newBlock(id, r, 0, patternKey(this.serial++)));
    return null;
  }

  private checkNull(size: number, i: number, failuresBefore: number, fn: string): Violation | null {
    if (size > this.heap.limit) return null; // the limit could never hold it
    if (this.heap.stats.sbrkFailures > failuresBefore) {
      // Memory really ran out during the call: fine for a check, a failed trace for mdriver.
      if (!this.options.nullFails) return null;
      return this.violation('out-of-memory', i, {
        size,
        message:
          `${this.callText} returned NULL: the allocator ran out of the ${this.heap.limit}-byte heap limit ` +
          `(heap extent ${this.heap.brk - this.heap.base}, live payload ${this.stats.livePayload} bytes) on a request the trace needs; mdriver fails this trace ("mm_malloc failed")`,
        hint: 'The heap is mostly free or fragmented: reuse freed blocks (coalesce neighbours, search the free list before sbrk), and do not grow the heap by more than the request needs.',
      });
    }
    return this.violation('spurious-null', i, {
      size,
      message:
        `${this.callText} returned NULL, but no sbrk failed during the call and the heap limit (${this.heap.limit} bytes) ` +
        `could hold ${size} bytes (heap extent now ${this.heap.brk - this.heap.base})`,
      hint: `Return NULL from ${fn} only when sbrk returned -1 during this very call: reuse a free block or grow the heap with sbrk first. Look for a "heap is full" flag that sticks, a search that gives up too early, or a size computation that overflows.`,
    });
  }

  private validateRange(id: number, r: number, size: number, i: number): Violation | null {
    if (!Number.isInteger(r)) return this.notAPointer(r, i);
    if (r % this.options.alignment !== 0 && this.flagsMisaligned) return this.misaligned(id, r, size, i);
    if (r < this.heap.base || r + size > this.heap.brk) return this.outOfHeap(id, r, size, i);
    if (this.zeroPtrs.size > 0 && this.zeroPtrs.has(r)) {
      return this.violation('overlap', i, {
        ptr: r,
        size,
        blockId: id,
        message: `${this.callText} returned ${hex(r)}, which a live zero-size block already has (did malloc(0) hand out the break without growing the heap?)`,
      });
    }
    const hit = this.index.findOverlap(r, r + size);
    if (hit) {
      const other = hit;
      const contains = r <= hit.start && r + size >= hit.end;
      const inside = r >= hit.start && r + size <= hit.end;
      const how = contains ? 'contains' : inside ? 'lies inside' : 'overlaps';
      return this.violation('overlap', i, {
        ptr: r,
        size,
        blockId: id,
        other: { blockId: other.id, ptr: other.ptr, size: other.size },
        message:
          `${this.callText} returned [${hex(r)}, ${hex(r + size)}), which ${how} live block b${other.id} ` +
          `[${hex(hit.start)}, ${hex(hit.end)})`,
        hint: 'A block was handed out twice: check that allocated blocks are removed from the free list, that splitting computes the remainder after the header, and that coalescing only merges free neighbours.',
      });
    }
    return null;
  }

  private verifyBlock(b: Block, i: number, op: Op | undefined, when: string): Violation | null {
    if (b.size === 0) return null;
    this.bytesSinceSweep += b.size;
    const m = this.mem();
    const miss = findPatternMismatch(m.u8, m.u32, m.buf, b.ptr - m.delta, b.key, b.size);
    if (miss < 0) return null;
    return this.violation('payload-corrupted', i, {
      ptr: b.ptr,
      size: b.size,
      blockId: b.id,
      address: b.ptr + miss,
      ...this.bytesAt(b.ptr + miss, b.key, miss, b.size - miss),
      message: `live block b${b.id} [${hex(b.ptr)}, ${hex(b.ptr + b.size)}) changed at byte ${miss} (${hex(b.ptr + miss)}), found ${when}`,
      hint: 'The allocator wrote into memory it had handed out: a header or footer placed inside a neighbour, a split that miscomputed sizes, or a free-list pointer stored in a block that is still live.',
    });
  }

  private runHeapCheck(i: number, op: Op): Violation | null {
    if (!this.alloc.check) return null;
    const r = this.invoke(i, () => this.alloc.check!());
    if (this.failed) return this.failed;
    if (!Array.isArray(r)) return null;
    if (r.length === 0) return null;
    return this.violation('heap-check-failed', i, {
      message: `your check() reported after ${this.callText}: ${r.slice(0, 5).join('; ')}${r.length > 5 ? ` (+${r.length - 5} more)` : ''}`,
      hint: 'The first operation after which check() complains is where the heap went wrong.',
    });
  }

  /** Calls into the allocator; converts faults and exceptions into violations. */
  private invoke<T>(i: number, fn: () => T): T {
    this.failed = this.invokeRaw(i, fn);
    return this.result as T;
  }

  /**
   * Calls one allocator function; its violation, if any, lands in
   * `this.failed`. A switch instead of a closure: this runs on every
   * operation and should not allocate.
   */
  private call(i: number, fn: number, a: number, b: number): number {
    this.heap.clearFault();
    this.failed = null;
    let r: unknown = 0;
    try {
      if (fn === MALLOC) r = this.alloc.malloc(a);
      else if (fn === FREE) this.alloc.free(a);
      else if (fn === REALLOC) r = this.alloc.realloc(a, b);
      else r = this.alloc.calloc(a, b);
    } catch (e) {
      this.failed = this.caught(e, i);
      return 0;
    }
    if (this.heap.fault) this.failed = this.segfault(this.heap.fault, i, true);
    return r as number;
  }

  private invokeRaw(i: number, fn: () => unknown): Violation | null {
    this.heap.clearFault();
    this.result = undefined;
    try {
      this.result = fn();
    } catch (e) {
      return this.caught(e, i);
    }
    if (this.heap.fault) return this.segfault(this.heap.fault, i, true);
    return null;
  }

  private caught(e: unknown, i: number): Violation {
    if (e instanceof BudgetExceededError) return this.violation('timeout', i, budgetTimeout(this.callText, e));
    const info = e instanceof SegfaultError ? e.info : this.heap.fault;
    // A TypeScript fault has no function name from the heap; the stack of the
    // fault (source-mapped to the student's file) says where it happened.
    if (info) return this.segfault(info.where || !(e instanceof Error) ? info : { ...info, ...trailOf(e) }, i);
    const err = e instanceof Error ? e : new Error(String(e));
    // A TypeScript throw: the student's frames, innermost first; anything else: the first frame outside the kit.
    const trail = confinedTrail(err.stack);
    const where = trail.where ?? whereThrown(err);
    return this.violation('threw', i, {
      message: `${this.callText} threw ${err.name}: ${err.message}${where ? ` (at ${where})` : ''}${trail.source ? `\n${trail.source}` : ''}`,
      hint: 'No exception may escape the allocator: fix the bug where it was thrown, and return NULL (0) when memory runs out instead of throwing.',
    });
  }

  private segfault(info: NonNullable<CheckedHeap['fault']>, i: number, swallowed = false): Violation {
    const a = info.address;
    const region = `heap is [${hex(this.heap.base)}, ${hex(this.heap.brk)})`;
    return this.violation('segfault', i, {
      ...(Number.isFinite(a) ? { address: a } : {}),
      // One fact a line: the call and where, the line as written, what the access was.
      message:
        `${this.callText}: segmentation fault${info.where ? ` in ${info.where}` : ''}` +
        (info.source ? `\n${info.source}` : '') +
        `\n${Number.isFinite(a) ? `${info.access} of ${info.length} byte(s) at ${hex(a)}` : info.access}, outside the heap (${region})` +
        (swallowed ? '\nThe allocator caught the fault and carried on.' : ''),
      hint:
        this.curOp?.kind === 'r' && info.access.startsWith('copy (source)')
          ? 'realloc read past the end of the old block: copy min(old size, new size) bytes, never the new size.'
          : !Number.isFinite(a)
          ? 'An access outside the heap: check pointer arithmetic, a NULL (0) pointer dereference, or a walk past the last block.'
          : a === 0 || (a > 0 && a < 4096)
          ? 'The address is near 0: a NULL pointer (or an empty list head) was dereferenced.'
          : a >= this.heap.brk
            ? 'The address is past the break: a size computation went too far, or the heap was not grown with sbrk first.'
            : 'Check pointer arithmetic: headers, footers and list pointers must stay inside the heap.',
    });
  }

  private notAPointer(r: unknown, i: number): Violation {
    return this.violation('out-of-heap', i, {
      message: `${this.callText} returned ${describeReturned(r)}, which is not an address: return a pointer (an integer) or 0 for NULL`,
    });
  }

  private misaligned(id: number, r: number, size: number, i: number): Violation {
    const a = this.options.alignment;
    return this.violation('misaligned', i, {
      ptr: r,
      size,
      blockId: id,
      message: `${this.callText} returned ${hex(r)}, which is not ${a}-byte aligned (${hex(r)} % ${a} = ${r % a})`,
      hint: `Round block sizes up to a multiple of ${a} and keep the header size a multiple of ${a} so payloads stay aligned.`,
    });
  }

  private outOfHeap(id: number, r: number, size: number, i: number): Violation {
    return this.violation('out-of-heap', i, {
      ptr: r,
      size,
      blockId: id,
      message: `${this.callText} returned [${hex(r)}, ${hex(r + size)}), which is not inside the heap [${hex(this.heap.base)}, ${hex(this.heap.brk)})`,
      hint: 'Grow the heap with sbrk before handing out memory past the break, and return the payload address, not the header.',
    });
  }

  private bytesAt(addr: number, key: number, offset: number, remaining: number): { expected: number[]; actual: number[] } {
    const n = Math.min(MAX_BYTES_SHOWN, remaining);
    const expected: number[] = [];
    for (let k = 0; k < n; k++) expected.push(patternByte(key, offset + k));
    return { expected, actual: [...this.heap.view(addr, n)] };
  }

  private violation(kind: ViolationKind, op: number, rest: Omit<Violation, 'kind' | 'op' | 'call'>): Violation {
    return { kind, op, call: this.callText, ...rest };
  }

  /** The call in flight as C, built only when a message needs it (never on the hot path). */
  private get callText(): string {
    const op = this.curOp;
    if (!op) return 'end of trace';
    return describeOp(op, (id) => (id === op.id ? this.curPtr : this.ptrOf(id)));
  }

  /**
   * The trace reuses a live id (a malloc over a pointer never freed, or one
   * that returned NULL): the old block leaks but stays allocated, so it keeps
   * being checked under an anonymous id.
   */
  private leak(id: number): void {
    const prev = this.blocks.get(id);
    if (!prev) return;
    const anon = newBlock(this.nextAnon--, prev.ptr, prev.size, prev.key);
    this.blocks.delete(prev.id);
    this.blocks.set(anon.id, anon);
    if (prev.size > 0) {
      this.index.remove(prev.ptr);
      this.index.insertNode(anon);
    }
  }

  private remember(b: Block): void {
    this.leak(b.id);
    this.blocks.set(b.id, b);
    if (b.size > 0) this.index.insertNode(b);
    else this.zeroPtrs.add(b.ptr);
    this.stats.livePayload += b.size;
    if (this.stats.livePayload > this.stats.peakPayload) this.stats.peakPayload = this.stats.livePayload;
  }

  private forget(b: Block): void {
    this.blocks.delete(b.id);
    if (b.size === 0) this.zeroPtrs.delete(b.ptr);
    else this.index.remove(b.ptr);
    this.stats.livePayload -= b.size;
  }
}

/** Where a fault without a recorded place happened: the student's frames, or the first frame outside the kit. */
function trailOf(e: Error): { where?: string; source?: string } {
  const trail = confinedTrail(e.stack);
  if (trail.where) return trail;
  const where = whereThrown(e);
  return where ? { where } : {};
}

/** The first stack frame outside the kit (the student's file:line:col, source-mapped), if any. */
export function whereThrown(err: Error): string | undefined {
  const frames = (err.stack ?? '').split('\n').slice(1);
  for (const f of frames) {
    const m = /\(?((?:file:\/\/)?[^()\s]+:\d+:\d+)\)?\s*$/.exec(f.trim());
    if (!m) continue;
    const loc = m[1]!.replace(/^file:\/\//, '');
    // A frame of a confined bundle: the student's own file:line from its source map.
    const confined = mapConfinedLocation(loc);
    if (confined) return confined;
    if (/\/harness\/|node:internal|\/node_modules\/|^heapgrade-confined:/.test(loc)) continue;
    return loc.replace(`${process.cwd()}/`, '');
  }
  return undefined;
}

/**
 * What a call returned that is not an address, in words, without running any
 * of the submission's code: `String(obj)` would call its Symbol.toPrimitive
 * or toString outside any metered call (a tick there throws, and the check
 * became "heapgrade error (not your fault)": test/attack/blame.test.ts).
 * Primitives (symbols and BigInts included) convert without user code.
 */
function describeReturned(r: unknown): string {
  if (typeof r === 'number') return String(r);
  if (typeof r === 'function') return 'a function';
  if (typeof r === 'object' && r !== null) return Array.isArray(r) ? 'an array' : 'an object';
  return `${String(r)} (${typeof r})`;
}
