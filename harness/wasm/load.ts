/**
 * Loads a C submission: compile (cached), then a fresh WebAssembly.Instance
 * per run whose heap is the end of its own linear memory. The allocator
 * methods call the module's exports; traps and guard-area writes become the
 * errors the checker turns into `segfault` / `threw` violations.
 */
import type { AllocatorInstance, InstanceOptions, LoadedSubmission } from '../contract/instance.ts';
import type { Allocator } from '../contract/types.ts';
import { LoadError } from '../util/errors.ts';
import { compileC, compileDlmalloc, type CompileOptions, type CompiledC } from './compile.ts';
import { DEFAULT_OUTPUT_CAP, OutputCapture } from './output.ts';
import { CRuntimeError, locate, locateCaller, quoteLine, translateTrap } from './traps.ts';
import { WasmHeap } from './wasm-heap.ts';
import { GROW_LIMIT_EXPORT, GUARD_EXPORTS, METER_EXPORT, STACK_LOW_EXPORT } from '../meter/wasm-pass.ts';
import { MAX_C_BUDGET } from '../meter/budget.ts';
import { SegfaultError } from '../heap/segfault.ts';
import { guardedCompile, StoreOutside } from './store-guard.ts';
import { WasmMeter } from '../meter/wasm-meter.ts';
import { StackRegion } from '../offheap/stack-region.ts';
import { foreignImports } from './imports.ts';
import { readOnlySegments, readOnlyWritten, type ReadOnlySegment } from './read-only.ts';
import { CALLOC, CallLog, CHECK, FREE, MALLOC, REALLOC } from './call-log.ts';

export interface LoadCOptions extends CompileOptions {
  /** Bytes of printf output kept per instance between takeOutput() calls. @default 65536 */
  outputCap?: number;
  /** Full scans of the guard areas (NULL page, below base, past brk) every N allocator calls. @default 64 */
  guardScanEvery?: number;
  /** What `spec` to report (e.g. `ref:reference-c`). @default the path */
  spec?: string;
}

export interface LoadedC extends LoadedSubmission {
  readonly language: 'c';
  readonly compiled: CompiledC;
}

type Fn = (...args: number[]) => number;

/**
 * Under memory64 (the 64-bit profiles) pointers and size_t are i64, which
 * JavaScript sees as BigInt; the kit keeps numbers (heap addresses stay below
 * 4 GiB) and converts at the boundary. `int` stays i32 in both models.
 */
interface Abi {
  /** A pointer or size_t from the module. */
  n(v: unknown): number;
  /** A pointer or size_t to the module (ptr/size arguments of exports, results of imports). */
  w(v: number): number;
}
const ABI32: Abi = { n: (v) => (v as number) >>> 0, w: (v) => v | 0 };
const ABI64: Abi = {
  n: (v) => Number(BigInt.asUintN(64, v as bigint)),
  // sbrk's -1 is an intptr_t: negative numbers go over as negative i64.
  w: (v) => BigInt(Math.trunc(v)) as unknown as number,
};

/** Compiles (or reuses) `path` (.c file, folder, or list of .c/.h files) and returns a submission ready to make instances. */
export async function loadCSubmission(path: string | readonly string[], options: LoadCOptions = {}): Promise<LoadedC> {
  const compiled = await compileC(path, options);
  return fromCompiled(options.spec ?? (typeof path === 'string' ? path : path.join(' ')), compiled, options, true);
}

/** wasi-libc's dlmalloc as a comparison allocator (its globals are not limited). */
export async function loadDlmalloc(options: LoadCOptions = {}): Promise<LoadedC> {
  return fromCompiled(options.spec ?? 'ref:dlmalloc', await compileDlmalloc(options), options, false);
}

export function fromCompiled(spec: string, compiled: CompiledC, options: LoadCOptions, limitStatics: boolean): LoadedC {
  const foreign = foreignImports(compiled.module);
  if (foreign.length > 0) {
    throw new LoadError(
      `${spec}: the compiled module imports ${foreign.map((i) => `"${i.module}"."${i.name}" (${i.kind})`).join(', ')}, which the kit does not provide. ` +
        'A C allocator gets only the kit\'s runtime (sbrk or mem_sbrk, printf, the string functions, assert): remove the import_module/import_name attribute or the declaration that needs it.',
    );
  }
  // As clang printed them: each already starts `file:line:col: warning:`.
  const notes = [...compiled.warnings];
  // Its string literals and constants as the module initialises them: off-heap-metadata compares memory against them.
  const readOnly = readOnlySegments(compiled.wasm);
  return {
    spec,
    language: 'c',
    compiled,
    notes,
    ...(limitStatics ? { staticData: compiled.staticData } : {}),
    instantiate: (o) => instantiate(spec, compiled, o, options, readOnly),
  };
}

