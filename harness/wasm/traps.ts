/**
 * Turning what happens inside the C code into what the checker understands:
 * an out-of-bounds access becomes a SegfaultError (a `segfault` violation);
 * unreachable, a failed assert, abort/exit, division by zero and stack
 * overflow become a CRuntimeError (a `threw` violation). Both name the C
 * function, read from the stack trace (the module keeps its name section).
 */
import type { SegfaultInfo } from '../heap/checked-heap.ts';
import { SegfaultError } from '../heap/segfault.ts';
import type { WasmHeap } from './wasm-heap.ts';

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

/** The C functions on a stack trace, innermost first. */
export function cFrames(stack: string | undefined): string[] {
  const out: string[] = [];
  for (const m of (stack ?? '').matchAll(/at (?:[^\s(]*\.)?([^\s(.]+) \(wasm:\/\/[^)]*\)|at (wasm:\/\/\S+:wasm-function\[(\d+)\])/g)) {
    out.push(m[1] ?? `wasm-function[${m[3]}]`);
  }
  return out;
}

/** "mm_malloc", or "memcpy (called from mm_realloc)" when the trap is inside the kit's runtime. */
export function whereIn(stack: string | undefined): string | undefined {
  const frames = cFrames(stack);
  const first = frames[0];
  if (first === undefined) return undefined;
  if (!KIT_FUNCTIONS.has(first)) return first;
  const mine = frames.find((f) => !KIT_FUNCTIONS.has(f));
  return mine ? `${first} (called from ${mine})` : first;
}

/** The innermost C function that is not the kit's (the caller of abort, assert, exit). */
export function callerIn(stack: string | undefined): string | undefined {
  return cFrames(stack).find((f) => !KIT_FUNCTIONS.has(f));
}

/** Translates anything thrown by a call into the C code. */
export function translateTrap(e: unknown, heap: WasmHeap, stackOverflowed: () => boolean): unknown {
  if (e instanceof SegfaultError || e instanceof CRuntimeError) return e;
  if (e instanceof RangeError && /call stack/i.test(e.message)) {
    const where = whereIn(e.stack);
    return new CRuntimeError('StackOverflow', `stack overflow${where ? ` in ${where}` : ''}: unbounded recursion?`, where);
  }
  if (!(e instanceof WebAssembly.RuntimeError)) return e;
  const where = whereIn(e.stack);
  const inFn = where ? ` in ${where}` : '';
  const msg = e.message;
  if (/out of bounds/.test(msg) && !/table/.test(msg)) {
    if (stackOverflowed()) {
      return new CRuntimeError('StackOverflow', `stack overflow${inFn}: the C stack (shadow stack) is exhausted; unbounded recursion or a huge local array?`, where);
    }
    // The heap is the last thing in linear memory, so a trapping access lies at or past the memory's end, which is at or past brk.
    const end = heap.bytes().length;
    const past = end === heap.brk ? `at or past the break 0x${end.toString(16)}, where linear memory ends` : `at or past 0x${end.toString(16)}, where linear memory ends (the break is 0x${heap.brk.toString(16)})`;
    const info: SegfaultInfo = {
      address: NaN,
      length: 0,
      access: `wasm out-of-bounds memory access ${past} (a walk past the last block, or a wild or negative pointer; the engine does not report the exact address)`,
      op: heap.currentOp,
      ...(where ? { where } : {}),
    };
    heap.fault ??= info;
    return new SegfaultError(info);
  }
  if (/unreachable/.test(msg)) {
    return new CRuntimeError('Trap', `unreachable code reached${inFn} (__builtin_unreachable, a missing return the compiler treated as impossible, or other undefined behaviour)`, where);
  }
  if (/divi|remainder/.test(msg)) return new CRuntimeError('Trap', `integer division by zero${inFn}`, where);
  if (/table|signature|null function|indirect call/.test(msg)) return new CRuntimeError('Trap', `bad function pointer call${inFn} (${msg})`, where);
  return new CRuntimeError('Trap', `${msg}${inFn}`, where);
}
