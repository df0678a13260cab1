/**
 * `heapgrade test`: runs the correctness suite on a submission. Checks run in
 * worker threads (at most one per core) because a student's infinite loop is
 * synchronous: only terminating the thread stops it. A watchdog reads the op
 * index each worker publishes; a call that makes no progress within the
 * limit becomes a `timeout` violation at that op, and the remaining checks go
 * on in a fresh worker.
 */
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { startKitWorker } from '../util/kit-entry.ts';
import { resolveCheckerOptions, type CheckerOptions } from '../checker/options.ts';
import type { Violation } from '../checker/violation.ts';
import { DEFAULT_HEAP_LIMIT } from '../heap/sim-heap.ts';
import { RESULT_VERSION, type CheckResult, type TestReport } from '../report/types.ts';
import { CHECKS, findCheck } from '../../suites/correctness/index.ts';
import { UsageError } from '../util/errors.ts';
import type { FromWorker, ToWorker, WorkerInit } from './protocol.ts';
import { saveRepros } from './repro-files.ts';
import { callTimeoutViolation, checkTimeoutViolation, LOAD_TIMEOUT_MS } from './timeouts.ts';
import { buildCheckOps, checkSeed } from './check-runner.ts';
import { dispatchOrder } from './dispatch-order.ts';
import type { CorrectnessCheck } from '../../suites/correctness/check.ts';
import type { Op } from '../trace/types.ts';

export interface TestOptions {
  checker?: Partial<CheckerOptions>;
  /** Heap limit in bytes. @default 64 MiB */
  limit?: number;
  /** A call that makes no progress for this long is a timeout. @default 2000 */
  callTimeoutMs?: number;
  /** A whole check may take at most this long. @default 60000 */
  checkTimeoutMs?: number;
  /** @default 1 */
  seed?: number;
  /** Names of the checks to run (default: all). */
  checks?: string[];
  /** Points per check name, overriding the defaults. */
  points?: Record<string, number>;
  /** Worker threads. @default min(cores, 2) */
  jobs?: number;
  shrinkMs?: number;
  /** Time and runs for the property-based search. @default 3000 ms, 1000 runs */
  propertyMs?: number;
  propertyRuns?: number;
  staticDataLimit?: number;
  compiler?: string;
  /** Save each failure's minimal trace as <reproDir>/<check>.rep and attach a replay command. */
  reproDir?: string;
  /** Called as each check finishes (for progress output). */
  onResult?: (result: CheckResult) => void;
  /** Called about every 50 ms with what runs (for a progress line). */
  onProgress?: (progress: RunProgress) => void;
  /** C only: the course profile the submission is compiled for (a name or a profile file). @default 'heapgrade' */
  profile?: string;
  /** Checks the profile's handout does not require, with why: reported as beyond the handout, never failed. */
  beyond?: Record<string, string>;
}

/** What the workers are doing, for a progress line: plain data, the reporter words it. */
export interface RunProgress {
  /** No worker has loaded the submission yet (a C first run compiles here). */
  loading: boolean;
  /** Checks in flight: `op` is the call reached (or, in off-heap-metadata, the live blocks), `ops` the calls in the check's trace (0 when it has none). */
  running: { name: string; op: number; ops: number; shrinking: boolean }[];
  done: number;
  total: number;
}

const OUTPUT_CAP = 4096;

