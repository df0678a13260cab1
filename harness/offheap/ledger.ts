/**
 * What a TypeScript allocator keeps outside the heap from the start: the
 * typed arrays, ArrayBuffers, arrays and Maps/Sets its module makes when it
 * loads and its factory makes in createAllocator. Nothing there grows with
 * the block count, so the growth measurement (measure.ts) cannot see a table
 * allocated once at full size; this ledger counts it exactly.
 *
 * Counted deterministically, not sampled: every `new` the compartment
 * evaluates and every builtin call routed through the kit's call sites
 * (harness/meter/builtin-costs.ts) hands its result (and the object it was
 * called on) to `note` while a phase is open. Each buffer and collection is
 * counted once, by identity, at the end of the phase:
 * - an ArrayBuffer (or the buffer of a typed array or DataView) by its
 *   byteLength, a resizable one by its maxByteLength (what it may become);
 * - an array at 8 bytes per element, a Map or Set at 16 per entry.
 * The heap port hands the allocator no typed array, so every buffer the
 * compartment reaches is one it made. What no call site sees (an object
 * filled property by property) is left to V8's heap statistics, measured
 * absolutely from before the module loads (measure.ts).
 */
import { types } from 'node:util';
import type { OffHeapTally } from '../contract/instance.ts';

/** Bytes of off-heap tables an allocator may keep (list heads, size-class tables): as the C rule lets 2 KiB of literals go uncounted. */
export const OFF_HEAP_ALLOWANCE_BYTES = 2048;

export type { OffHeapTally };

const TypedArray = Object.getPrototypeOf(Uint8Array) as { prototype: object };
const getter = (proto: object, name: string): ((this: unknown) => unknown) => Object.getOwnPropertyDescriptor(proto, name)!.get!;
const typedBuffer = getter(TypedArray.prototype, 'buffer');
const viewBuffer = getter(DataView.prototype, 'buffer');
const bufferLength = getter(ArrayBuffer.prototype, 'byteLength');
const bufferMax = getter(ArrayBuffer.prototype, 'maxByteLength');
const bufferResizable = getter(ArrayBuffer.prototype, 'resizable');
const mapSize = getter(Map.prototype, 'size');
const setSize = getter(Set.prototype, 'size');
const apply = Reflect.apply;

/** Per element of an array, per entry of a Map or Set: what a slot holds on a 64-bit engine. */
const ARRAY_SLOT = 8;
const ENTRY = 16;

export class OffHeapLedger {
  private depth = 0;
  /** Buffers counted once, ever: an instance's factory using its module's table does not count it again. */
  private readonly seen = new WeakSet<object>();
  /** Bytes already counted for a collection: a later phase counts only what it added. */
  private readonly counted = new WeakMap<object, number>();
  /** Collections met in the open phase: sized when it ends (an array filled by push after it was met still counts). */
  private met = new Set<object>();
  private tally: OffHeapTally = { bytes: 0 };

  /** Hands a value the compartment made or worked on; counts nothing outside a phase. */
  readonly note = (v: unknown): void => {
    if (this.depth === 0 || typeof v !== 'object' || v === null || types.isProxy(v)) return;
    if (types.isTypedArray(v)) this.buffer(apply(typedBuffer, v, []) as ArrayBuffer, v);
    else if (types.isDataView(v)) this.buffer(apply(viewBuffer, v, []) as ArrayBuffer, v);
    else if (types.isArrayBuffer(v)) this.buffer(v, v);
    else if (Array.isArray(v) || types.isMap(v) || types.isSet(v)) this.met.add(v);
  };

  /** Runs `fn` with the phase open and returns what it made; phases nest (the inner one's items count in the outer one too). */
  measure<T>(fn: () => T): { value: T; tally: OffHeapTally } {
    const outer = this.tally;
    const outerMet = this.met;
    this.tally = { bytes: 0 };
    this.met = new Set();
    this.depth++;
    try {
      const value = fn();
      return { value, tally: this.close() };
    } finally {
      this.depth--;
      const inner = this.tally;
      this.tally = outer;
      this.met = outerMet;
      if (this.depth > 0) this.add(inner.bytes, inner.biggest?.what ?? '', inner.biggest?.bytes ?? 0);
    }
  }

  private close(): OffHeapTally {
    for (const c of this.met) {
      const [count, what] = Array.isArray(c)
        ? [c.length, 'an array of %d elements']
        : types.isMap(c) ? [apply(mapSize, c, []) as number, 'a Map of %d entries'] : [apply(setSize, c, []) as number, 'a Set of %d entries'];
      const bytes = count * (Array.isArray(c) ? ARRAY_SLOT : ENTRY);
      const before = this.counted.get(c) ?? 0;
      if (bytes > before) {
        this.counted.set(c, bytes);
        this.add(bytes - before, what.replace('%d', String(count)), bytes);
      }
    }
    this.met = new Set();
    return { ...this.tally };
  }

  private buffer(b: ArrayBuffer, holder: object): void {
    if (this.seen.has(b)) return;
    this.seen.add(b);
    const bytes = (apply(bufferResizable, b, []) ? apply(bufferMax, b, []) : apply(bufferLength, b, [])) as number;
    const name = types.isArrayBuffer(holder) ? 'ArrayBuffer' : types.isDataView(holder) ? 'DataView' : typedArrayName(holder);
    this.add(bytes, `${name === 'ArrayBuffer' ? 'an' : 'a'} ${name} of ${bytes} bytes`);
  }

  private add(bytes: number, what: string, itemBytes = bytes): void {
    this.tally.bytes += bytes;
    if (itemBytes > (this.tally.biggest?.bytes ?? 0)) this.tally.biggest = { what, bytes: itemBytes };
  }
}

const toStringTag = Object.getOwnPropertyDescriptor(TypedArray.prototype, Symbol.toStringTag)!.get!;
function typedArrayName(v: object): string {
  return String(apply(toStringTag, v, []) ?? 'typed array');
}

/** The thread's ledger: the compartments of a thread are endowed with its `note`, and everything they run is synchronous. */
export const OFF_HEAP_LEDGER = new OffHeapLedger();
