/**
 * The checks of one run on the pool (harness/pool): one lane per worker
 * thread, each lane holding one watched worker that loads the submission
 * once and runs its checks one at a time. A worker that hangs or dies is
 * replaced by the lane's next check. A check the wall-clock backstop stops
 * once (a call, or the whole check) runs again at once in a fresh worker
 * (the machine's load may have stopped it); stopped twice, it is the kit's
 * error with the evidence. Loading the backstop stops is retried the same
 * way, and a second stop is the kit's error for the run (its own limits are
 * step budgets and the compile's CPU time). A submission that cannot load
 * stops the pool: nothing more starts.
 */
import { findCheck } from '../../suites/correctness/index.ts';
import { laneCount, runPool } from '../pool/pool.ts';
import type { CheckResult, RunProgress } from '../report/types.ts';
import { capText } from '../util/output-cap.ts';
import { holdCompilerOnThread } from '../offheap/quiet-compiler.ts';
import { buildCheckOps } from './check-ops.ts';
import { dispatchOrder } from './dispatch-order.ts';
import type { FromWorker, ToWorker, WorkerInit } from './protocol.ts';
import { callBackstopError, checkBackstopError, type BackstopStop, loadBackstopError } from './timeouts.ts';
import { WatchedWorker, type StallReason } from './watched-worker.ts';

export const OUTPUT_CAP = 4096;

export interface CheckLanesOptions {
  /** Worker threads wanted (capped to the checks). */
  jobs: number;
  callTimeoutMs: number;
  checkTimeoutMs: number;
  /** Wall-clock backstop of loading the submission in a worker. */
  loadTimeoutMs: number;
  onResult?: (result: CheckResult) => void;
  onProgress?: (progress: RunProgress) => void;
  /**
   * Keep the lanes' workers: when every check has run, each worker still
   * alive (loaded, idle) is given to this callback instead of terminated,
   * and the caller owns it (grade replays its workloads on them:
   * WatchedWorker.handOver). Not called when loading failed or the run threw.
   */
  keepWorkers?: (workers: WatchedWorker[]) => void;
  /** Called once the lanes' first workers are starting (their threads created): other work of the caller's may begin without delaying them. */
  onStarted?: () => void;
}

export interface CheckLanesResult {
  /** One per name, in the names' order; undefined for a check that did not run. */
  results: (CheckResult | undefined)[];
  loadError?: string;
  /** The backstop stopped loading twice: the kit's error, no check ran. */
  kitError?: string;
  /** The compile notes the first worker to load sent (every worker compiles the same code). */
  notes?: string[];
}

/** What a worker says or does, one event at a time, to the lane waiting on it. */
type WorkerEvent = { kind: 'message'; message: Exclude<FromWorker, { type: 'provisional' }> } | { kind: 'stall'; reason: StallReason; op: number; elapsedMs: number } | { kind: 'exit'; error: Error | null } | { kind: 'stopped' };

/** The submission did not load: no check can run. */
class LoadFailure extends Error {}

/** The backstop stopped loading twice: the kit's failure, no check can run. */
class LoadBackstop extends Error {}

/** One lane's worker thread, its events queued until the lane awaits them. */
class CheckWorker {
  readonly watched: WatchedWorker;
  ready = false;
  /** A failure the check found before it hung (while shrinking): the result if the worker is lost now. */
  provisional?: CheckResult;
  /** Check index running, or -1. */
  busy = -1;
  checkStart = 0;
  /** The worker's printed-bytes count (progress[1]) when its check started. */
  printedAtStart = 0;
  private readonly events: WorkerEvent[] = [];
  private waiter: ((e: WorkerEvent) => void) | undefined;

