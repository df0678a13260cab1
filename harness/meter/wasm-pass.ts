/**
 * The metering pass for C submissions: rewrites a compiled wasm32 module so
 * that it counts the instructions it executes, the way blockchain VMs count
 * gas. Every function body is cut into straight-line segments (a segment ends
 * at each control instruction: block, loop, if, else, end, br, br_if,
 * br_table, return, unreachable); each segment starts by taking its
 * instruction count off a counter global and trapping when the counter goes
 * negative. The host sets the counter to the call's budget before each call
 * and reads what is left after it, so a call's cost is exact, the same on
 * every machine, and a loop runs out of budget at the same segment every time.
 *
 * The counter is a NEW global, appended after the module's own globals: the
 * student's code was compiled before it existed, so it cannot name it, and
 * no existing index moves. It is exported as METER_EXPORT for the host.
 *
 * The pass also keeps a low-water mark of the shadow stack pointer
 * (`__stack_pointer`, wasm-ld's global) in a second new global: after a call
 * the host knows how deep the call's frames went, so bytes written below
 * that depth are data kept outside any frame (a side table in the stack
 * region), which the off-heap-metadata rule reports.
 *
 * Run once at compile time; the instrumented module is what the compile
 * cache stores.
 */
import { Reader, WasmFormatError, Writer } from './wasm-binary.ts';

/** Export names of the new globals. Names the linker never produces (the C code cannot define them). */
export const METER_EXPORT = '__hg_meter_left';
export const STACK_LOW_EXPORT = '__hg_stack_low';
/** Bumped whenever the pass changes what it emits: part of the compile cache key. */
export const METER_PASS_VERSION = 'meter-pass-1';

const SECTION = { custom: 0, type: 1, import: 2, function: 3, table: 4, memory: 5, global: 6, export: 7, code: 10, tag: 13 } as const;
/** Canonical section order (ids), for inserting a global section where none exists. */
const ORDER = [1, 2, 3, 4, 5, 13, 6, 7, 8, 9, 12, 10, 11];

const OP = {
  unreachable: 0x00,
  block: 0x02,
  loop: 0x03,
  if: 0x04,
  else: 0x05,
  end: 0x0b,
  br: 0x0c,
  brIf: 0x0d,
  brTable: 0x0e,
  return: 0x0f,
  globalGet: 0x23,
  globalSet: 0x24,
  i32Const: 0x41,
  i32LtS: 0x48,
  i32LtU: 0x49,
  i32Sub: 0x6b,
} as const;

/** Instructions after which a new segment starts (control flow may enter or leave there). */
const ENDS_SEGMENT = new Set<number>([OP.block, OP.loop, OP.if, OP.else, OP.end, OP.br, OP.brIf, OP.brTable, OP.return, OP.unreachable, 0x12, 0x13]);

export interface MeterPassResult {
  wasm: Uint8Array;
  /** Functions instrumented (bodies in the code section). */
  functions: number;
  /** Metered segments inserted. */
  segments: number;
}

interface Section {
  id: number;
  body: Uint8Array;
}

/**
 * Instruments `wasm`; throws WasmFormatError when it meets something it
 * cannot read. `charge: false` adds the globals and the stack tracking but
 * no instruction counting: only for measuring what the counting costs.
 */
export function instrumentModule(wasm: Uint8Array, options: { charge?: boolean; trackStack?: boolean } = {}): MeterPassResult {
  const chargeOn = options.charge !== false;
  const sections = readSections(wasm);
  const imported = countImports(sections);
  const defined = sections.find((s) => s.id === SECTION.global);
  const definedGlobals = defined ? new Reader(defined.body).u32() : 0;
  const meterIndex = imported.globals + definedGlobals;
  const lowIndex = meterIndex + 1;
  // Stack tracking compares i32 pointers: off for memory64 modules (an i64 stack pointer).
  const sp = options.trackStack === false ? null : exportedGlobal(sections, '__stack_pointer');
  if (exportedGlobal(sections, METER_EXPORT) !== null) throw new WasmFormatError('the module is already instrumented (it exports the meter)');

  const out: Section[] = [];
  let segments = 0;
  let functions = 0;
  for (const s of sections) {
    if (s.id === SECTION.global) out.push({ id: s.id, body: appendGlobals(s.body) });
    else if (s.id === SECTION.export) out.push({ id: s.id, body: appendExports(s.body, meterIndex, lowIndex) });
    else if (s.id === SECTION.code) {
      const r = rewriteCode(s.body, chargeOn ? meterIndex : null, lowIndex, sp);
      segments += r.segments;
      functions += r.functions;
      out.push({ id: s.id, body: r.body });
    } else out.push(s);
  }
  if (!defined) insertInOrder(out, { id: SECTION.global, body: appendGlobals(new Writer().u32(0).finish()) });
  if (!sections.some((s) => s.id === SECTION.export)) {
    insertInOrder(out, { id: SECTION.export, body: appendExports(new Writer().u32(0).finish(), meterIndex, lowIndex) });
  }
  const w = new Writer().bytes(wasm.subarray(0, 8));
  for (const s of out) w.byte(s.id).u32(s.body.length).bytes(s.body);
  return { wasm: w.finish(), functions, segments };
}

