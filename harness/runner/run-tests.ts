/**
 * `heapgrade test`: runs the correctness suite on a submission. Checks run in
 * worker threads (at most one per core) because a student's infinite loop is
 * synchronous: only terminating the thread stops it. A watchdog reads the op
 * index each worker publishes; a call that makes no progress within the
 * limit becomes a `timeout` violation at that op, and the remaining checks go
 * on in a fresh worker.
 */
import { availableParallelism } from 'node:os';
import { resolveCheckerOptions, type CheckerOptions } from '../checker/options.ts';
import { DEFAULT_HEAP_LIMIT } from '../heap/sim-heap.ts';
import { RESULT_VERSION, type CheckResult, type RunProgress, type TestReport } from '../report/types.ts';
import { CHECKS, findCheck } from '../../suites/correctness/index.ts';
import { LoadError, UsageError } from '../util/errors.ts';
import { capText } from '../util/output-cap.ts';
import type { FromWorker, ToWorker, WorkerInit } from './protocol.ts';
import { saveRepros } from '../replay/repro-files.ts';
import { pointCheck } from '../report/check-points.ts';
import { callBackstopError, checkTimeoutViolation, type BackstopStop, DEFAULT_CALL_TIMEOUT_MS, LOAD_TIMEOUT_MS } from './timeouts.ts';
import { DEFAULT_PROPERTY_SEARCH } from '../property/search.ts';
import { C_REFERENCE_SPEC, cSubmissionTarget } from '../loader/c-targets.ts';
import { preparedBundle } from '../loader/prepare.ts';
import type { ConfinedBundle } from '../confine/compartment.ts';
import { WatchedWorker, type StallReason } from './watched-worker.ts';
import { buildCheckOps, checkSeed } from './check-ops.ts';
import { chargeOnce } from '../report/one-charge.ts';
import { existsSync, readdirSync } from 'node:fs';
import { basename } from 'node:path';
import { cacheDir } from '../wasm/cache.ts';
import { startKitWorker } from '../util/kit-entry.ts';
import type { CompileDone, CompileJob } from './compile-worker.ts';
import { dispatchOrder } from './dispatch-order.ts';
import type { CorrectnessCheck } from '../checker/check.ts';
import type { Violation } from '../checker/violation.ts';

export interface TestOptions {
  checker?: Partial<CheckerOptions>;
  /** Heap limit in bytes. @default 64 MiB */
  limit?: number;
  /** Wall-clock backstop: a call that makes no progress for this long is a timeout (the step budget is the real limit). @default 30000 */
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
  /** The submission already bundled by the caller (grade bundles once for its checks and workloads); trusted callers only. */
  bundle?: ConfinedBundle;
  /** The property-based search: wall-clock backstop, runs and metered steps. @default the configuration defaults (`property`) */
  propertyMs?: number;
  propertyRuns?: number;
  propertySteps?: number;
  staticDataLimit?: number;
  compiler?: string;
  /**
   * Trusted callers only, never from a submission or a configuration file:
   * `false` loads TypeScript without the SES compartment (the OS sandbox's
   * tests attack it with unconfined code). @default true
   */
  confine?: boolean;
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
      propertyMs: options.propertyMs ?? DEFAULT_PROPERTY_SEARCH.timeLimitMs,
      propertyRuns: options.propertyRuns ?? DEFAULT_PROPERTY_SEARCH.numRuns,
      propertySteps: options.propertySteps ?? DEFAULT_PROPERTY_SEARCH.stepBudget,
      staticDataLimit: options.staticDataLimit ?? 128,
      compiler: options.compiler,
      profile: options.profile,
      ...(options.confine === false && { confine: false }),
    },
  };
  const results: (CheckResult | undefined)[] = Array.from({ length: names.length }, () => undefined);
  // C compiles here, once, before the workers start: they read the module
  // from the compile cache instead of each compiling the same file.
  const compileError = await compileCFirst(spec, options.compiler, options.profile, options.onProgress && ((p) => options.onProgress!({ ...p, total: names.length })));
  if (compileError !== undefined) {
    return { version: RESULT_VERSION, kind: 'test', submission: spec, status: 'fail', checks: [], error: compileError, durationMs: Date.now() - started };
  }
  // TypeScript is bundled here once, likewise, and handed to every worker (and to any that replaces one).
  const bundle = options.bundle ?? (await preparedBundle(spec, options));
  const pool = new Pool(bundle ? { ...init, bundle } : init, names, results, options);
  const outcome = await pool.run();
  const notes = pool.notes ? { notes: pool.notes } : {};
  const raw = results.map((r, i) => {
    const res = r ?? errorResult(names[i]!, 'the check did not run');
    // The same rule as score (harness/plan): the configured points, the handout's beyond list.
    return pointCheck(res, options.points?.[res.name] ?? res.maxPoints, options.beyond?.[res.name]);
  });
  // One bug, one charge; the heap-check complaints once (one-charge.ts). Decided here, before any writer sees the checks.
  const charged = chargeOnce(raw);
  const checks = charged.checks;
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
    return { version: RESULT_VERSION, kind: 'test', submission: spec, status: 'fail', checks: [], error: outcome.loadError, ...notes, durationMs: Date.now() - started };
  }
  const status = checks.some((c) => c.status === 'error') ? 'error' : checks.some((c) => c.status === 'fail') ? 'fail' : 'pass';
  return {
    version: RESULT_VERSION,
    kind: 'test',
    submission: spec,
    status,
    checks,
    ...(charged.heapCheck ? { heapCheck: charged.heapCheck } : {}),
    ...notes,
    durationMs: Date.now() - started,
  };
}

