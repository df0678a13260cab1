/**
 * The ONE watched worker: a worker thread where student code runs, with the
 * progress cell it publishes, the watchdog that reads it and the output it
 * captures. Student code is synchronous, so an endless loop can only be
 * stopped by terminating its thread: the watchdog does that and tells the
 * owner why; the owner (the check pool of run-tests.ts, the trace replayer
 * of isolated-replayer.ts) decides what the stall means and whether a fresh
 * worker takes over.
 *
 * The progress cell is an Int32Array over a SharedArrayBuffer held by the
 * trusted code of the worker (the checker writes the op index in flight);
 * student code runs in a compartment and cannot reach it.
 */
import type { Worker } from 'node:worker_threads';
import { startKitWorker } from '../util/kit-entry.ts';
import { OutputCap } from '../util/output-cap.ts';
import { LOAD_TIMEOUT_MS } from './timeouts.ts';

/** Progress cell values before the first op: loading the submission, then running its factory. */
export const LOADING = -2;
export const FACTORY = -1;

/** Why the watchdog stopped a worker. */
export type StallReason = 'load' | 'call' | 'task';

export interface WatchedWorkerOptions<Init extends object> {
  /** The worker module, by its source URL (started by startKitWorker: tsx in the sources, .js in dist/). */
  entry: URL;
  /** workerData, without the progress cell (added here). */
  init: Init;
  /** A call (op, or the factory) whose cell does not change for this long is a stall. */
  callTimeoutMs: number;
  /** A whole task (begin() to idle()) may take at most this long. @default no limit */
  taskTimeoutMs?: number;
  /** Loading (cell LOADING) may take this long, a cold C compile included. @default LOAD_TIMEOUT_MS */
  loadTimeoutMs?: number;
  /** Characters of the thread's stdout and stderr kept until the next takeOutput(). */
  outputCap: number;
  resourceLimits?: { maxOldGenerationSizeMb?: number };
  /** Let the process exit while this worker idles. @default false */
  unref?: boolean;
  onMessage(message: unknown): void;
  /** The watchdog terminated the worker: `op` is the cell's value when it stalled, `elapsedMs` how long that call (or, for 'task', the task) had run. */
  onStall(reason: StallReason, op: number, elapsedMs: number): void;
  /** The thread ended on its own (an uncaught error, process.exit, out of memory); never after terminate(). */
  onExit(error: Error | null): void;
  /** The thread's isolate is up (its JavaScript started), or the thread ended before: called once. */
  onStarted?(): void;
}

const TICK_MS = 50;

/** What a new owner of a running worker sets (handOver): its limits, output cap and handlers. */
export type WatchedWorkerOwner = Pick<WatchedWorkerOptions<object>, 'callTimeoutMs' | 'taskTimeoutMs' | 'loadTimeoutMs' | 'outputCap' | 'unref' | 'onMessage' | 'onStall' | 'onExit'>;

export class WatchedWorker<Init extends object = object> {
  readonly progress: Int32Array;
  private readonly worker: Worker;
  private output: OutputCap;
  private options: WatchedWorkerOptions<Init>;
  private timer: NodeJS.Timeout | undefined;
  private lastOp = LOADING;
  private lastChange = 0;
  private taskStart = 0;
  private ended = false;
  private error: Error | null = null;