export async function runTests(spec: string, options: TestOptions = {}): Promise<TestReport> {
  const started = Date.now();
  const names = options.checks ?? CHECKS.map((c) => c.name);
  for (const n of names) {
    if (!findCheck(n)) throw new UsageError(`unknown check "${n}". Checks: ${CHECKS.map((c) => c.name).join(', ')}`);
  }
  const init: Omit<WorkerInit, 'progress'> = {
    spec,
    options: {
      seed: options.seed ?? 1,
      limit: options.limit ?? DEFAULT_HEAP_LIMIT,
      checker: resolveCheckerOptions(options.checker),
      shrinkMs: options.shrinkMs ?? 3000,
      propertyMs: options.propertyMs ?? 3000,
      propertyRuns: options.propertyRuns ?? 1000,
      staticDataLimit: options.staticDataLimit ?? 128,
      compiler: options.compiler,
      profile: options.profile,
    },
  };
  const results: (CheckResult | undefined)[] = Array.from({ length: names.length }, () => undefined);
  const pool = new Pool(init, names, results, options);
  const outcome = await pool.run();
  const notes = pool.notes ? { notes: pool.notes } : {};
  const checks = results.map((r, i) => {
    const res = r ?? errorResult(names[i]!, 'the check did not run');
    const pts = options.points?.[res.name];
    if (pts !== undefined) {
      res.maxPoints = pts;
      res.points = res.status === 'pass' ? pts : 0;
    }
    const why = options.beyond?.[res.name];
    return why === undefined || res.status === 'error' ? res : beyondHandout(res, why);
  });
  if (options.reproDir && !outcome.loadError) {
    for (const c of checks) {
      const check = findCheck(c.name);
      // The check ran on a heap seeded from the run's seed and its own name; the replay must use the same heap.
      const heapSeed = check?.type === 'trace' ? checkSeed(init.options.seed, check) : init.options.seed;
      const flags = replayFlags(check?.limit ?? options.limit, init.options.checker, heapSeed);
      saveRepros([c], spec, options.reproDir, flags);
    }
  }
  if (outcome.loadError) {
    return { version: RESULT_VERSION, submission: spec, status: 'fail', checks: [], error: outcome.loadError, ...notes, durationMs: Date.now() - started };
  }
  const status = checks.some((c) => c.status === 'error') ? 'error' : checks.some((c) => c.status === 'fail') ? 'fail' : 'pass';
  return { version: RESULT_VERSION, submission: spec, status, checks, ...notes, durationMs: Date.now() - started };
}

/** The flags that make `heapgrade trace` replay under the same conditions as the check. */
function replayFlags(limit: number | undefined, checker: CheckerOptions, seed: number): string[] {
  const flags: string[] = [];
  if (limit !== undefined && limit !== DEFAULT_HEAP_LIMIT) flags.push(`--limit ${limit}`);
  if (checker.alignment !== 16) flags.push(`--alignment ${checker.alignment}`);
  if (checker.malloc0 !== 'any') flags.push(`--malloc0 ${checker.malloc0}`);
  if (checker.realloc0 !== 'any') flags.push(`--realloc0 ${checker.realloc0}`);
  if (checker.checkHeap) flags.push('--check-heap');
  if (seed !== 1) flags.push(`--seed ${seed}`);
  return flags;
}

/** A check the handout does not require: 0 points, never a failure, what it found kept as data. */
export function beyondHandout(res: CheckResult, why: string): CheckResult {
  return { ...res, points: 0, maxPoints: 0, status: 'pass', observed: res.status, required: false, beyondHandout: true, beyondReason: why };
}

function errorResult(name: string, message: string): CheckResult {
  const check = findCheck(name);
  return {
    name,
    description: check?.description ?? '',
    points: 0,
    maxPoints: check?.points ?? 0,
    status: 'error',
    violations: [],
    ops: 0,
    durationMs: 0,
    error: message,
  };
}

interface Slot {
  worker: Worker;
  progress: Int32Array;
  /** Check index running, or -1. */
  busy: number;
  lastOp: number;
  lastChange: number;
  checkStart: number;
  output: string;
  provisional?: CheckResult;
  ended: boolean;
  /** The submission loaded in this worker. */
  ready: boolean;
  started: number;
  /** The worker's printed-bytes count (progress[1]) when the op index last moved. */
  printedAtOp: number;
}

class Pool {
  private next = 0;
  /** Check indexes in the order they start (see dispatch-order.ts). */
  private order: number[] = [];
  private loadError: string | undefined;
  notes: string[] | undefined;
  private slots = new Set<Slot>();
  private resolve!: (v: { loadError?: string }) => void;
  private watchdog?: NodeJS.Timeout;
  private readonly callTimeout: number;
  private readonly checkTimeout: number;

  constructor(
    private readonly init: Omit<WorkerInit, 'progress'>,
    private readonly names: string[],
    private readonly results: (CheckResult | undefined)[],
    private readonly options: TestOptions,
  ) {
    this.callTimeout = options.callTimeoutMs ?? 2000;
    this.checkTimeout = options.checkTimeoutMs ?? 60_000;
  }

