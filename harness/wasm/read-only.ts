/**
 * WebAssembly memory has no read-only part: a string literal or a `const`
 * table lives in ordinary linear memory, and `static char *t = "....";`
 * is a pointer to 2 KiB of writable bytes that the static-data rule lets
 * pass as literals (compile.ts, READ_ONLY_STRING_ALLOWANCE). Written to,
 * it is a side table outside the heap.
 *
 * So the module's read-only segments (wasm-ld's `.rodata`: string literals,
 * `const` data) are kept as the module itself initialises them, and the
 * off-heap-metadata check compares memory against them while it runs: any
 * changed byte is data the allocator stored in its literals. The same
 * verdict every run: fixed calls, fixed compare points.
 */
import type { ReadOnlyWrite } from '../contract/instance.ts';
import { Reader, WasmFormatError } from '../meter/wasm-binary.ts';

export interface ReadOnlySegment {
  name: string;
  /** Address of its first byte in linear memory. */
  start: number;
  /** What the module puts there at instantiation. */
  bytes: Uint8Array;
}


/** The active data segments named `.rodata` or `.rodata.*` in a linked module (the name section says which). */
export function readOnlySegments(wasm: Uint8Array): ReadOnlySegment[] {
  const r = new Reader(wasm, 8);
  const segments: { start: number; bytes: Uint8Array }[] = [];
  const names = new Map<number, string>();
  while (!r.done) {
    const id = r.byte();
    const size = r.u32();
    const end = r.pos + size;
    if (id === 11) {
      for (let n = r.u32(), i = 0; i < n; i++) {
        const flags = r.u32();
        if (flags === 2) r.u32(); // memory index
        let start = -1;
        if (flags !== 1) {
          const op = r.byte(); // i32.const or i64.const
          if (op !== 0x41 && op !== 0x42) throw new WasmFormatError(`unexpected data segment offset instruction 0x${op.toString(16)}`);
          start = r.u32();
          if (r.byte() !== 0x0b) throw new WasmFormatError('unexpected data segment offset expression');
        }
        const len = r.u32();
        segments.push({ start, bytes: wasm.slice(r.pos, r.pos + len) });
        r.skip(len);
      }
    } else if (id === 0 && r.name() === 'name') {
      while (r.pos < end) {
        const sub = r.byte();
        const subSize = r.u32();
        const subEnd = r.pos + subSize;
        if (sub === 9) for (let n = r.u32(); n > 0; n--) names.set(r.u32(), r.name());
        r.pos = subEnd;
      }
    }
    r.pos = end;
  }
  return segments.flatMap((s, i) => {
    const name = names.get(i) ?? '';
    return s.start >= 0 && (name === '.rodata' || name.startsWith('.rodata.')) ? [{ name, start: s.start, bytes: s.bytes }] : [];
  });
}

/** Compares memory against the read-only segments; null when nothing was written. */
export function readOnlyWritten(memory: Uint8Array, segments: readonly ReadOnlySegment[]): ReadOnlyWrite | null {
  let first: ReadOnlyWrite | null = null;
  let changed = 0;
  for (const s of segments) {
    const now = memory.subarray(s.start, s.start + s.bytes.length);
    if (Buffer.compare(now, s.bytes) === 0) continue;
    for (let i = 0; i < s.bytes.length; i++) {
      if (now[i] === s.bytes[i]) continue;
      changed++;
      first ??= { address: s.start + i, segment: s.name, was: literalAround(s.bytes, i), bytes: 0 };
    }
  }
  return first && { ...first, bytes: changed };
}

/** The NUL-delimited text around offset `i`, as it was: what a student recognises as their literal. */
function literalAround(bytes: Uint8Array, i: number): string {
  let from = i;
  while (from > 0 && bytes[from - 1] !== 0 && i - from < 20) from--;
  let to = i;
  while (to < bytes.length && bytes[to] !== 0 && to - from < 40) to++;
  const text = Array.from(bytes.subarray(from, to), (b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
  return text + (to < bytes.length && bytes[to] !== 0 ? '…' : '');
}
