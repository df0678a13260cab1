/**
 * Runs one correctness check on a loaded submission, in whatever thread the
 * caller is in (the worker, under a watchdog). Returns plain data.
 */
import { whereThrown } from '../checker/checker.ts';
import { resolveProfile } from '../profiles/resolve.ts';
import { CONTINUABLE_KINDS, resolveCheckerOptions, type CheckerOptions } from '../checker/options.ts';
import { RULE_OWNER } from '../report/one-charge.ts';
import type { Violation } from '../checker/violation.ts';
import type { AllocatorInstance, LoadedSubmission } from '../contract/instance.ts';
import type { ReadOnlyWrite, StackLeftover } from '../contract/instance.ts';
import { SegfaultError } from '../heap/segfault.ts';
import { BudgetExceededError } from '../meter/budget.ts';
import { measureOffHeap, OFF_HEAP_BYTES_PER_BLOCK, OFF_HEAP_MEASUREMENTS } from '../offheap/measure.ts';
import { OFF_HEAP_LEDGER } from '../offheap/ledger.ts';
import { TABLE_HINT, tablesViolation } from '../report/off-heap-findings.ts';
import { RETAINED_BASE_BYTES, RETAINED_BYTES_PER_SOURCE_BYTE, retainedAtStart } from '../offheap/retained.ts';
import type { CheckResult } from '../report/types.ts';
import type { Op } from '../trace/types.ts';
import { LoadError } from '../util/errors.ts';
import { propertyCheckResult } from '../property/save.ts';
import { searchForFailure } from '../property/search.ts';
import { DEFAULT_PROPERTY_SEARCH } from '../property/defaults.ts';
import { EXACT_SWEEP_MAX_OPS } from './sweep.ts';
import type { CorrectnessCheck } from '../checker/check.ts';
import { replayChecked } from '../replay/replay.ts';
import { normalizeRepro, shrinkTrace } from '../replay/shrink.ts';
import { buildCheckOps, checkSeed } from './check-ops.ts';

export { buildCheckOps, checkSeed };


export interface CheckRunOptions {
  seed: number;
  limit: number;
  checker: CheckerOptions;
  /** Milliseconds to spend shrinking a failing trace. @default 3000 */
  shrinkMs?: number;
  progress?: Int32Array;
  /** Bytes of static data a C submission may have (CMU allows 128). */
  staticDataLimit?: number;
  /** C only: the course profile (name or profile file); its staticDataRule decides the global-data rule. */
  profile?: string;
  /** Runs, metered steps and the wall-clock backstop of the property-based search (the configuration's `property`). */
  propertyMs?: number;
  propertyRuns?: number;
  propertySteps?: number;
  /** Called with the unshrunk failure before shrinking starts, so a hang while shrinking loses nothing. */
  onFailure?: (result: CheckResult) => void;
}

export function runCheck(loaded: LoadedSubmission, check: CorrectnessCheck, options: CheckRunOptions): CheckResult {
  const started = Date.now();
  const base: CheckResult = {
    name: check.name,
    description: check.description,
    points: 0,
    maxPoints: check.points,
    status: 'pass',
    violations: [],
    ops: 0,
    durationMs: 0,
    seed: options.seed,
  };
  // The ledger's finding is per thread: what an earlier check's instances made is not this one's.
  OFF_HEAP_LEDGER.takeFinding();
  const result =
    check.type === 'off-heap'
      ? runOffHeap(loaded, check, options, base)
      : check.type === 'property'
        ? runProperty(loaded, options, base)
        : runTrace(loaded, check, options, base);
  // Tables any of its instances made outside the heap, in any call: the off-heap-metadata verdict's (report/off-heap-findings.ts).
  const tables = OFF_HEAP_LEDGER.takeFinding();
  if (tables) result.offHeap = tables;
  if (result.status === 'pass') result.points = check.points;
  if (loaded.loadOutput) result.output = result.output ? `${loaded.loadOutput}\n${result.output}` : loaded.loadOutput;
  result.durationMs = Date.now() - started;
  return result;
}