  constructor(init: Omit<WorkerInit, 'progress'>, options: CheckLanesOptions) {
    // off-heap-metadata's snapshots are exact only with the optimizing compiler on the check's own thread (quiet-compiler.ts).
    const release = holdCompilerOnThread();
    try {
      this.watched = new WatchedWorker({
        entry: new URL('./worker.ts', import.meta.url),
        init,
        callTimeoutMs: options.callTimeoutMs,
        taskTimeoutMs: options.checkTimeoutMs,
        loadTimeoutMs: options.loadTimeoutMs,
        outputCap: OUTPUT_CAP,
        resourceLimits: { maxOldGenerationSizeMb: 2048 },
        onMessage: (m) => {
          const message = m as FromWorker;
          if (message.type === 'provisional') this.provisional = message.result;
          else this.emit({ kind: 'message', message });
        },
        onStall: (reason, op, elapsedMs) => this.emit({ kind: 'stall', reason, op, elapsedMs }),
        onExit: (error) => this.emit({ kind: 'exit', error }),
        onStarted: release,
      });
    } catch (e) {
      release(); // no thread started: the hold must not outlive this attempt
      throw e;
    }
    this.watched.begin(); // loading the submission (its limits are step budgets and the compile's CPU time; this is the backstop)
  }

  /** The next event; `stopped` when the pool stops first (the worker is then terminated). */
  next(signal: AbortSignal): Promise<WorkerEvent> {
    const queued = this.events.shift();
    if (queued) return Promise.resolve(queued);
    if (signal.aborted) return Promise.resolve({ kind: 'stopped' });
    return new Promise((resolve) => {
      const onAbort = (): void => {
        this.waiter = undefined;
        void this.watched.terminate();
        resolve({ kind: 'stopped' });
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.waiter = (e) => {
        signal.removeEventListener('abort', onAbort);
        resolve(e);
      };
    });
  }

  private emit(e: WorkerEvent): void {
    const waiter = this.waiter;
    this.waiter = undefined;
    if (waiter) waiter(e);
    else this.events.push(e);
  }
}

/** Runs `names` on up to `options.jobs` watched workers; results in the names' order. */
export async function runCheckLanes(init: Omit<WorkerInit, 'progress'>, names: readonly string[], options: CheckLanesOptions): Promise<CheckLanesResult> {
  const lanes = new CheckLanes(init, names, options);
  return lanes.run();
}

class CheckLanes {
  private readonly workers: (CheckWorker | undefined)[] = [];
  private readonly results: (CheckResult | undefined)[];
  private notes: string[] | undefined;
  private readonly opsOf = new Map<string, number>();
  /** Checks the backstop stopped once (each runs again at most once), and what it saw: evidence for a second stop. */
  private readonly firstStop = new Map<number, BackstopStop & { reason: StallReason }>();
  /** How long each load the backstop stopped had run. */
  private readonly loadStops: number[] = [];

  constructor(
    private readonly init: Omit<WorkerInit, 'progress'>,
    private readonly names: readonly string[],
    private readonly options: CheckLanesOptions,
  ) {
    this.results = names.map(() => undefined);
  }

  async run(): Promise<CheckLanesResult> {
    const jobs = laneCount(this.options.jobs, this.names.length);
    const progressTimer = this.options.onProgress && setInterval(() => this.options.onProgress?.(this.progressNow()), 50);
    // Workers whose lanes ended with them loaded and idle, for keepWorkers; terminated unless handed over.
    let kept: WatchedWorker[] = [];
    try {
      const running = runPool(
        this.names.map((_, i) => i),
        {
          lanes: jobs,
          order: dispatchOrder(this.names, jobs),
          stopOnError: true,
          run: (index, { lane, signal }) => this.runCheck(index, lane, signal),
          onLaneEnd: (lane) => {
            const worker = this.workers[lane];
            this.workers[lane] = undefined;
            if (this.options.keepWorkers && worker?.ready && worker.busy < 0 && !worker.watched.isEnded) kept.push(worker.watched);
            else void worker?.watched.terminate();
          },
        },
      );
      // Each lane made its worker synchronously, as the pool started it (loadOnce before its first await).
      this.options.onStarted?.();
      const pool = await running;
      const failure = pool.firstFailure?.error;
      if (failure !== undefined && !(failure instanceof LoadFailure) && !(failure instanceof LoadBackstop)) throw failure;
      if (failure === undefined && kept.length > 0) {
        const handed = kept;
        kept = [];
        this.options.keepWorkers?.(handed);
      }
      return {
        results: this.results,
        ...(failure instanceof LoadFailure && { loadError: failure.message }),
        ...(failure instanceof LoadBackstop && { kitError: failure.message }),
        ...(this.notes && { notes: this.notes }),
      };
    } finally {
      clearInterval(progressTimer);
      for (const w of kept) void w.terminate();
    }
  }