/** `guarded`: the replay instance of store-guard.ts, whose stores trap outside the allowed memory (StoreOutside). */
function instantiate(spec: string, compiled: CompiledC, o: InstanceOptions, options: LoadCOptions, readOnly: readonly ReadOnlySegment[], guarded = false): AllocatorInstance {
  const heap = new WasmHeap(o.limit, o.seed, options.guardScanEvery ?? 64);
  const out = new OutputCapture(options.outputCap ?? DEFAULT_OUTPUT_CAP);
  const abi = compiled.model === 'lp64' ? ABI64 : ABI32;
  const str = (ptr: unknown): string => {
    const p = abi.n(ptr);
    const m = heap.bytes();
    let e = p >>> 0;
    while (e < m.length && m[e] !== 0 && e - p < 4096) e++;
    return new TextDecoder().decode(m.subarray(p >>> 0, e));
  };
  const imports = {
    heapgrade: {
      sbrk: (inc: unknown): number => {
        // intptr_t: signed in both models.
        const i = compiled.model === 'lp64' ? Number(BigInt.asIntN(64, inc as bigint)) : (inc as number);
        const old = heap.sbrk(i);
        bounds?.();
        return abi.w(old);
      },
      heap_lo: (): number => abi.w(heap.base),
      reset_brk: (): void => {
        heap.resetBrk();
        bounds?.();
      },
      write: (p: unknown, n: unknown): void => {
        const a = abi.n(p);
        out.write(heap.bytes().subarray(a, a + abi.n(n)));
      },
      assert_fail: (expr: unknown, file: unknown, line: number, func: unknown): never => {
        const loc = locateCaller(new Error().stack, compiled.lines);
        // assert() names its own file and line; the quote is that line (a header's assert too, when it is the student's).
        const quoted = compiled.lines?.text[`${str(file)}:${line}`];
        const source = quoted !== undefined ? `\n${quoteLine(line, quoted)}` : loc.source ? `\n${loc.source}` : '';
        throw new CRuntimeError('AssertionFailed', `assertion \`${str(expr)}\` failed at ${str(file)}:${line} in ${str(func)}()${source}`, loc.where ?? str(func));
      },
      abort: (kind: number, code: number): never => {
        const loc = locateCaller(new Error().stack, compiled.lines);
        const what = kind === 0 ? 'abort() was called' : `exit(${code}) was called`;
        throw new CRuntimeError(kind === 0 ? 'Abort' : 'Exit', `${what}${loc.where ? ` in ${loc.where}` : ''}${loc.source ? `\n${loc.source}` : ''}`, loc.where);
      },
    },
  };
  let bounds: (() => void) | undefined;
  const instance = new WebAssembly.Instance(compiled.module, imports);
  const ex = instance.exports as Record<string, unknown>;
  heap.attach(ex['memory'] as WebAssembly.Memory, abi.n((ex['__heap_base'] as WebAssembly.Global).value));
  const fault = guarded ? (ex[GUARD_EXPORTS.fault] as WebAssembly.Global) : undefined;
  if (guarded) {
    (ex[GUARD_EXPORTS.dataEnd] as WebAssembly.Global).value = abi.n((ex['__heap_base'] as WebAssembly.Global).value);
    (ex[GUARD_EXPORTS.base] as WebAssembly.Global).value = heap.base;
    fault!.value = -1;
    const brk = ex[GUARD_EXPORTS.brk] as WebAssembly.Global;
    bounds = () => void (brk.value = heap.brk);
    bounds();
  }
  const sp = ex['__stack_pointer'] as WebAssembly.Global;
  const stackTop = abi.n(sp.value);
  // The stack grows down from stackTop towards 0: an overflow wraps the pointer to a huge unsigned value.
  const stackOverflowed = (): boolean => abi.n(sp.value) > stackTop;
  const counter = ex[METER_EXPORT];
  const low = ex[STACK_LOW_EXPORT];
  if (!(counter instanceof WebAssembly.Global) || !(low instanceof WebAssembly.Global)) {
    throw new Error(`${spec}: the compiled module is not instrumented by the metering pass (a kit bug: stale cache entry?)`);
  }
  // The C code's own memory.grow fails past the memory the heap limit needs (the pass reads this global).
  const growLimit = ex[GROW_LIMIT_EXPORT];
  if (!(growLimit instanceof WebAssembly.Global)) throw new Error(`${spec}: the compiled module has no grow limit (a kit bug: stale cache entry?)`);
  growLimit.value = Math.ceil((heap.base + o.limit) / 65536);
  const meter = new WasmMeter(counter);
  // The replay only looks for the store: the original calls fitted their budget, the guard's checks are not charged.
  if (guarded) meter.setBudget({ c: MAX_C_BUDGET, ts: MAX_C_BUDGET });
  heap.meter = meter;
  // The pass tracks the lowest stack pointer of every call (an i64 global under memory64, like the
  // stack pointer): frames are zeroed after each call and the region is scanned in both models.
  const stack = new StackRegion(STACK_GUARD_BOTTOM, stackTop);

  // Every export call goes through here: the call's budget and stack mark before, its cost, the frames it left
  // and the guard areas after, its trap translated. Arguments by value, no closure: this runs on every operation.
  const call = (f: Fn, a: number, b: number): number => {
    let r: number;
    meter.begin();
    low.value = abi.w(stackTop);
    try {
      // Wasm reads as many arguments as the export has parameters: free(p) ignores b, mm_init both.
      r = f(a, b);
    } catch (e) {
      meter.end();
      if (fault !== undefined && fault.value !== -1) {
        const loc = locate((e as Error).stack, compiled.lines);
        throw new StoreOutside(fault.value >>> 0, loc.where, loc.source);
      }
      // The pass traps with `unreachable` when the counter runs out: that is a timeout, not the student's trap.
      const exceeded = meter.exceeded(e, (stack) => locate(stack, compiled.lines));
      if (exceeded) throw exceeded;
      throw translateTrap(e, heap, stackOverflowed, compiled.lines);
    } finally {
      // Frames are dead once the call is over: nothing of them may carry over to the next call.
      stack.clearFrames(heap.bytes(), abi.n(low.value));
    }
    // The guard scan after this call is the call's work when the allocator left memory past the break to scan.
    const over = heap.chargeFullScan() ? meter.exceeded(undefined) : null;
    meter.end();
    if (over) throw over;
    heap.afterCall();
    return r;
  };
  const fn = (name: string): Fn => {
    const f = ex[name];
    if (typeof f !== 'function') throw new LoadError(`${spec}: the compiled module has no export ${name} (a kit bug)`);
    return f as Fn;
  };
  const api = compiled.api;
  const ZERO = abi.w(0);
  let allocator: Allocator;
  if (api.style === 'malloclab') {
    const init = fn('mm_init');
    let r: number;
    try {
      r = call(init, ZERO, ZERO);
    } catch (e) {
      if (e instanceof StoreOutside) throw e;
      const msg = e instanceof Error ? e.message : String(e);
      throw new LoadError(`${spec}: mm_init failed: ${msg}${printed(out)}`, { cause: e });
    }
    const failed = api.init === 'bool' ? r === 0 : api.init === 'void' ? false : r < 0;
    if (failed) throw new LoadError(`${spec}: mm_init returned ${r} (failure)${printed(out)}`);
    allocator = wrap(call, abi, fn('mm_malloc'), fn('mm_free'), fn(api.calloc === 'own' ? 'mm_calloc' : 'hg_kit_calloc'), fn('mm_realloc'));
  } else {
    allocator = wrap(call, abi, fn('malloc'), fn('free'), fn('calloc'), fn('realloc'));
  }
  if (api.checkheap) {
    const check = fn('mm_checkheap');
    const kind = api.checkheap;
    allocator.check = (): string[] => {
      const before = out.take();
      const r = call(check, 0, 0);
      const said = out.take();
      if (before) out.write(new TextEncoder().encode(before));
      const lines = said.split('\n').map((l) => l.trim()).filter(Boolean);
      // bool/int checkers fail by returning 0 (false); a void checker fails by printing.
      const failed = kind === 'void' ? lines.length > 0 : r === 0;
      if (!failed) {
        if (said) out.write(new TextEncoder().encode(said));
        return [];
      }
      return lines.length > 0 ? lines : ['mm_checkheap(0) returned false'];
    };
  }
  // The guarded build that finds the line exists for wasm32 modules only (guardedCompile): under memory64 nothing is recorded.
  if (!guarded && compiled.model === 'ilp32') allocator = findingStores(allocator, heap, (calls) => storeOutside(spec, compiled, o, options, calls));
  return {
    heap,
    allocator,
    takeOutput: () => out.take(),
    stackLeftover: () => stack.leftover(heap.bytes()),
    readOnlyWritten: () => readOnlyWritten(heap.bytes(), readOnly),
  };
}