/**
 * Compiles a C submission (or the C reference) in this thread; its load failure's message, or undefined.
 * Under the run's course profile, as the workers load it (worker.ts): the profile sets the data model
 * (memory64 for the 64-bit handouts), the defines and the headers, so it is part of the compile-cache key.
 */
async function compileCFirst(
  spec: string,
  compiler: string | undefined,
  profile: string | undefined,
  onProgress?: (p: RunProgress) => void,
): Promise<string | undefined> {
  const target = cSubmissionTarget(spec);
  if (target === undefined) return undefined;
  const file = target === C_REFERENCE_SPEC ? spec : target;
  // A .c file or a folder of them (cSubmissionTarget's); the C reference is the kit's own, shown as loading.
  if (onProgress && target !== C_REFERENCE_SPEC) {
    // Someone is watching: say "compiling" from the start, and only when the compiler really runs,
    // which then runs on a thread of its own so the progress line keeps moving.
    const { compileNeeded } = await import('../wasm/compile.ts');
    const { compileProfileOf } = await import('../wasm/compile-profile.ts');
    const firstRun = !existsSync(cacheDir());
    const need = await compileNeeded(file, { compiler: compiler as never, profile: compileProfileOf(profile) }).catch(() => undefined);
    if (need?.needed) return compileOnThread(file, compiler, profile, { file: compiledName(file), compiler: need.compiler, firstRun }, onProgress);
  }
  const { loadSubmission } = await import('../loader/load.ts');
  try {
    await loadSubmission(file, { compiler, profile });
  } catch (e) {
    if (e instanceof LoadError) return e.message;
    throw e;
  }
  return undefined;
}

/** What the progress line names: the file (`mm.c`), or a folder's units (`lab/mm.c`, `lab/ (mm.c, list.c)`). */
function compiledName(target: string): string {
  if (target.endsWith('.c')) return basename(target);
  const units = readdirSync(target).filter((n) => /\.c$/i.test(n)).sort();
  return units.length === 1 ? `${basename(target)}/${units[0]}` : `${basename(target)}/ (${units.join(', ')})`;
}

/** The compile on a worker thread, with a progress event at once and every 100 ms until it ends. */
async function compileOnThread(file: string, compiler: string | undefined, profile: string | undefined, compiling: NonNullable<RunProgress['compiling']>, onProgress: (p: RunProgress) => void): Promise<string | undefined> {
  const tick = (): void => onProgress({ loading: true, running: [], done: 0, total: 0, compiling });
  tick();
  const timer = setInterval(tick, 100);
  const job: CompileJob = { target: file, ...(compiler !== undefined && { compiler }), ...(profile !== undefined && { profile }) };
  const worker = startKitWorker(new URL('./compile-worker.ts', import.meta.url), { workerData: job });
  try {
    const done = await new Promise<CompileDone>((resolve, reject) => {
      worker.once('message', (m: CompileDone) => resolve(m));
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`the compile thread exited (code ${code}) before it answered`)));
    });
    if (done.ok) return undefined;
    if ('loadError' in done) return done.loadError;
    throw new Error(done.error);
  } finally {
    clearInterval(timer);
    await worker.terminate();
  }
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
  watched: WatchedWorker;
  /** Check index running, or -1. */
  busy: number;
  checkStart: number;
  provisional?: CheckResult;
  /** The submission loaded in this worker. */
  ready: boolean;
  /** The worker's printed-bytes count (progress[1]) when its check started. */
  printedAtStart: number;
}

