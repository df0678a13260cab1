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
 * Bulk memory is charged by what it touches, not as one instruction:
 * `memory.copy` and `memory.fill` take BULK_BYTES_PER_INSTRUCTION bytes per
 * instruction off the counter before they run (clang emits them for memcpy,
 * memmove, memset and for copy loops its loop-idiom pass recognises, so a
 * loop and the library call cost alike within a small factor), and
 * `memory.grow` takes GROW_COST_PER_PAGE per page and fails (returns -1, as
 * out of memory) past a page limit the host sets in a third new global
 * (GROW_LIMIT_EXPORT: the pages the heap limit allows), so neither the grow
 * nor the kit's guard scan of the memory past the break can be made larger
 * than the heap limit. A fourth new global is the scratch slot these
 * sequences keep the length in.
 *
 * Run once at compile time; the instrumented module is what the compile
 * cache stores.
 */
import { Reader, WasmFormatError, Writer } from './wasm-binary.ts';

/** Export names of the new globals. Names the linker never produces (the C code cannot define them). */
export const METER_EXPORT = '__hg_meter_left';
export const STACK_LOW_EXPORT = '__hg_stack_low';
/** The most pages the module's memory may have after a `memory.grow` of the C code; 0 (every grow fails) until the host sets it. */
export const GROW_LIMIT_EXPORT = '__hg_grow_limit';
/** Bumped whenever the pass changes what it emits: part of the compile cache key. */
export const METER_PASS_VERSION = 'meter-pass-4';

/**
 * Bytes of `memory.copy`/`memory.fill` per charged instruction (a power of
 * two). Measured against the same 4 KiB shift and clear written as loops
 * clang does not turn into memory.copy (test/meter/bulk-memory.test.ts): a
 * byte loop costs 6-10 instructions per byte, a 4-byte word loop 2.6, an
 * 8-byte one about 1.3; at 1 per byte the library call costs between the
 * cheapest loop / 3 and the dearest (README, "Metering").
 */
export const BULK_BYTES_PER_INSTRUCTION = 1;
/** Instructions per 64 KiB page a `memory.grow` adds: zeroing the page, as memory.fill would be charged. */
export const GROW_COST_PER_PAGE = 65536 / BULK_BYTES_PER_INSTRUCTION;

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
  i64LtU: 0x54,
  i32Sub: 0x6b,
  i32GtU: 0x4b,
  i32GtS: 0x4a,
  i32ShrU: 0x76,
  i32Shl: 0x74,
  i64Const: 0x42,
  i64GtU: 0x56,
  i64GtS: 0x55,
  i64ShrU: 0x88,
  i64Shl: 0x86,
  i64Sub: 0x7d,
  i64Add: 0x7c,
  i32Or: 0x72,
  i64ExtendI32S: 0xac,
  i64ExtendI32U: 0xad,
  i32WrapI64: 0xa7,
  memorySize: 0x3f,
  memoryGrow: 0x40,
} as const;

/** What a bulk-memory instruction is, for the charge inserted before it. */
type Bulk = 'copy' | 'fill' | 'grow' | null;

/** Instructions after which a new segment starts (control flow may enter or leave there). */
const ENDS_SEGMENT = new Set<number>([OP.block, OP.loop, OP.if, OP.else, OP.end, OP.br, OP.brIf, OP.brTable, OP.return, OP.unreachable, 0x12, 0x13]);