  run(): Promise<{ loadError?: string }> {
    return new Promise((resolve) => {
      this.resolve = resolve;
      const wanted = this.options.jobs ?? Math.min(2, availableParallelism());
      const jobs = Math.max(1, Math.min(Number.isFinite(wanted) ? Math.floor(wanted) : 1, this.names.length));
      this.order = dispatchOrder(this.names, jobs);
      for (let k = 0; k < jobs; k++) this.spawn();
      this.watchdog = setInterval(() => this.watch(), 50);
    });
  }

  private spawn(): void {
    const sab = new SharedArrayBuffer(8);
    const worker = startKitWorker(new URL('./worker.ts', import.meta.url), {
      workerData: { ...this.init, progress: sab } satisfies WorkerInit,
      stdout: true,
      stderr: true,
      resourceLimits: { maxOldGenerationSizeMb: 2048 },
    });
    const slot: Slot = { worker, progress: new Int32Array(sab), busy: -1, lastOp: -1, lastChange: Date.now(), checkStart: 0, output: '', ended: false, ready: false, started: Date.now(), printedAtOp: 0 };
    this.slots.add(slot);
    const capture = (chunk: Buffer): void => {
      if (slot.output.length < OUTPUT_CAP) slot.output += chunk.toString('utf8');
    };
    worker.stdout.on('data', capture);
    worker.stderr.on('data', capture);
    worker.on('message', (m: FromWorker) => this.onMessage(slot, m));
    worker.on('error', (e) => this.onDeath(slot, e));
    worker.on('exit', () => this.onDeath(slot, null));
  }

  private onMessage(slot: Slot, m: FromWorker): void {
    if (slot.ended) return; // killed by the watchdog; a message already on its way is stale
    switch (m.type) {
      case 'ready':
        slot.ready = true;
        if (m.notes?.length) this.notes ??= m.notes; // every worker compiles the same code: keep one copy
        this.dispatch(slot);
        return;
      case 'load-error':
        this.loadError ??= m.message;
        this.next = this.names.length; // nothing more to run
        this.retire(slot);
        return;
      case 'provisional':
        slot.provisional = m.result;
        return;
      case 'result':
        this.finishCheck(slot, m.index, m.result);
        this.dispatch(slot);
        return;
      case 'kit-error':
        this.finishCheck(slot, m.index, errorResult(this.names[m.index]!, m.message));
        this.dispatch(slot);
        return;
    }
  }

  private finishCheck(slot: Slot, index: number, result: CheckResult): void {
    const output = slot.output.trim();
    if (output) {
      // The thread's own stdout covers every run of the check, shrinking included: no longer the repro's alone.
      delete result.outputOfRepro;
      const joined = result.output ? `${result.output}\n${output}` : output;
      result.output = joined.length > OUTPUT_CAP ? `${joined.slice(0, OUTPUT_CAP)}\n[output truncated at ${OUTPUT_CAP} characters]` : joined;
    }
    slot.output = '';
    slot.busy = -1;
    slot.provisional = undefined;
    this.results[index] = result;
    this.options.onResult?.(result);
  }

  private dispatch(slot: Slot): void {
    if (this.next >= this.names.length) {
      this.retire(slot);
      return;
    }
    const index = this.order[this.next++]!;
    slot.busy = index;
    slot.lastOp = -1;
    slot.lastChange = Date.now();
    slot.checkStart = Date.now();
    slot.worker.postMessage({ type: 'run', index, check: this.names[index]! } satisfies ToWorker);
  }

  private watch(): void {
    const now = Date.now();
    if (this.options.onProgress) this.options.onProgress(this.progressNow());
    for (const slot of this.slots) {
      if (!slot.ready && !slot.ended && now - slot.started > LOAD_TIMEOUT_MS) {
        // A top-level endless loop in the module: loading never finishes.
        this.loadError ??= `${this.init.spec}: loading the submission did not finish within ${LOAD_TIMEOUT_MS / 1000} s (an endless loop at the top level of the module?)`;
        this.next = this.names.length;
        this.retire(slot);
        continue;
      }
      if (slot.busy < 0 || slot.ended) continue;
      const op = slot.progress[0]!;
      if (op !== slot.lastOp) {
        slot.lastOp = op;
        slot.lastChange = now;
        slot.printedAtOp = slot.progress[1]!;
      }
      const stalled = now - slot.lastChange > this.callTimeout;
      const tooLong = now - slot.checkStart > this.checkTimeout;
      if (stalled || tooLong) this.kill(slot, stalled ? 'call' : 'check', op);
    }
  }