/** Up to `jobs` watched workers, each running one check at a time; a worker that hangs or dies is replaced. */
class Pool {
  private next = 0;
  /** Check indexes in the order they start (see dispatch-order.ts). */
  private order: number[] = [];
  private loadError: string | undefined;
  notes: string[] | undefined;
  private progressTimer?: NodeJS.Timeout;
  private readonly opsOf = new Map<string, number>();
  private slots = new Set<Slot>();
  private resolve!: (v: { loadError?: string }) => void;
  private readonly callTimeout: number;
  private readonly checkTimeout: number;
  private readonly jobs: number;
  /** Checks the backstop stopped once, queued to run again; each is retried at most once. */
  private readonly retry: number[] = [];
  private readonly retried = new Set<number>();
  /** What the backstop saw when it stopped a call the first time, per check index: evidence for a second stop. */
  private readonly firstStop = new Map<number, BackstopStop>();

  constructor(
    private readonly init: Omit<WorkerInit, 'progress'>,
    private readonly names: string[],
    private readonly results: (CheckResult | undefined)[],
    private readonly options: TestOptions,
  ) {
    this.callTimeout = options.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
    this.checkTimeout = options.checkTimeoutMs ?? 60_000;
    const wanted = options.jobs ?? Math.min(2, availableParallelism());
    this.jobs = Math.max(1, Math.min(Number.isFinite(wanted) ? Math.floor(wanted) : 1, names.length));
  }

  run(): Promise<{ loadError?: string }> {
    return new Promise((resolve) => {
      this.resolve = resolve;
      this.order = dispatchOrder(this.names, this.jobs);
      for (let k = 0; k < this.jobs; k++) this.spawn();
      if (this.options.onProgress) this.progressTimer = setInterval(() => this.options.onProgress?.(this.progressNow()), 50);
    });
  }

  private spawn(): void {
    const slot = { busy: -1, checkStart: 0, ready: false, printedAtStart: 0 } as Slot;
    slot.watched = new WatchedWorker({
      entry: new URL('./worker.ts', import.meta.url),
      init: this.init,
      callTimeoutMs: this.callTimeout,
      taskTimeoutMs: this.checkTimeout,
      outputCap: OUTPUT_CAP,
      resourceLimits: { maxOldGenerationSizeMb: 2048 },
      onMessage: (m) => this.onMessage(slot, m as FromWorker),
      onStall: (reason, op, elapsedMs) => this.onStall(slot, reason, op, elapsedMs),
      onExit: (error) => this.onDeath(slot, error),
    });
    this.slots.add(slot);
    slot.watched.begin(); // loading the submission: an endless loop at its top level is a load failure
  }