  constructor(options: WatchedWorkerOptions<Init>) {
    this.options = options;
    const sab = new SharedArrayBuffer(8);
    this.progress = new Int32Array(sab);
    this.progress[0] = LOADING;
    this.worker = startKitWorker(options.entry, {
      workerData: { ...options.init, progress: sab },
      stdout: true,
      stderr: true,
      ...(options.resourceLimits && { resourceLimits: options.resourceLimits }),
    });
    this.output = new OutputCap(options.outputCap);
    const capture = (chunk: Buffer): void => this.output.write(chunk.toString('utf8'));
    this.worker.stdout.on('data', capture);
    this.worker.stderr.on('data', capture);
    // Listeners stay for the worker's life: a message, an error thrown
    // asynchronously by student code, or the thread ending settles what is
    // in flight, never crashes the kit.
    this.worker.on('message', (m: unknown) => {
      if (!this.ended) this.options.onMessage(m);
    });
    this.worker.on('error', (e) => {
      this.error = e;
    });
    if (options.onStarted) {
      const started = once(options.onStarted);
      this.worker.once('online', started);
      this.worker.once('exit', started);
    }
    this.worker.on('exit', () => {
      if (this.ended) return;
      this.stopWatching();
      this.ended = true;
      this.options.onExit(this.error);
    });
    if (options.unref) this.worker.unref();
  }

  /**
   * Gives this idle, loaded worker to a new owner (grade's workload lanes take
   * the check workers, whose thread has the submission loaded already and
   * the checker compiled hot): from now on its limits, output cap and
   * handlers are the new owner's, exactly as if it had started the worker,
   * and the old owner's handlers are never called again. Only between tasks.
   */
  handOver(owner: WatchedWorkerOwner): void {
    if (this.ended) throw new Error('watched worker: a worker that ended cannot be handed over');
    if (this.timer !== undefined) throw new Error('watched worker: hand a worker over only between tasks (after idle())');
    this.options = { ...this.options, taskTimeoutMs: undefined, unref: false, ...owner };
    this.output = new OutputCap(owner.outputCap);
    if (owner.unref) this.worker.unref();
    else this.worker.ref();
  }

  /** True once the worker was terminated or ended. */
  get isEnded(): boolean {
    return this.ended;
  }

  /** The cell's current value: the op in flight, FACTORY or LOADING. */
  get op(): number {
    return this.progress[0]!;
  }

  /** Starts watching a task (loading counts as one): the call and task limits run from now. */
  begin(cell?: number): void {
    if (cell !== undefined) this.progress[0] = cell;
    const now = Date.now();
    this.lastOp = this.progress[0]!;
    this.lastChange = now;
    this.taskStart = now;
    this.timer ??= setInterval(() => this.watch(), TICK_MS);
  }

  /** The task is over: nothing to watch until the next begin(). */
  idle(): void {
    this.stopWatching();
  }

  /** Posts to the worker; what `transfer` lists moves to it (this thread can no longer read it). */
  post(message: unknown, transfer?: readonly ArrayBuffer[]): void {
    this.worker.postMessage(message, transfer);
  }

  /** What the thread printed since the last call (stray output; confined code prints to its own sink). */
  takeOutput(): string {
    return this.output.take();
  }

  /** Stops the thread; no onExit follows. */
  terminate(): Promise<number> | undefined {
    if (this.ended) return undefined;
    this.ended = true;
    this.stopWatching();
    return this.worker.terminate();
  }

  private stopWatching(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private watch(): void {
    if (this.ended) return;
    const now = Date.now();
    const op = this.progress[0]!;
    if (op !== this.lastOp) {
      this.lastOp = op;
      this.lastChange = now;
    }
    const loading = op === LOADING;
    const allowed = loading ? (this.options.loadTimeoutMs ?? LOAD_TIMEOUT_MS) : this.options.callTimeoutMs;
    let reason: StallReason | undefined;
    if (now - this.lastChange > allowed) reason = loading ? 'load' : 'call';
    else if (!loading && this.options.taskTimeoutMs !== undefined && now - this.taskStart > this.options.taskTimeoutMs) reason = 'task';
    if (!reason) return;
    void this.terminate();
    this.options.onStall(reason, op, now - (reason === 'task' ? this.taskStart : this.lastChange));
  }
}

/** `fn`, called at most once. */
function once(fn: () => void): () => void {
  let done = false;
  return () => {
    if (done) return;
    done = true;
    fn();
  };
}