function readSections(wasm: Uint8Array): Section[] {
  const magic = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  if (wasm.length < 8 || magic.some((b, i) => wasm[i] !== b)) throw new WasmFormatError('not a WebAssembly 1.0 module');
  const r = new Reader(wasm, 8);
  const out: Section[] = [];
  while (!r.done) {
    const id = r.byte();
    const size = r.u32();
    out.push({ id, body: wasm.subarray(r.pos, r.pos + size) });
    r.skip(size);
  }
  return out;
}

function insertInOrder(sections: Section[], s: Section): void {
  const rank = ORDER.indexOf(s.id);
  const at = sections.findIndex((x) => x.id !== SECTION.custom && ORDER.indexOf(x.id) > rank);
  sections.splice(at < 0 ? sections.length : at, 0, s);
}

function countImports(sections: readonly Section[]): { functions: number; globals: number } {
  const s = sections.find((x) => x.id === SECTION.import);
  let functions = 0;
  let globals = 0;
  if (!s) return { functions, globals };
  const r = new Reader(s.body);
  for (let n = r.u32(); n > 0; n--) {
    r.name();
    r.name();
    const kind = r.byte();
    if (kind === 0) {
      r.u32();
      functions++;
    } else if (kind === 1) {
      r.byte(); // reftype
      limits(r);
    } else if (kind === 2) limits(r);
    else if (kind === 3) {
      r.byte(); // valtype
      r.byte(); // mutability
      globals++;
    } else if (kind === 4) {
      r.byte();
      r.u32();
    } else throw new WasmFormatError(`unknown import kind ${kind}`);
  }
  return { functions, globals };
}

function limits(r: Reader): void {
  const flags = r.byte();
  r.skipLeb();
  if (flags & 1) r.skipLeb();
}

function exportedGlobal(sections: readonly Section[], name: string): number | null {
  const s = sections.find((x) => x.id === SECTION.export);
  if (!s) return null;
  const r = new Reader(s.body);
  for (let n = r.u32(); n > 0; n--) {
    const nm = r.name();
    const kind = r.byte();
    const index = r.u32();
    if (kind === 3 && nm === name) return index;
  }
  return null;
}

/** The two new globals: `(mut i32) (i32.const 0)` each. */
function appendGlobals(body: Uint8Array): Uint8Array {
  const r = new Reader(body);
  const n = r.u32();
  const w = new Writer().u32(n + 2).bytes(body.subarray(r.pos));
  for (let k = 0; k < 2; k++) w.byte(0x7f).byte(0x01).byte(OP.i32Const).s32(0).byte(OP.end);
  return w.finish();
}

function appendExports(body: Uint8Array, meter: number, low: number): Uint8Array {
  const r = new Reader(body);
  const n = r.u32();
  return new Writer().u32(n + 2).bytes(body.subarray(r.pos)).name(METER_EXPORT).byte(3).u32(meter).name(STACK_LOW_EXPORT).byte(3).u32(low).finish();
}

function rewriteCode(body: Uint8Array, meter: number | null, low: number, sp: number | null): { body: Uint8Array; functions: number; segments: number } {
  const r = new Reader(body);
  const count = r.u32();
  const w = new Writer().u32(count);
  let segments = 0;
  for (let f = 0; f < count; f++) {
    const size = r.u32();
    const start = r.pos;
    const fn = rewriteFunction(body.subarray(start, start + size), meter, low, sp, f);
    segments += fn.segments;
    w.u32(fn.body.length).bytes(fn.body);
    r.pos = start + size;
  }
  return { body: w.finish(), functions: count, segments };
}