  private readonly opsOf = new Map<string, number>();

  private progressNow(): RunProgress {
    const slots = [...this.slots].filter((x) => !x.ended);
    const running = slots
      .filter((x) => x.busy >= 0)
      .map((x) => {
        const name = this.names[x.busy]!;
        if (!this.opsOf.has(name)) this.opsOf.set(name, buildCheckOps(findCheck(name)!, { ...this.init.options }).length);
        return { name, op: x.progress[0]!, ops: this.opsOf.get(name)!, shrinking: x.provisional !== undefined };
      });
    return { loading: !slots.some((x) => x.ready), running, done: this.results.filter(Boolean).length, total: this.names.length };
  }

  private kill(slot: Slot, why: 'call' | 'check', op: number): void {
    const index = slot.busy;
    const name = this.names[index]!;
    const check = findCheck(name)!;
    // A failure found before the hang (the hang came while shrinking) is the real result.
    const result: CheckResult = slot.provisional ?? {
      name,
      description: check.description,
      points: 0,
      maxPoints: check.points,
      status: 'fail',
      violations: [
        {
          ...(why === 'call'
            ? callTimeoutViolation(op, this.callTimeout, { printedBytes: slot.progress[1]! - slot.printedAtOp, offHeap: check.type === 'off-heap' })
            : checkTimeoutViolation(op, this.checkTimeout)),
          ...this.timeoutRepro(check, op),
        },
      ],
      ops: 0,
      durationMs: Date.now() - slot.checkStart,
      seed: this.init.options.seed,
    };
    this.finishCheck(slot, index, result);
    if (this.next < this.names.length) this.spawn(); // before retiring, so the pool never looks finished
    this.retire(slot);
  }

  /** The calls up to the one that hung: replaying them shows the hang (it cannot be shrunk without hanging). */
  private timeoutRepro(check: CorrectnessCheck, op: number): Pick<Violation, 'repro' | 'foundAt' | 'shrink'> {
    if (check.type !== 'trace' || op < 0) return {};
    const ops = buildCheckOps(check, { ...this.init.options });
    return op < ops.length ? { repro: ops.slice(0, op + 1), foundAt: op, shrink: 'not-shrunk' } : {};
  }

  private onDeath(slot: Slot, error: Error | null): void {
    if (slot.ended) return;
    slot.ended = true;
    this.slots.delete(slot);
    if (!slot.ready && !this.loadError) {
      // Died while loading the submission (process.exit or a crash at import
      // time): a load failure, not a reason to start another worker forever.
      const why = error ? `${error.name}: ${error.message}` : 'the thread exited (does the module call process.exit?)';
      this.loadError = `${this.init.spec}: loading the submission ended its thread: ${why}`;
      this.next = this.names.length;
    }
    if (slot.busy >= 0) {
      const index = slot.busy;
      const name = this.names[index]!;
      const oom = (error as { code?: string } | null)?.code === 'ERR_WORKER_OUT_OF_MEMORY';
      const result: CheckResult = slot.provisional ?? {
        ...errorResult(name, ''),
        status: 'fail',
        error: undefined,
        violations: [
          {
            kind: 'threw',
            op: slot.progress[0]!,
            message: oom
              ? `the allocator used more than 2 GiB of JavaScript memory (around op ${slot.progress[0]})`
              : `the check's thread died: ${error?.message ?? 'it exited'} (around op ${slot.progress[0]})`,
          },
        ],
      };
      slot.busy = -1;
      this.finishCheck(slot, index, result);
      if (this.next < this.names.length && !this.loadError) this.spawn();
    }
    this.maybeDone();
  }

  private retire(slot: Slot): void {
    if (slot.ended) return;
    slot.ended = true;
    this.slots.delete(slot);
    void slot.worker.terminate();
    this.maybeDone();
  }

  private maybeDone(): void {
    if (this.slots.size > 0) return;
    if (this.next < this.names.length && !this.loadError) {
      this.spawn();
      return;
    }
    clearInterval(this.watchdog);
    this.resolve({ loadError: this.loadError });
  }
}