function runTrace(loaded: LoadedSubmission, check: CorrectnessCheck, options: CheckRunOptions, result: CheckResult): CheckResult {
  // A continuable rule with a check of its own (RULE_OWNER) costs points there only; here it is not stopped at,
  // and this check goes on to the end of its trace under its own rules.
  const tolerate = CONTINUABLE_KINDS.filter((k) => RULE_OWNER[k] !== check.name);
  // This replaces the configuration's tolerance: under a handout that sets no alignment (CS 341) every check but
  // `alignment` tolerates misaligned pointers anyway, and `alignment` looks, reported beyond the handout.
  // A complaint of the allocator's own check() is informative: noted once, the check goes on under its rules.
  const checker = resolveCheckerOptions({ ...options.checker, ...check.checker, tolerate, noteHeapCheck: true });
  const limit = check.limit ?? options.limit;
  const seed = checkSeed(options.seed, check);
  const ops = buildCheckOps(check, options);
  result.ops = ops.length;
  const run = (trace: readonly Op[], extra: Partial<CheckerOptions> = {}) => {
    const instance = loaded.instantiate({ seed, limit });
    const r = replayChecked(instance, trace, { checker: { ...checker, ...extra }, progress: options.progress });
    const output = instance.takeOutput?.();
    return { ...r, output };
  };
  const first = run(ops);
  if (first.output) result.output = first.output;
  if (first.heapCheck) result.heapCheck = first.heapCheck;
  let v = first.violation;
  if (!v) return result;
  result.status = 'fail';
  result.snapshot = first.snapshot;
  result.violations = [v];
  options.onFailure?.(structuredClone(result));
  const foundAt = v.op;
  if (v.kind === 'payload-corrupted' && v.blockId !== undefined) {
    // Noticed in a sweep or a free, long after the bad write: replay once
    // watching only that block to find the operation that wrote into it.
    const watched = run(ops.slice(0, v.op + 1), { watchBlock: v.blockId });
    if (watched.violation?.kind === v.kind) v = watched.violation;
  }
  // Shrink the prefix that fails down to the fewest calls that still break the same rule.
  const prefix = ops.slice(0, Math.min(ops.length, v.op + 1));
  const deadline = Date.now() + (options.shrinkMs ?? 3000);
  let minimal = prefix;
  let complete = false;
  try {
    const shrunk = shrinkTrace(prefix, {
      kind: v.kind,
      deadline,
      ids: involvedIds(v, prefix[prefix.length - 1]),
      run: (cand) => {
        try {
          return run(cand).violation?.kind ?? null;
        } catch {
          return null; // a candidate that cannot even instantiate does not reproduce
        }
      },
    });
    minimal = shrunk.ops;
    complete = shrunk.complete;
  } catch {
    minimal = prefix;
  }
  minimal = normalizeRepro(minimal);
  // Replay the minimal trace verifying every block after every op, so a
  // corrupted payload is attributed to the exact operation that broke it
  // (only for short traces: the cost is ops x live blocks).
  const exact = minimal.length <= EXACT_SWEEP_MAX_OPS ? run(minimal, { sweepEvery: 1 }) : undefined;
  const final = exact?.violation?.kind === v.kind ? exact : run(minimal);
  if (final.violation?.kind === v.kind) {
    // Ops are numbered within the repro the student replays; foundAt keeps the index in the check's own trace.
    result.violations = [{ ...final.violation, repro: minimal, foundAt, shrink: complete ? 'minimal' : 'out-of-time' }];
    result.snapshot = final.snapshot;
    // What the student's prints said while the repro ran: the addresses in it match the calls shown.
    if (final.output) {
      result.output = final.output;
      result.outputOfRepro = true;
    } else delete result.output;
  } else {
    result.violations = [{ ...v, repro: prefix, foundAt, shrink: 'out-of-time' }];
  }
  return result;
}