export interface MeterPassResult {
  wasm: Uint8Array;
  /** Functions instrumented (bodies in the code section). */
  functions: number;
  /** Metered segments inserted. */
  segments: number;
  /**
   * With `offsets: true`: where each instruction of the input went, as pairs
   * [output module offset, input code-section offset] in output order (DWARF
   * addresses are code-section offsets). A segment's charge maps to the
   * segment's first instruction, so a budget trap names the line it guards.
   */
  offsets?: number[];
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
export function instrumentModule(wasm: Uint8Array, options: { charge?: boolean; trackStack?: boolean; offsets?: boolean } = {}): MeterPassResult {
  const chargeOn = options.charge !== false;
  const sections = readSections(wasm);
  const imported = countImports(sections);
  const defined = sections.find((s) => s.id === SECTION.global);
  const definedGlobals = defined ? new Reader(defined.body).u32() : 0;
  const meterIndex = imported.globals + definedGlobals;
  const lowIndex = meterIndex + 1;
  const g: NewGlobals = { meter: meterIndex, low: lowIndex, growLimit: meterIndex + 2, scratch: meterIndex + 3, memory64: isMemory64(sections) };
  // The low-water mark has the stack pointer's type: i64 under memory64.
  const sp = options.trackStack === false ? null : exportedGlobal(sections, '__stack_pointer');
  if (exportedGlobal(sections, METER_EXPORT) !== null) throw new WasmFormatError('the module is already instrumented (it exports the meter)');

  const out: Section[] = [];
  let segments = 0;
  let functions = 0;
  const pairs: number[] | undefined = options.offsets === true ? [] : undefined;
  for (const s of sections) {
    if (s.id === SECTION.global) out.push({ id: s.id, body: appendGlobals(s.body, g.memory64) });
    else if (s.id === SECTION.export) out.push({ id: s.id, body: appendExports(s.body, g) });
    else if (s.id === SECTION.code) {
      const r = rewriteCode(s.body, chargeOn ? g : null, sp === null ? null : { sp, low: lowIndex, memory64: g.memory64 }, pairs);
      segments += r.segments;
      functions += r.functions;
      out.push({ id: s.id, body: r.body });
    } else out.push(s);
  }
  if (!defined) insertInOrder(out, { id: SECTION.global, body: appendGlobals(new Writer().u32(0).finish(), g.memory64) });
  if (!sections.some((s) => s.id === SECTION.export)) {
    insertInOrder(out, { id: SECTION.export, body: appendExports(new Writer().u32(0).finish(), g) });
  }
  const w = new Writer().bytes(wasm.subarray(0, 8));
  for (const s of out) {
    w.byte(s.id).u32(s.body.length);
    // The pairs were relative to the new code section's body: make them module offsets (what V8's stack traces show).
    if (s.id === SECTION.code && pairs) for (let k = 0; k < pairs.length; k += 2) pairs[k]! += w.length;
    w.bytes(s.body);
  }
  return { wasm: w.finish(), functions, segments, ...(pairs ? { offsets: pairs } : {}) };
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

/** Indexes of the pass's new globals, and the memory's index type. */
interface NewGlobals {
  meter: number;
  low: number;
  growLimit: number;
  /** Holds a bulk instruction's length (or a grow's delta) while it is charged: i64 under memory64. */
  scratch: number;
  memory64: boolean;
}

/** Whether the module's memory (defined or imported) is a memory64 one (limits flag 0x04). */
function isMemory64(sections: readonly Section[]): boolean {
  const mem = sections.find((x) => x.id === SECTION.memory);
  if (mem) {
    const r = new Reader(mem.body);
    if (r.u32() > 0) return (r.byte() & 0x04) !== 0;
  }
  const imp = sections.find((x) => x.id === SECTION.import);
  if (!imp) return false;
  const r = new Reader(imp.body);
  for (let n = r.u32(); n > 0; n--) {
    r.name();
    r.name();
    const kind = r.byte();
    if (kind === 2) return (r.bytes[r.pos]! & 0x04) !== 0;
    if (kind === 0) r.u32();
    else if (kind === 1) {
      r.byte();
      limits(r);
    } else if (kind === 3) r.skip(2);
    else if (kind === 4) {
      r.byte();
      r.u32();
    }
  }
  return false;
}

/**
 * The four new globals, `(mut T) (T.const 0)`: the meter (i32), the stack
 * low-water mark (a pointer: i64 under memory64, whose stack pointer is an
 * i64), the grow limit (i32), then the scratch slot (a pointer too).
 */
function appendGlobals(body: Uint8Array, memory64: boolean): Uint8Array {
  const r = new Reader(body);
  const n = r.u32();
  const w = new Writer().u32(n + 4).bytes(body.subarray(r.pos));
  const i32 = (): void => void w.byte(0x7f).byte(0x01).byte(OP.i32Const).s32(0).byte(OP.end);
  const ptr = (): void => void (memory64 ? w.byte(0x7e).byte(0x01).byte(OP.i64Const).s32(0).byte(OP.end) : i32());
  i32();
  ptr();
  i32();
  ptr();
  return w.finish();
}

function appendExports(body: Uint8Array, g: NewGlobals): Uint8Array {
  const r = new Reader(body);
  const n = r.u32();
  return new Writer()
    .u32(n + 3)
    .bytes(body.subarray(r.pos))
    .name(METER_EXPORT).byte(3).u32(g.meter)
    .name(STACK_LOW_EXPORT).byte(3).u32(g.low)
    .name(GROW_LIMIT_EXPORT).byte(3).u32(g.growLimit)
    .finish();
}

/** The stack pointer the pass watches, the low-water-mark global it keeps, and their type. */
interface StackTracking {
  sp: number;
  low: number;
  memory64: boolean;
}

function rewriteCode(body: Uint8Array, meter: NewGlobals | null, stack: StackTracking | null, pairs?: number[]): { body: Uint8Array; functions: number; segments: number } {
  const r = new Reader(body);
  const count = r.u32();
  const w = new Writer().u32(count);
  let segments = 0;
  for (let f = 0; f < count; f++) {
    const size = r.u32();
    const start = r.pos;
    const fn = rewriteFunction(body.subarray(start, start + size), meter, stack, f, pairs ? [] : undefined);
    segments += fn.segments;
    w.u32(fn.body.length);
    if (pairs && fn.pairs) for (let k = 0; k < fn.pairs.length; k += 2) pairs.push(w.length + fn.pairs[k]!, start + fn.pairs[k + 1]!);
    w.bytes(fn.body);
    r.pos = start + size;
  }
  return { body: w.finish(), functions: count, segments };
}

/** One function body: locals unchanged, then the instructions with a meter charge at the head of each segment. */
function rewriteFunction(
  body: Uint8Array,
  g: NewGlobals | null,
  stack: StackTracking | null,
  index: number,
  pairs?: number[],
): { body: Uint8Array; segments: number; pairs?: number[] } {
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
  const bulks: Bulk[] = [];
  while (!r.done) {
    starts.push(r.pos);
    const { op, setsGlobal, bulk } = skipInstruction(r, index);
    cuts.push(ENDS_SEGMENT.has(op));
    spSets.push(stack !== null && setsGlobal === stack.sp);
    bulks.push(bulk);
  }
  starts.push(r.pos);
  const w = new Writer().bytes(body.subarray(0, localsEnd));
  let segments = 0;
  const n = starts.length - 1;
  for (let i = 0; i < n; ) {
    // The segment is [i, j]: up to and including the next control instruction (or the body's last).
    let j = i;
    while (j < n - 1 && !cuts[j]) j++;
    // The charge maps to the segment's first instruction.
    pairs?.push(w.length, starts[i]!);
    // The function's final `end` alone is not worth a charge; everything else is.
    if (g !== null && !(i === n - 1 && j === n - 1)) {
      charge(w, g.meter, j - i + 1);
      segments++;
    }
    for (let k = i; k <= j; k++) {
      if (k > i) pairs?.push(w.length, starts[k]!);
      const bulk = g === null ? null : bulks[k];
      const instruction = body.subarray(starts[k]!, starts[k + 1]!);
      if (bulk === 'grow') boundedGrow(w, g!, instruction);
      else {
        if (bulk !== null) chargeLength(w, g!);
        w.bytes(instruction);
      }
      if (spSets[k]) trackLow(w, stack!);
    }
    i = j + 1;
  }
  return { body: w.finish(), segments, ...(pairs ? { pairs } : {}) };
}

/** meter -= cost; if (meter < 0) unreachable; */
function charge(w: Writer, meter: number, cost: number): void {
  w.byte(OP.globalGet).u32(meter).byte(OP.i32Const).s32(cost).byte(OP.i32Sub).byte(OP.globalSet).u32(meter);
  w.byte(OP.globalGet).u32(meter).byte(OP.i32Const).s32(0).byte(OP.i32LtS).byte(OP.if).byte(0x40).byte(OP.unreachable).byte(OP.end);
}

/** Sets the counter to -1 (so the host reads the trap as an exhausted budget) and traps. */
function exhaust(w: Writer, meter: number): void {
  w.byte(OP.i32Const).s32(-1).byte(OP.globalSet).u32(meter).byte(OP.unreachable);
}

/**
 * Before memory.copy / memory.fill (memory.init), whose length n is on top
 * of the stack: scratch = n; if (n / BYTES > meter) exhaust;
 * meter -= n / BYTES; push n. Compared in i64 before subtracting, so a
 * length of gigabytes cannot wrap the i32 counter.
 */
function chargeLength(w: Writer, g: NewGlobals): void {
  const shift = Math.log2(BULK_BYTES_PER_INSTRUCTION);
  const length64 = (): void => {
    w.byte(OP.globalGet).u32(g.scratch);
    if (!g.memory64) w.byte(OP.i64ExtendI32U);
    w.byte(OP.i64Const).s32(shift).byte(OP.i64ShrU);
  };
  w.byte(OP.globalSet).u32(g.scratch);
  length64();
  w.byte(OP.globalGet).u32(g.meter).byte(OP.i64ExtendI32S).byte(OP.i64GtS).byte(OP.if).byte(0x40);
  exhaust(w, g.meter);
  w.byte(OP.end);
  w.byte(OP.globalGet).u32(g.meter);
  length64();
  w.byte(OP.i32WrapI64).byte(OP.i32Sub).byte(OP.globalSet).u32(g.meter);
  w.byte(OP.globalGet).u32(g.scratch);
}

/**
 * memory.grow with its page delta d on top of the stack:
 * scratch = d; if (d > limit || d + memory.size > limit) push -1 (out of memory)
 * else { if (d * PAGE_COST > meter) exhaust; meter -= d * PAGE_COST; memory.grow d }.
 * The comparisons are in i64, so no delta wraps them. `instruction` is the
 * original memory.grow with its memory index.
 */
function boundedGrow(w: Writer, g: NewGlobals, instruction: Uint8Array): void {
  const shift = Math.log2(GROW_COST_PER_PAGE);
  const memIndex = instruction.subarray(1);
  const toI64 = (): void => void (g.memory64 ? undefined : w.byte(OP.i64ExtendI32U));
  const delta64 = (): void => (w.byte(OP.globalGet).u32(g.scratch), toI64());
  const limit64 = (): void => void w.byte(OP.globalGet).u32(g.growLimit).byte(OP.i64ExtendI32U);
  w.byte(OP.globalSet).u32(g.scratch);
  delta64();
  limit64();
  w.byte(OP.i64GtU);
  delta64();
  w.byte(OP.memorySize).bytes(memIndex);
  toI64();
  w.byte(OP.i64Add);
  limit64();
  w.byte(OP.i64GtU).byte(OP.i32Or);
  w.byte(OP.if).byte(g.memory64 ? 0x7e : 0x7f);
  if (g.memory64) w.byte(OP.i64Const).s32(-1);
  else w.byte(OP.i32Const).s32(-1);
  w.byte(OP.else);
  // d <= limit <= 65536 pages here: d << shift fits an i64, and an i32 once known to be at most the counter.
  delta64();
  w.byte(OP.i64Const).s32(shift).byte(OP.i64Shl);
  w.byte(OP.globalGet).u32(g.meter).byte(OP.i64ExtendI32S).byte(OP.i64GtS).byte(OP.if).byte(0x40);
  exhaust(w, g.meter);
  w.byte(OP.end);
  w.byte(OP.globalGet).u32(g.meter);
  delta64();
  w.byte(OP.i64Const).s32(shift).byte(OP.i64Shl).byte(OP.i32WrapI64);
  w.byte(OP.i32Sub).byte(OP.globalSet).u32(g.meter);
  w.byte(OP.globalGet).u32(g.scratch).bytes(instruction);
  w.byte(OP.end);
}

/** if (sp < low) low = sp; */
function trackLow(w: Writer, { sp, low, memory64 }: StackTracking): void {
  w.byte(OP.globalGet).u32(sp).byte(OP.globalGet).u32(low).byte(memory64 ? OP.i64LtU : OP.i32LtU).byte(OP.if).byte(0x40);
  w.byte(OP.globalGet).u32(sp).byte(OP.globalSet).u32(low).byte(OP.end);
}

/** Skips one instruction and its immediates; returns its opcode (and the global a global.set writes). */
function skipInstruction(r: Reader, fn: number): { op: number; setsGlobal: number | null; bulk: Bulk } {
  const at = r.pos;
  const op = r.byte();
  let setsGlobal: number | null = null;
  let bulk: Bulk = null;
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
      r.u32(); // memory index
      break;
    case 0x40:
      r.u32(); // memory index
      bulk = 'grow';
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
      bulk = miscPrefix(r, fn, at);
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
  return { op, setsGlobal, bulk };
}

function blockType(r: Reader): void {
  const b = r.bytes[r.pos]!;
  if (b === 0x40 || (b >= 0x6f && b <= 0x7f)) r.pos++;
  else r.skipLeb(); // a type index (s33)
}

/** Skips a 0xfc-prefixed instruction; says whether it is memory.copy or memory.fill. */
function miscPrefix(r: Reader, fn: number, at: number): Bulk {
  const sub = r.u32();
  if (sub <= 7) return null; // saturating truncations
  const immediates: Record<number, number> = { 8: 2, 9: 1, 10: 2, 11: 1, 12: 2, 13: 1, 14: 2, 15: 1, 16: 1, 17: 1 };
  const n = immediates[sub];
  if (n === undefined) throw new WasmFormatError(`the metering pass does not know opcode 0xfc ${sub} (function ${fn}, byte ${at})`);
  for (let k = 0; k < n; k++) r.u32();
  // memory.init (8) copies from a passive data segment: wasm-ld emits none for the kit's targets; charged like a copy all the same.
  return sub === 10 || sub === 8 ? 'copy' : sub === 11 ? 'fill' : null;
}

/** The globals the store guard exports: the host sets the bounds, and reads where a store was stopped. */
export const GUARD_EXPORTS = { dataEnd: '__hg_guard_data_end', base: '__hg_guard_base', brk: '__hg_guard_brk', fault: '__hg_guard_fault' } as const;
/** Below this no store is allowed (the NULL page, as the heap's guard scan has it). */
const GUARD_NULL_PAGE = 4096;

/** Store opcodes: bytes written and the value's type. */
const STORES: Record<number, { bytes: number; type: 'i32' | 'i64' | 'f32' | 'f64' }> = {
  0x36: { bytes: 4, type: 'i32' },
  0x37: { bytes: 8, type: 'i64' },
  0x38: { bytes: 4, type: 'f32' },
  0x39: { bytes: 8, type: 'f64' },
  0x3a: { bytes: 1, type: 'i32' },
  0x3b: { bytes: 2, type: 'i32' },
  0x3c: { bytes: 1, type: 'i64' },
  0x3d: { bytes: 2, type: 'i64' },
  0x3e: { bytes: 4, type: 'i64' },
};

/**
 * A debug build of an (already metered) wasm32 module in which every store
 * first checks its address: allowed are [4096, data end) (the stack and the
 * static data) and [heap base, break), the bounds the host keeps in the
 * exported globals; any other store sets `__hg_guard_fault` to its address
 * and traps there, so the trap's stack names the store's function and code
 * offset. The kit runs it only to find the line of a write that the heap's
 * guard scan found after a call (harness/wasm/store-guard.ts), replaying that
 * instance's calls; it never grades. Function and global indexes are
 * unchanged (no import is added; the new globals come last). `offsets` maps
 * the new module's code offsets to the input's ([new, old] pairs, as
 * instrumentModule's), every inserted instruction to its store's.
 */
export function guardStores(wasm: Uint8Array): { wasm: Uint8Array; offsets: number[] } {
  const sections = readSections(wasm);
  if (isMemory64(sections)) throw new WasmFormatError('the store guard is for wasm32 modules');
  const imported = countImports(sections);
  const defined = sections.find((s) => s.id === SECTION.global);
  const first = imported.globals + (defined ? new Reader(defined.body).u32() : 0);
  // addr (i32), one value slot per type, the effective address (i64), the bounds and the fault (i32).
  const gl = { addr: first, i32: first + 1, i64: first + 2, f32: first + 3, f64: first + 4, eff: first + 5, dataEnd: first + 6, base: first + 7, brk: first + 8, fault: first + 9 };
  const types = [0x7f, 0x7f, 0x7e, 0x7d, 0x7c, 0x7e, 0x7f, 0x7f, 0x7f, 0x7f];
  const pairs: number[] = [];
  const out: Section[] = [];
  for (const s of sections) {
    if (s.id === SECTION.global) out.push({ id: s.id, body: appendTypedGlobals(s.body, types) });
    else if (s.id === SECTION.export) {
      const r = new Reader(s.body);
      const n = r.u32();
      const w = new Writer().u32(n + 4).bytes(s.body.subarray(r.pos));
      for (const k of ['dataEnd', 'base', 'brk', 'fault'] as const) w.name(GUARD_EXPORTS[k]).byte(3).u32(gl[k]);
      out.push({ id: s.id, body: w.finish() });
    } else if (s.id === SECTION.code) {
      const r = new Reader(s.body);
      const w = new Writer();
      const count = r.u32();
      w.u32(count);
      for (let f = 0; f < count; f++) {
        const size = r.u32();
        const body = s.body.subarray(r.pos, r.pos + size);
        r.skip(size);
        const fnPairs: number[] = [];
        const rewritten = guardFunction(body, imported.functions + f, gl, fnPairs);
        w.u32(rewritten.length);
        const at = w.length;
        for (let k = 0; k < fnPairs.length; k += 2) pairs.push(at + fnPairs[k]!, (r.pos - size) + fnPairs[k + 1]!);
        w.bytes(rewritten);
      }
      out.push({ id: s.id, body: w.finish() });
    } else out.push(s);
  }
  if (!defined || !sections.some((s) => s.id === SECTION.export)) throw new WasmFormatError('the store guard needs a metered module (globals and exports)');
  const w = new Writer().bytes(wasm.subarray(0, 8));
  // The input's code-section body offset, to make the old offsets module offsets too.
  let oldCodeStart = 8;
  for (const s of sections) {
    oldCodeStart += 1 + new Writer().u32(s.body.length).length;
    if (s.id === SECTION.code) break;
    oldCodeStart += s.body.length;
  }
  for (const s of out) {
    w.byte(s.id).u32(s.body.length);
    if (s.id === SECTION.code) {
      for (let k = 0; k < pairs.length; k += 2) {
        pairs[k]! += w.length;
        pairs[k + 1]! += oldCodeStart;
      }
    }
    w.bytes(s.body);
  }
  return { wasm: w.finish(), offsets: pairs };
}

function appendTypedGlobals(body: Uint8Array, types: readonly number[]): Uint8Array {
  const r = new Reader(body);
  const n = r.u32();
  const w = new Writer().u32(n + types.length).bytes(body.subarray(r.pos));
  for (const t of types) {
    w.byte(t).byte(0x01);
    if (t === 0x7f) w.byte(OP.i32Const).s32(0);
    else if (t === 0x7e) w.byte(OP.i64Const).s32(0);
    else if (t === 0x7d) w.byte(0x43).bytes([0, 0, 0, 0]);
    else w.byte(0x44).bytes([0, 0, 0, 0, 0, 0, 0, 0]);
    w.byte(OP.end);
  }
  return w.finish();
}

/** One function body with a check before each store; pairs are [new, old] offsets within the body. */
function guardFunction(body: Uint8Array, index: number, gl: Record<'addr' | 'i32' | 'i64' | 'f32' | 'f64' | 'eff' | 'dataEnd' | 'base' | 'brk' | 'fault', number>, pairs: number[]): Uint8Array {
  const r = new Reader(body);
  for (let n = r.u32(); n > 0; n--) {
    r.u32();
    r.byte();
  }
  const w = new Writer().bytes(body.subarray(0, r.pos));
  while (!r.done) {
    const start = r.pos;
    const { op } = skipInstruction(r, index);
    const store = STORES[op];
    pairs.push(w.length, start);
    if (store) {
      const m = new Reader(body, start + 1);
      m.u32(); // alignment
      const offset = m.u32();
      const get = (g: number): Writer => w.byte(OP.globalGet).u32(g);
      const i64 = (v: number): Writer => w.byte(OP.i64Const).bytes(sleb64(v));
      w.byte(OP.globalSet).u32(gl[store.type]);
      w.byte(OP.globalSet).u32(gl.addr);
      get(gl.addr).byte(OP.i64ExtendI32U);
      i64(offset).byte(OP.i64Add).byte(OP.globalSet).u32(gl.eff);
      // In the stack or static data: eff >= 4096 && eff + n <= dataEnd
      get(gl.eff);
      i64(GUARD_NULL_PAGE).byte(0x5a); // i64.ge_u
      get(gl.eff);
      i64(store.bytes).byte(OP.i64Add);
      get(gl.dataEnd).byte(OP.i64ExtendI32U).byte(0x58); // i64.le_u
      w.byte(0x71); // i32.and
      // In the heap: eff >= base && eff + n <= brk
      get(gl.eff);
      get(gl.base).byte(OP.i64ExtendI32U).byte(0x5a);
      get(gl.eff);
      i64(store.bytes).byte(OP.i64Add);
      get(gl.brk).byte(OP.i64ExtendI32U).byte(0x58);
      w.byte(0x71).byte(OP.i32Or).byte(0x45); // i32.and, i32.or, i32.eqz
      w.byte(OP.if).byte(0x40);
      get(gl.eff).byte(OP.i32WrapI64).byte(OP.globalSet).u32(gl.fault);
      w.byte(OP.unreachable).byte(OP.end);
      get(gl.addr);
      get(gl[store.type]);
      pairs.push(w.length, start);
    }
    w.bytes(body.subarray(start, r.pos));
  }
  return w.finish();
}

/** Signed LEB128 of a non-negative integer below 2^53 (an i64.const immediate). */
function sleb64(v: number): number[] {
  let x = BigInt(v);
  const out: number[] = [];
  for (;;) {
    const b = Number(x & 0x7fn);
    x >>= 7n;
    if ((x === 0n && (b & 0x40) === 0) || (x === -1n && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}