  private onMessage(slot: Slot, m: FromWorker): void {
    switch (m.type) {
      case 'ready':
        slot.ready = true;
        slot.watched.idle();
        if (m.notes?.length) this.notes ??= m.notes; // every worker compiles the same code: keep one copy
        this.dispatch(slot);
        return;
      case 'load-error':
        this.loadError ??= m.message;
        this.next = this.names.length; // nothing more to run
        this.retry.length = 0;
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
    const output = slot.watched.takeOutput().trim();
    if (output) {
      // The thread's own stray output covers every run of the check, shrinking included: no longer the repro's alone.
      delete result.outputOfRepro;
      result.output = capText(result.output ? `${result.output}\n${output}` : output, OUTPUT_CAP);
    }
    slot.busy = -1;
    slot.provisional = undefined;
    slot.watched.idle();
    this.results[index] = result;
    this.options.onResult?.(result);
  }

  private dispatch(slot: Slot): void {
    if (!this.pending()) {
      this.retire(slot);
      return;
    }
    const index = this.retry.shift() ?? this.order[this.next++]!;
    slot.busy = index;
    slot.checkStart = Date.now();
    slot.printedAtStart = slot.watched.progress[1]!;
    slot.watched.begin(0);
    slot.watched.post({ type: 'run', index, check: this.names[index]! } satisfies ToWorker);
  }

  private onStall(slot: Slot, reason: StallReason, op: number, elapsedMs: number): void {
    this.slots.delete(slot);
    if (reason === 'load' || !slot.ready) {
      this.loadError ??= `${this.init.spec}: loading the submission did not finish within ${LOAD_TIMEOUT_MS / 1000} s (an endless loop at the top level of the module?)`;
      this.next = this.names.length;
      this.retry.length = 0;
      this.maybeDone();
      return;
    }
    const index = slot.busy;
    const name = this.names[index]!;
    const check = findCheck(name)!;
    const printedBytes = slot.watched.progress[1]! - slot.printedAtStart;
    if (!slot.provisional && !this.retried.has(index)) {
      // The wall clock is only a backstop (step budgets decide timeouts): a
      // stop may be the machine's load, so the check runs once more, in a
      // fresh worker, before anything is reported.
      this.retried.add(index);
      if (reason === 'call') this.firstStop.set(index, { op, elapsedMs, printedBytes });
      this.retry.push(index);
      slot.watched.takeOutput();
      this.maybeDone();
      return;
    }
    // A failure found before the hang (the hang came while shrinking) is the real result.
    // A call stopped by the backstop again: the step budget did not stop it, so the clock would be deciding; the kit's error, with the evidence.
    const first = this.firstStop.get(index);
    const stops = [...(first ? [first] : []), { op, elapsedMs, printedBytes }];
    const result: CheckResult = slot.provisional ?? (reason === 'call' ? {
      ...errorResult(name, callBackstopError(stops, this.callTimeout, this.init.options.checker.stepBudget, { offHeap: check.type === 'off-heap' })),
      durationMs: Date.now() - slot.checkStart,
      seed: this.init.options.seed,
    } : {
      name,
      description: check.description,
      points: 0,
      maxPoints: check.points,
      status: 'fail',
      violations: [
        {
          ...checkTimeoutViolation(op, this.checkTimeout),
          ...this.timeoutRepro(check, op),
        },
      ],
      ops: 0,
      durationMs: Date.now() - slot.checkStart,
      seed: this.init.options.seed,
    });
    this.finishCheck(slot, index, result);
    this.maybeDone();
  }

  /** The calls up to the one that hung: replaying them shows the hang (it cannot be shrunk without hanging). */
  private timeoutRepro(check: CorrectnessCheck, op: number): Pick<Violation, 'repro' | 'foundAt' | 'shrink'> {
    if (check.type !== 'trace' || op < 0) return {};
    const ops = buildCheckOps(check, { ...this.init.options });
    return op < ops.length ? { repro: ops.slice(0, op + 1), foundAt: op, shrink: 'not-shrunk' } : {};
  }

  /** What runs now, for a progress line (plain data; the reporter words it). */
  private progressNow(): RunProgress {
    const running = [...this.slots]
      .filter((x) => x.busy >= 0)
      .map((x) => {
        const name = this.names[x.busy]!;
        if (!this.opsOf.has(name)) this.opsOf.set(name, buildCheckOps(findCheck(name)!, { ...this.init.options }).length);
        return { name, op: x.watched.op, ops: this.opsOf.get(name)!, shrinking: x.provisional !== undefined };
      });
    return { loading: ![...this.slots].some((x) => x.ready), running, done: this.results.filter(Boolean).length, total: this.names.length };
  }

  private onDeath(slot: Slot, error: Error | null): void {
    this.slots.delete(slot);
    if (!slot.ready && !this.loadError) {
      // Died while loading the submission (process.exit or a crash at import
      // time): a load failure, not a reason to start another worker forever.
      const why = error ? `${error.name}: ${error.message}` : 'the thread exited (does the module call process.exit?)';
      this.loadError = `${this.init.spec}: loading the submission ended its thread: ${why}`;
      this.next = this.names.length;
      this.retry.length = 0;
    }
    if (slot.busy >= 0) {
      const index = slot.busy;
      const name = this.names[index]!;
      const op = slot.watched.op;
      const oom = (error as { code?: string } | null)?.code === 'ERR_WORKER_OUT_OF_MEMORY';
      const result: CheckResult = slot.provisional ?? {
        ...errorResult(name, ''),
        status: 'fail',
        error: undefined,
        violations: [
          {
            kind: 'threw',
            op,
            message: oom
              ? `the allocator used more than 2 GiB of JavaScript memory (around op ${op})`
              : `the check's thread died: ${error?.message ?? 'it exited'} (around op ${op})`,
          },
        ],
      };
      this.finishCheck(slot, index, result);
    }
    this.maybeDone();
  }

  private retire(slot: Slot): void {
    if (!this.slots.delete(slot)) return;
    void slot.watched.terminate();
    this.maybeDone();
  }

  /** Replaces a lost worker while checks remain; resolves when none is left. */
  /** Checks still to run: never started, or stopped once by the backstop and due for their retry. */
  private pending(): boolean {
    return this.next < this.names.length || this.retry.length > 0;
  }

  private maybeDone(): void {
    if (this.pending() && !this.loadError) {
      if (this.slots.size < this.jobs) this.spawn();
      return;
    }
    if (this.slots.size > 0) return;
    clearInterval(this.progressTimer);
    this.resolve({ loadError: this.loadError });
  }
}