function runProperty(loaded: LoadedSubmission, options: CheckRunOptions, base: CheckResult): CheckResult {
  const started = Date.now();
  const r = searchForFailure(loaded, {
    seed: options.seed,
    timeLimitMs: options.propertyMs ?? DEFAULT_PROPERTY_SEARCH.timeLimitMs,
    numRuns: options.propertyRuns ?? DEFAULT_PROPERTY_SEARCH.numRuns,
    stepBudget: options.propertySteps ?? DEFAULT_PROPERTY_SEARCH.stepBudget,
    // check()'s complaints are informative (noted by the trace checks), never a failure the search hunts for.
    checker: { ...options.checker, noteHeapCheck: true },
    limit: options.limit,
    progress: options.progress,
  });
  const res = propertyCheckResult(r, Date.now() - started, undefined, base.maxPoints);
  return { ...res, description: base.description, seed: options.seed };
}

function runOffHeap(loaded: LoadedSubmission, check: CorrectnessCheck, options: CheckRunOptions, result: CheckResult): CheckResult {
  if (loaded.language === 'c') {
    const stat = loaded.staticData;
    const allowed = options.staticDataLimit ?? 128;
    // The 2002 handout: no compound globals at all, whatever their size.
    const compound = options.profile !== undefined && resolveProfile(options.profile, []).profile.staticDataRule === 'no-compound' ? (stat?.symbols ?? []).filter((s) => s.compound) : [];
    if (compound.length > 0) {
      result.status = 'fail';
      result.violations = [
        {
          kind: 'off-heap-metadata',
          op: -1,
          size: compound.reduce((n, s) => n + s.bytes, 0),
          message: `global or static compound data, which this handout forbids at any size: ${compound.map((s) => `${s.name} (${s.bytes} B)`).join(', ')}`,
          hint: 'The 2002 handout allows global scalars only (integers, pointers): keep arrays and structs, such as free-list heads, inside the heap (set them up in mm_init).',
        },
      ];
      return result;
    }
    if (stat && stat.bytes > allowed) {
      const biggest = [...stat.symbols].sort((a, b) => b.bytes - a.bytes).slice(0, 5);
      result.status = 'fail';
      result.violations = [
        {
          kind: 'off-heap-metadata',
          op: -1,
          size: stat.bytes,
          message:
            `the module has ${stat.bytes} bytes of global (static) data, more than the ${allowed} allowed` +
            (biggest.length ? `; biggest: ${biggest.map((s) => `${s.name} (${s.bytes} B)`).join(', ')}` : ''),
          hint: 'Keep per-block bookkeeping inside the heap (headers, footers, free-list links); globals are for a few list heads only.',
        },
      ];
      return result;
    }
    return runStackRegion(loaded, check, options, result);
  }
  try {
    const measure = (again: boolean) =>
      measureOffHeap(again ? (loaded.reloadable?.reload() ?? loaded) : loaded, { seed: checkSeed(options.seed, check), limit: options.limit, progress: options.progress });
    let m = measure(false);
    // Real per-block state grows every time; JIT and GC noise does not repeat the same way. Measure again while it
    // still looks suspect, keeping the smaller growth: on a module evaluated afresh (TypeScript in a compartment), since
    // a table kept at module level is full size when a second measurement of the same module starts and grows no more
    // (red team 7's 'grow': 6.6 MB the first time, 0 the second).
    for (let n = 1; n < OFF_HEAP_MEASUREMENTS && Math.max(m.bytesPerLiveBlock, m.bytesPerFreedBlock) > OFF_HEAP_BYTES_PER_BLOCK; n++) {
      const again = measure(true);
      m = {
        ...again,
        bytesPerLiveBlock: Math.min(m.bytesPerLiveBlock, again.bytesPerLiveBlock),
        bytesPerFreedBlock: Math.min(m.bytesPerFreedBlock, again.bytesPerFreedBlock),
      };
    }
    result.ops = m.reached * 2;
    const worst = Math.max(m.bytesPerLiveBlock, m.bytesPerFreedBlock);
    if (worst > OFF_HEAP_BYTES_PER_BLOCK) {
      const live = m.bytesPerLiveBlock > OFF_HEAP_BYTES_PER_BLOCK;
      result.status = 'fail';
      result.violations = [
        {
          kind: 'off-heap-metadata',
          op: -1,
          message:
            `the allocator's own JavaScript memory grew by about ${worst.toFixed(1)} bytes per ${live ? 'live' : 'freed'} block ` +
            `as ${live ? `live blocks went from ${m.liveBlocksFrom} to ${m.reached}` : `${m.reached >> 1} blocks were freed`} ` +
            `(at most ${OFF_HEAP_BYTES_PER_BLOCK} allowed)`,
          hint: 'Per-block bookkeeping (sizes, free lists, maps from pointer to block) belongs in the heap: store headers and links with store32 and read them with load32.',
        },
      ];
    } else {
      // Nothing grew; what a fresh module keeps from the start, its tables counted exactly, then all it retains (after the measurement, which it must not disturb).
      const tables = keptFromStart(loaded, check, options);
      if (tables) {
        result.status = 'fail';
        result.violations = [tables];
      }
    }
  } catch (e) {
    if (e instanceof LoadError) throw e;
    result.status = 'fail';
    result.violations = [e instanceof BudgetExceededError ? offHeapBudgetViolation(e, options.progress?.[0]) : exceptionViolation(e)];
  }
  return result;
}