  /** One check on the lane's worker (loaded first if the lane has none), run again once if the backstop stops it. */
  private async runCheck(index: number, lane: number, signal: AbortSignal): Promise<CheckResult | undefined> {
    for (;;) {
      const worker = await this.loadedWorker(lane, signal);
      if (!worker) return undefined; // the pool stopped while this lane loaded
      worker.busy = index;
      worker.checkStart = Date.now();
      worker.printedAtStart = worker.watched.progress[1]!;
      worker.watched.begin(0);
      worker.watched.post({ type: 'run', index, check: this.names[index]! } satisfies ToWorker);
      const result = await this.outcome(worker, lane, index, signal);
      if (result === 'again') continue;
      if (result) this.finish(worker, index, result);
      return result;
    }
  }

  /** The lane's worker, started and loaded if it has none; undefined when the pool stops first. */
  private async loadedWorker(lane: number, signal: AbortSignal): Promise<CheckWorker | undefined> {
    for (let retried = false; ; retried = true) {
      const worker = await this.loadOnce(lane, signal, retried);
      if (worker !== 'again') return worker;
    }
  }

  /** One attempt at loading: the worker, undefined when the pool stops first, or `again` after the backstop's first stop. */
  private async loadOnce(lane: number, signal: AbortSignal, retried: boolean): Promise<CheckWorker | undefined | 'again'> {
    const had = this.workers[lane];
    if (had && !had.watched.isEnded) return had;
    const worker = new CheckWorker(this.init, this.options);
    this.workers[lane] = worker;
    const e = await worker.next(signal);
    if (e.kind === 'stopped') return undefined;
    if (e.kind === 'message' && e.message.type === 'ready') {
      worker.ready = true;
      worker.watched.idle();
      if (e.message.notes?.length) this.notes ??= e.message.notes;
      return worker;
    }
    void worker.watched.terminate();
    if (e.kind === 'message' && e.message.type === 'load-error') throw new LoadFailure(e.message.message);
    if (e.kind === 'stall') {
      // Loading is limited by step budgets (the module's top level, createAllocator) and a C compile by its CPU
      // time: the backstop stopping it is the machine, so a fresh worker loads again; a second stop is the kit's error.
      this.loadStops.push(e.elapsedMs);
      this.workers[lane] = undefined;
      if (!retried) return 'again';
      throw new LoadBackstop(`${this.init.spec}: ${loadBackstopError(this.loadStops, this.options.loadTimeoutMs)}`);
    }
    if (e.kind === 'exit') {
      // Died while loading the submission (process.exit or a crash at import
      // time): a load failure, not a reason to start another worker forever.
      const why = e.error ? `${e.error.name}: ${e.error.message}` : 'the thread exited (does the module call process.exit?)';
      throw new LoadFailure(`${this.init.spec}: loading the submission ended its thread: ${why}`);
    }
    throw new Error(`check worker: unexpected message before ready: ${JSON.stringify(e)}`);
  }

  /** How the running check ended: its result, `again` to run it once more in a fresh worker, or undefined when the pool stopped. */
  private async outcome(worker: CheckWorker, lane: number, index: number, signal: AbortSignal): Promise<CheckResult | 'again' | undefined> {
    const e = await worker.next(signal);
    switch (e.kind) {
      case 'stopped':
        return undefined;
      case 'message':
        if (e.message.type === 'result') return e.message.result;
        if (e.message.type === 'kit-error') return errorResult(this.names[index]!, e.message.message);
        // The worker loads the module once but calls the factory per check: a factory that throws is met here,
        // and it is the submission's load failure (exit 2), never the kit's.
        if (e.message.type === 'load-error') throw new LoadFailure(e.message.message);
        throw new Error(`check worker: unexpected ${e.message.type} while check ${this.names[index]} ran`);
      case 'stall':
        this.workers[lane] = undefined;
        return this.afterStall(worker, index, e.reason, e.op, e.elapsedMs);
      case 'exit':
        this.workers[lane] = undefined;
        return this.afterDeath(worker, index, e.error);
    }
  }