/** One function body: locals unchanged, then the instructions with a meter charge at the head of each segment. */
function rewriteFunction(body: Uint8Array, meter: number | null, low: number, sp: number | null, index: number): { body: Uint8Array; segments: number } {
  const r = new Reader(body);
  for (let n = r.u32(); n > 0; n--) {
    r.u32();
    r.byte();
  }
  const localsEnd = r.pos;
  // First pass: instruction boundaries, where segments end, where the stack pointer is set.
  const starts: number[] = [];
  const cuts: boolean[] = [];
  const spSets: boolean[] = [];
  while (!r.done) {
    starts.push(r.pos);
    const { op, setsGlobal } = skipInstruction(r, index);
    cuts.push(ENDS_SEGMENT.has(op));
    spSets.push(sp !== null && setsGlobal === sp);
  }
  starts.push(r.pos);
  const w = new Writer().bytes(body.subarray(0, localsEnd));
  let segments = 0;
  const n = starts.length - 1;
  for (let i = 0; i < n; ) {
    // The segment is [i, j]: up to and including the next control instruction (or the body's last).
    let j = i;
    while (j < n - 1 && !cuts[j]) j++;
    // The function's final `end` alone is not worth a charge; everything else is.
    if (meter !== null && !(i === n - 1 && j === n - 1)) {
      charge(w, meter, j - i + 1);
      segments++;
    }
    for (let k = i; k <= j; k++) {
      w.bytes(body.subarray(starts[k]!, starts[k + 1]!));
      if (spSets[k]) trackLow(w, sp!, low);
    }
    i = j + 1;
  }
  return { body: w.finish(), segments };
}

/** meter -= cost; if (meter < 0) unreachable; */
function charge(w: Writer, meter: number, cost: number): void {
  w.byte(OP.globalGet).u32(meter).byte(OP.i32Const).s32(cost).byte(OP.i32Sub).byte(OP.globalSet).u32(meter);
  w.byte(OP.globalGet).u32(meter).byte(OP.i32Const).s32(0).byte(OP.i32LtS).byte(OP.if).byte(0x40).byte(OP.unreachable).byte(OP.end);
}

/** if (sp < low) low = sp; */
function trackLow(w: Writer, sp: number, low: number): void {
  w.byte(OP.globalGet).u32(sp).byte(OP.globalGet).u32(low).byte(OP.i32LtU).byte(OP.if).byte(0x40);
  w.byte(OP.globalGet).u32(sp).byte(OP.globalSet).u32(low).byte(OP.end);
}

/** Skips one instruction and its immediates; returns its opcode (and the global a global.set writes). */
function skipInstruction(r: Reader, fn: number): { op: number; setsGlobal: number | null } {
  const at = r.pos;
  const op = r.byte();
  let setsGlobal: number | null = null;
  switch (op) {
    case 0x02:
    case 0x03:
    case 0x04:
      blockType(r);
      break;
    case 0x0c:
    case 0x0d:
    case 0x10: // call
    case 0x12: // return_call
    case 0x20:
    case 0x21:
    case 0x22:
    case 0x23:
    case 0x25: // table.get
    case 0x26: // table.set
    case 0xd2: // ref.func
      r.u32();
      break;
    case 0x24:
      setsGlobal = r.u32();
      break;
    case 0x0e:
      for (let n = r.u32(); n >= 0; n--) r.u32(); // the labels and the default
      break;
    case 0x11: // call_indirect type table
    case 0x13: // return_call_indirect
      r.u32();
      r.u32();
      break;
    case 0x1c: // select with types
      for (let n = r.u32(); n > 0; n--) r.byte();
      break;
    case 0x3f:
    case 0x40:
      r.u32(); // memory index
      break;
    case 0x41:
    case 0x42:
      r.skipLeb();
      break;
    case 0x43:
      r.skip(4);
      break;
    case 0x44:
      r.skip(8);
      break;
    case 0xd0:
      r.byte(); // heap type
      break;
    case 0xfc:
      miscPrefix(r, fn, at);
      break;
    default:
      if (op >= 0x28 && op <= 0x3e) {
        const align = r.u32();
        if (align & 0x40) r.u32(); // multi-memory: memory index
        r.skipLeb(); // offset
      } else if (!(op <= 0x01 || op === 0x05 || op === 0x0b || op === 0x0f || op === 0x1a || op === 0x1b || (op >= 0x45 && op <= 0xc4) || op === 0xd1)) {
        throw new WasmFormatError(`the metering pass does not know opcode 0x${op.toString(16)} (function ${fn}, byte ${at}); a compiler feature the kit does not enable?`);
      }
  }
  return { op, setsGlobal };
}

function blockType(r: Reader): void {
  const b = r.bytes[r.pos]!;
  if (b === 0x40 || (b >= 0x6f && b <= 0x7f)) r.pos++;
  else r.skipLeb(); // a type index (s33)
}

function miscPrefix(r: Reader, fn: number, at: number): void {
  const sub = r.u32();
  if (sub <= 7) return; // saturating truncations
  const immediates: Record<number, number> = { 8: 2, 9: 1, 10: 2, 11: 1, 12: 2, 13: 1, 14: 2, 15: 1, 16: 1, 17: 1 };
  const n = immediates[sub];
  if (n === undefined) throw new WasmFormatError(`the metering pass does not know opcode 0xfc ${sub} (function ${fn}, byte ${at})`);
  for (let k = 0; k < n; k++) r.u32();
}