/**
 * TypeScript: what a fresh module keeps from the start (offheap/retained.ts):
 * the typed arrays, arrays, objects and collections it made at load, in
 * createAllocator and in its first calls, counted exactly by the ledger,
 * beyond the ledger's allowance; else all the JavaScript memory it retains,
 * beyond what a module of its size needs. null within both (and for C).
 */
function keptFromStart(loaded: LoadedSubmission, check: CorrectnessCheck, options: CheckRunOptions): Violation | null {
  const start = retainedAtStart(loaded, { seed: checkSeed(options.seed, check), limit: options.limit });
  if (!start) return null;
  if (start.tables) return tablesViolation(start.tables);
  if (start.bytes <= start.allowed) return null;
  const kib = (n: number): string => `${Math.round(n / 1024)} KiB`;
  return {
    kind: 'off-heap-metadata',
    op: -1,
    size: start.bytes,
    message:
      `loaded afresh, with an allocator made and its first ${start.calls} calls run, the module keeps ${kib(start.bytes)} of JavaScript memory ` +
      `(after garbage collection, compiled code left out), more than the ${kib(start.allowed)} a module of its size needs ` +
      `(${kib(RETAINED_BASE_BYTES)} plus ${RETAINED_BYTES_PER_SOURCE_BYTE} bytes per byte of its bundled source): tables kept outside the heap`,
    hint: TABLE_HINT,
  };
}

/** A call that ran out of its budget while off-heap-metadata grew the heap: says which check and how far it got, as the watchdog would. */
function offHeapBudgetViolation(e: BudgetExceededError, cell: number | undefined): Violation {
  const when = cell !== undefined && cell >= 0 ? `with ${cell} live blocks` : 'while warming up';
  return {
    kind: 'timeout',
    op: -1,
    message: `while the kit measured its JavaScript memory (off-heap-metadata, ${when}), a malloc or free ${e.message}`,
    hint: 'An endless loop: a free list that became circular (a block inserted twice), a walk that never advances because a block size is 0, or a search that restarts forever.',
  };
}

/**
 * C: data kept where the heap is not, between calls: in the shadow-stack
 * region (a side table below the frames) or in the module's string literals
 * and constants (WebAssembly memory has no read-only part). Frames are
 * zeroed after every call (harness/wasm/load.ts), so any byte left in the
 * region is the allocator's; the read-only data is compared with what the
 * module initialised it to (harness/wasm/read-only.ts). Deterministic: a
 * fixed sequence of calls, both looked at at fixed points.
 */