/**
 * The allocator, recording its calls (call-log.ts); when the heap's guard
 * scan finds a write after a call (no function, no line), the error thrown
 * names the store's function and line, found by replaying the calls on a
 * guarded build.
 */
function findingStores(allocator: Allocator, heap: WasmHeap, find: (calls: CallLog) => StoreOutside | null): Allocator {
  const calls = new CallLog();
  const withLine = (e: unknown): unknown => {
    if (!(e instanceof SegfaultError) || e.info.where !== undefined || heap.fault !== e.info) return e;
    const hit = find(calls);
    if (!hit?.where) return e;
    const info = { ...e.info, where: hit.where, ...(hit.source ? { source: hit.source } : {}) };
    heap.fault = info;
    return new SegfaultError(info);
  };
  // Fixed arities, no rest arguments: this wraps every call of every C instance.
  const { malloc, free, calloc, realloc, check } = allocator;
  const wrapped: Allocator = {
    malloc: (size) => {
      calls.push(MALLOC, 1, size, 0);
      try {
        return malloc(size);
      } catch (e) {
        throw withLine(e);
      }
    },
    free: (ptr) => {
      calls.push(FREE, 1, ptr, 0);
      try {
        free(ptr);
      } catch (e) {
        throw withLine(e);
      }
    },
    calloc: (count, size) => {
      calls.push(CALLOC, 2, count, size);
      try {
        return calloc(count, size);
      } catch (e) {
        throw withLine(e);
      }
    },
    realloc: (ptr, size) => {
      calls.push(REALLOC, 2, ptr, size);
      try {
        return realloc(ptr, size);
      } catch (e) {
        throw withLine(e);
      }
    },
  };
  if (check) {
    wrapped.check = () => {
      calls.push(CHECK, 0, 0, 0);
      try {
        return check();
      } catch (e) {
        throw withLine(e);
      }
    };
  }
  return wrapped;
}

