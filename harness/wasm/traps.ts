/**
 * Turning what happens inside the C code into what the checker understands:
 * an out-of-bounds access becomes a SegfaultError (a `segfault` violation);
 * unreachable, a failed assert, abort/exit, division by zero and stack
 * overflow become a CRuntimeError (a `threw` violation). Both name the C
 * function, read from the stack trace (the module keeps its name section),
 * and its line with the line quoted, from the frame's code offset and the
 * module's line table (debug-lines.ts).
 */
import type { SegfaultInfo } from '../contract/checked-heap.ts';
import { SegfaultError } from '../heap/segfault.ts';
import type { WasmHeap } from './wasm-heap.ts';
import { lineAt, type SourceLines } from './debug-lines.ts';

/** A C-level failure: a trap, abort(), exit(), a failed assert. */
export class CRuntimeError extends Error {
  readonly code = 'HEAPGRADE_C_RUNTIME';
  constructor(
    name: string,
    message: string,
    /** The C function where it happened, when known. */
    readonly where?: string,
  ) {
    super(message);
    this.name = name;
  }
}

/** The kit runtime's functions: a trap inside them is reported with the student's caller too. */
const KIT_FUNCTIONS = new Set([
  'memcpy', 'memmove', 'memset', 'memcmp', 'memchr', 'strlen', 'strnlen', 'strcmp', 'strncmp', 'strcpy', 'strncpy', 'strchr', 'strcat',
  'printf', 'fprintf', 'vprintf', 'vfprintf', 'snprintf', 'vsnprintf', 'sprintf', 'puts', 'fputs', 'putchar', 'fputc', 'perror',
  'format', 'emit_num', 'emit_float', 'put', 'puts_n', 'pad', 'flush',
  'abort', 'exit', '__hg_assert_fail', 'sbrk', 'mem_sbrk', 'mem_heap_lo', 'mem_heap_hi', 'mem_heapsize', 'hg_kit_calloc',
]);

/** A C frame of a stack trace: the function (name section) and the module offset V8 gives. */
export interface CFrame {
  fn: string;
  offset?: number;
}

/** The C frames on a stack trace, innermost first. */
export function cFrames(stack: string | undefined): CFrame[] {
  const out: CFrame[] = [];
  for (const m of (stack ?? '').matchAll(/at (?:[^\s(]*\.)?([^\s(.]+) \(wasm:\/\/[^)]*?(?::(0x[0-9a-f]+))?\)|at (wasm:\/\/\S+:wasm-function\[(\d+)\](?::(0x[0-9a-f]+))?)/g)) {
    const offset = m[2] ?? m[5];
    out.push({ fn: m[1] ?? `wasm-function[${m[4]}]`, ...(offset ? { offset: Number(offset) } : {}) });
  }
  return out;
}

/** Where a C failure happened, for a person: the function and line, and the line as written. */
export interface CLocation {
  /** "mm_free at mm.c:72", or "memcpy (called from mm_realloc at mm.c:88)" when the trap is inside the kit's runtime. */
  where?: string;
  /** The student's line quoted, `  72 |   *p = 1;`, when the module has a line table. */
  source?: string;
}

function at(frame: CFrame, lines: SourceLines | undefined): { text: string; source?: string } {
  const l = frame.offset === undefined ? undefined : lineAt(lines, frame.offset);
  if (!l) return { text: frame.fn };
  return { text: `${frame.fn} at ${l.file}:${l.line}`, ...(l.text !== undefined ? { source: quoteLine(l.line, l.text) } : {}) };
}

/** A source line as a report quotes it. */
export function quoteLine(line: number, text: string): string {
  return `${String(line).padStart(5)} | ${text}`;
}

/** The innermost frame, and the student's frame that called into the kit's runtime when the trap is there. */
export function locate(stack: string | undefined, lines?: SourceLines): CLocation {
  const frames = cFrames(stack);
  const first = frames[0];
  if (first === undefined) return {};
  if (!KIT_FUNCTIONS.has(first.fn)) return where(at(first, lines));
  const mine = frames.find((f) => !KIT_FUNCTIONS.has(f.fn));
  if (!mine) return { where: first.fn };
  const caller = at(mine, lines);
  return { where: `${first.fn} (called from ${caller.text})`, ...(caller.source !== undefined ? { source: caller.source } : {}) };
}

/** The innermost C function that is not the kit's (the caller of abort, assert, exit), with its line. */
export function locateCaller(stack: string | undefined, lines?: SourceLines): CLocation {
  const mine = cFrames(stack).find((f) => !KIT_FUNCTIONS.has(f.fn));
  return mine ? where(at(mine, lines)) : {};
}

function where(a: { text: string; source?: string }): CLocation {
  return { where: a.text, ...(a.source !== undefined ? { source: a.source } : {}) };
}

/** A message with the quoted line under it, when there is one. */
function withSource(message: string, loc: CLocation): string {
  return loc.source ? `${message}\n${loc.source}` : message;
}

/** Translates anything thrown by a call into the C code. */
export function translateTrap(e: unknown, heap: WasmHeap, stackOverflowed: () => boolean, lines?: SourceLines): unknown {
  if (e instanceof SegfaultError || e instanceof CRuntimeError) return e;
  if (e instanceof RangeError && /call stack/i.test(e.message)) {
    const loc = locate(e.stack, lines);
    return new CRuntimeError('StackOverflow', withSource(`stack overflow${loc.where ? ` in ${loc.where}` : ''}: unbounded recursion?`, loc), loc.where);
  }
  if (!(e instanceof WebAssembly.RuntimeError)) return e;
  const loc = locate(e.stack, lines);
  const where = loc.where;
  const inFn = where ? ` in ${where}` : '';
  const trap = (name: string, message: string): CRuntimeError => new CRuntimeError(name, withSource(message, loc), where);
  const msg = e.message;
  if (/out of bounds/.test(msg) && !/table/.test(msg)) {
    if (stackOverflowed()) {
      return trap('StackOverflow', `stack overflow${inFn}: the C stack (shadow stack) is exhausted; unbounded recursion or a huge local array?`);
    }
    // The heap is the last thing in linear memory, so a trapping access lies at or past the memory's end, which is at or past brk.
    const end = heap.bytes().length;
    const past = end === heap.brk ? `at or past the break 0x${end.toString(16)}, where linear memory ends` : `at or past 0x${end.toString(16)}, where linear memory ends (the break is 0x${heap.brk.toString(16)})`;
    const info: SegfaultInfo = {
      address: NaN,
      length: 0,
      access: `an out-of-bounds memory access ${past}; WebAssembly does not report the exact address`,
      op: heap.currentOp,
      ...(where ? { where } : {}),
      ...(loc.source ? { source: loc.source } : {}),
    };
    heap.fault ??= info;
    return new SegfaultError(info);
  }
  if (/unreachable/.test(msg)) {
    return trap('Trap', `unreachable code reached${inFn} (__builtin_unreachable, a missing return the compiler treated as impossible, or other undefined behaviour)`);
  }
  if (/divi|remainder/.test(msg)) return trap('Trap', `integer division by zero${inFn}`);
  if (/table|signature|null function|indirect call/.test(msg)) return trap('Trap', `bad function pointer call${inFn} (${msg})`);
  return trap('Trap', `${msg}${inFn}`);
}