  private afterStall(worker: CheckWorker, index: number, reason: StallReason, op: number, elapsedMs: number): CheckResult | 'again' {
    const name = this.names[index]!;
    const check = findCheck(name)!;
    const printedBytes = worker.watched.progress[1]! - worker.printedAtStart;
    if (!worker.provisional && !this.firstStop.has(index)) {
      // The wall clock is only a backstop (step budgets decide timeouts): a
      // stop may be the machine's load, so the check runs once more, in a
      // fresh worker, before anything is reported.
      this.firstStop.set(index, { op, elapsedMs, printedBytes, reason });
      worker.watched.takeOutput();
      return 'again';
    }
    // A failure found before the hang (the hang came while shrinking) is the real result.
    if (worker.provisional) return worker.provisional;
    // Stopped by the backstop again (a call, or the whole check): no step budget ran out, so the clock would be
    // deciding; the kit's error, with the evidence.
    const first = this.firstStop.get(index);
    const { checker, seed } = this.init.options;
    const message =
      reason === 'call'
        ? callBackstopError([...(first?.reason === 'call' ? [first] : []), { op, elapsedMs, printedBytes }], this.options.callTimeoutMs, checker.stepBudget, { offHeap: check.type === 'off-heap' })
        : checkBackstopError([...(first?.reason === 'task' ? [first] : []), { op, elapsedMs }], this.options.checkTimeoutMs, checker.stepBudget);
    return { ...errorResult(name, message), durationMs: Date.now() - worker.checkStart, seed };
  }

  private afterDeath(worker: CheckWorker, index: number, error: Error | null): CheckResult {
    if (worker.provisional) return worker.provisional;
    const op = worker.watched.op;
    const oom = (error as { code?: string } | null)?.code === 'ERR_WORKER_OUT_OF_MEMORY';
    return {
      ...errorResult(this.names[index]!, ''),
      status: 'fail',
      error: undefined,
      violations: [
        {
          kind: 'threw',
          op,
          message: oom ? `the allocator used more than 2 GiB of JavaScript memory (around op ${op})` : `the check's thread died: ${error?.message ?? 'it exited'} (around op ${op})`,
        },
      ],
    };
  }

  private finish(worker: CheckWorker, index: number, result: CheckResult): void {
    const output = worker.watched.takeOutput().trim();
    if (output) {
      // The thread's own stray output covers every run of the check, shrinking included: no longer the repro's alone.
      delete result.outputOfRepro;
      result.output = capText(result.output ? `${result.output}\n${output}` : output, OUTPUT_CAP);
    }
    worker.busy = -1;
    worker.provisional = undefined;
    worker.watched.idle();
    this.results[index] = result;
    this.options.onResult?.(result);
  }

  /** What runs now, for a progress line (plain data; the reporter words it). */
  private progressNow(): RunProgress {
    const workers = this.workers.filter((w): w is CheckWorker => w !== undefined);
    const running = workers
      .filter((w) => w.busy >= 0)
      .map((w) => {
        const name = this.names[w.busy]!;
        if (!this.opsOf.has(name)) this.opsOf.set(name, buildCheckOps(findCheck(name)!, { ...this.init.options }).length);
        return { name, op: w.watched.op, ops: this.opsOf.get(name)!, shrinking: w.provisional !== undefined };
      });
    return { loading: !workers.some((w) => w.ready), running, done: this.results.filter(Boolean).length, total: this.names.length };
  }
}

/** A check's result when the kit, not the submission, failed it. */
export function errorResult(name: string, message: string): CheckResult {
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