/** An instance of the guarded build (store-guard.ts), its bounds kept by the heap: a store outside them throws StoreOutside. Null under memory64. */
export function guardedInstance(spec: string, compiled: CompiledC, o: InstanceOptions, options: LoadCOptions = {}): AllocatorInstance | null {
  const g = guardedCompile(compiled);
  return g ? instantiate(spec, g, o, options, readOnlySegments(compiled.wasm), true) : null;
}

/** Replays `calls` on the guarded build: the first store outside the allowed memory, or null. */
function storeOutside(spec: string, compiled: CompiledC, o: InstanceOptions, options: LoadCOptions, calls: CallLog): StoreOutside | null {
  try {
    const replay = guardedInstance(spec, compiled, o, options);
    if (!replay) return null;
    const a = replay.allocator;
    calls.replay((code, x, y) => {
      if (code === MALLOC) a.malloc(x);
      else if (code === FREE) a.free(x);
      else if (code === CALLOC) a.calloc(x, y);
      else if (code === REALLOC) a.realloc(x, y);
      else a.check?.();
    });
  } catch (e) {
    if (e instanceof StoreOutside) return e;
  }
  return null;
}

/** The NULL page below this is the heap's guard area; the stack region checked for leftovers starts here. */
const STACK_GUARD_BOTTOM = 4096;

function wrap(call: (f: Fn, a: number, b: number) => number, abi: Abi, malloc: Fn, free: Fn, calloc: Fn, realloc: Fn): Allocator {
  // wasm32: size_t arguments above 2**31 wrap to negative i32 in JS->wasm, which C reads back as the same unsigned value.
  const { n, w } = abi;
  const zero = w(0);
  return {
    malloc: (size) => n(call(malloc, w(size), zero)),
    free: (ptr) => {
      call(free, w(ptr), zero);
    },
    calloc: (count, size) => n(call(calloc, w(count), w(size))),
    realloc: (ptr, size) => n(call(realloc, w(ptr), w(size))),
  };
}

function printed(out: OutputCapture): string {
  const s = out.take();
  return s ? `\nIt printed:\n${s}` : '';
}