function runStackRegion(loaded: LoadedSubmission, check: CorrectnessCheck, options: CheckRunOptions, result: CheckResult): CheckResult {
  try {
    const instance = loaded.instantiate({ seed: checkSeed(options.seed, check), limit: options.limit });
    instance.heap.meter?.setBudget(options.checker.stepBudget);
    const found = scanWhileAllocating(instance, options.progress);
    result.ops = found.ops;
    const calls = `after ${found.op + 1} calls`;
    if (found.written) {
      const w = found.written;
      result.status = 'fail';
      result.violations = [
        {
          kind: 'off-heap-metadata',
          op: found.op,
          address: w.address,
          size: w.bytes,
          message:
            `${calls}, ${w.bytes} bytes of the module's string literals and constants (${w.segment}) were written, ` +
            `first at 0x${w.address.toString(16)} in the literal "${w.was}": a table kept outside the heap`,
          hint: 'A string literal is not yours to write (in C it is undefined behaviour; WebAssembly only fails to stop it): keep per-block bookkeeping in the heap, and literals for reading.',
        },
      ];
    } else if (found.leftover) {
      result.status = 'fail';
      result.violations = [
        {
          kind: 'off-heap-metadata',
          op: found.op,
          address: found.leftover.address,
          size: found.leftover.bytes,
          message:
            `${calls}, ${found.leftover.bytes} bytes of data stay in the C stack region between calls ` +
            `(first at 0x${found.leftover.address.toString(16)}): a table kept outside the heap`,
          hint: 'Per-block bookkeeping belongs in the heap (headers, footers, free-list links): memory below the stack frames is not yours to keep between calls.',
        },
      ];
    }
  } catch (e) {
    if (e instanceof LoadError) throw e;
    result.status = 'fail';
    result.violations = [exceptionViolation(e)];
  }
  return result;
}

/** Scans of the stack region and the read-only data: every this many calls, and after the last. */
const STACK_SCAN_EVERY = 16;
const STACK_SCAN_BLOCKS = 1024;

interface RegionFinding {
  ops: number;
  op: number;
  leftover: StackLeftover | null;
  written: ReadOnlyWrite | null;
}

function scanWhileAllocating(instance: AllocatorInstance, progress?: Int32Array): RegionFinding {
  const { allocator } = instance;
  const sizes = [16, 24, 8, 40, 16, 32, 8, 24];
  const ptrs: number[] = [];
  let op = 0;
  const scan = (ops: number, at: number): RegionFinding | null => {
    const leftover = instance.stackLeftover?.() ?? null;
    const written = instance.readOnlyWritten?.() ?? null;
    return leftover || written ? { ops, op: at, leftover, written } : null;
  };
  for (; op < STACK_SCAN_BLOCKS * 2; op++) {
    if (progress) progress[0] = op;
    instance.heap.currentOp = op;
    if (op < STACK_SCAN_BLOCKS) {
      const p = allocator.malloc(sizes[op & 7]!);
      if (p !== 0) ptrs.push(p);
    } else if ((op & 1) === 0) allocator.free(ptrs[op - STACK_SCAN_BLOCKS] ?? 0);
    else {
      const i = op - STACK_SCAN_BLOCKS;
      const p = ptrs[i];
      if (p) ptrs[i] = allocator.realloc(p, 48) || p;
    }
    if (op % STACK_SCAN_EVERY === STACK_SCAN_EVERY - 1) {
      const found = scan(op + 1, op);
      if (found) return found;
    }
  }
  return scan(op, op - 1) ?? { ops: op, op: op - 1, leftover: null, written: null };
}

function exceptionViolation(e: unknown): Violation {
  if (e instanceof BudgetExceededError) return { kind: 'timeout', op: -1, message: `while measuring off-heap memory, a call ${e.message}` };
  const err = e instanceof Error ? e : new Error(String(e));
  const where = whereThrown(err);
  if (e instanceof SegfaultError) {
    const at = !e.info.where && where ? ` in ${where}` : '';
    return { kind: 'segfault', op: -1, address: e.info.address, message: `while measuring off-heap memory: ${e.message}${at}` };
  }
  return { kind: 'threw', op: -1, message: `while measuring off-heap memory the allocator threw ${err.name}: ${err.message}${where ? ` (at ${where})` : ''}` };
}

function involvedIds(v: Violation, last: Op | undefined): number[] {
  const ids: number[] = [];
  if (last && last.id >= 0) ids.push(last.id);
  if (v.blockId !== undefined) ids.push(v.blockId);
  if (v.other) ids.push(v.other.blockId);
  return ids;
}
