/**
 * The line of a write the heap's guard scan found after a call. The scan
 * sees only that a byte the kit keeps zero (the NULL page, the gap below the
 * heap, the memory past the break) is not zero any more, once the call has
 * returned: no function, no line. So the instance's calls are replayed, in
 * order and with the same seed and limit, on a debug build of the module in
 * which every store checks its address first (guardStores, harness/meter):
 * the first store outside the stack, the static data and [base, break) traps
 * where it is, and its frame names the function and `mm.c:LINE`. Run only
 * when the scan finds something; never part of a grade's numbers.
 */
import { guardStores } from '../meter/wasm-pass.ts';
import { lineAt, type SourceLines } from './debug-lines.ts';
import type { CompiledC } from './compile.ts';

/** Thrown by a guarded instance's call when a store outside the allowed memory trapped. */
export class StoreOutside extends Error {
  constructor(
    readonly address: number,
    readonly where?: string,
    readonly source?: string,
  ) {
    super(`store to 0x${address.toString(16)}${where ? ` in ${where}` : ''}`);
  }
}

const built = new WeakMap<CompiledC, CompiledC | null>();

/** The compiled module with its stores guarded and its line table moved to the new offsets; null under memory64. */
export function guardedCompile(compiled: CompiledC): CompiledC | null {
  let g = built.get(compiled);
  if (g !== undefined) return g;
  g = null;
  if (compiled.model === 'ilp32') {
    const pass = guardStores(compiled.wasm);
    const lines = compiled.lines ? moveLines(compiled.lines, pass.offsets) : undefined;
    g = { ...compiled, wasm: pass.wasm, module: new WebAssembly.Module(pass.wasm as Uint8Array<ArrayBuffer>), ...(lines ? { lines } : {}) };
  }
  built.set(compiled, g);
  return g;
}

/** A line table for the guarded module: each new offset takes the line of the old offset it came from. */
function moveLines(lines: SourceLines, offsets: readonly number[]): SourceLines {
  const rows: number[] = [];
  for (let k = 0; k < offsets.length; k += 2) {
    const l = lineAt(lines, offsets[k + 1]!);
    const file = l ? lines.files.indexOf(l.file) : 0;
    rows.push(offsets[k]!, Math.max(0, file), l ? l.line : 0);
  }
  return { files: lines.files, rows, text: lines.text };
}
