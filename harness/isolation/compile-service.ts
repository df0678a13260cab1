/**
 * Compiles C submissions outside the limited grading child: clang (as
 * WebAssembly, @yowasp/clang) needs ~400 MB and ~6 s to start, which a child
 * with a 1 GB limit and two check workers cannot afford, and which a batch
 * should pay once, not per submission. One long-lived process (compile-main.ts)
 * compiles one request at a time into the shared compile cache; the grading
 * child then finds the module there and never starts the compiler.
 *
 * The service is not trusted blindly with time or memory: each compile has a
 * wall-clock limit (plus a start-up allowance on a fresh process) and an RSS
 * limit; past either, the process tree is killed, the submission is recorded
 * as not loading, and the next request starts a new process.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { tmpdir } from 'node:os';
import type { SandboxMode } from '../sandbox/probe.ts';
import { stageRootOr } from '../sandbox/stage-root.ts';
import { cacheDir } from '../wasm/cache.ts';
import type { CompileOutcome, CompileReply, CompileRequest } from './compile-protocol.ts';
import { killTree, trackGroup } from './kill-tree.ts';
import { watchMemory, type MemoryWatch } from './memory-watch.ts';
import { kitChild } from '../util/kit-entry.ts';

export interface CompileServiceOptions {
  /** Wall clock per compile, ms. @default 60000 */
  timeoutMs?: number;
  /** Added to the first compile of a fresh process: the compiler's start-up (~6-10 s here). @default 60000 */
  startupMs?: number;
  /** RSS of the compile process, MiB (the compiler alone takes ~400). @default 2048 */
  memoryMb?: number;
  /** @default 50 */
  pollMs?: number;
  /** Where a system compiler runs (harness/sandbox/compiler.ts). @default 'auto' */
  sandbox?: SandboxMode;
}

const COMPILE_MAIN = kitChild(new URL('./compile-main.ts', import.meta.url));
const KEEP_STDERR = 4000;

interface Running {
  child: ChildProcess;
  pid: number;
  fresh: boolean;
  output: string;
  untrack: () => void;
}

export class CompileService {
  private readonly timeoutMs: number;
  private readonly startupMs: number;
  private readonly memoryMb: number;
  private readonly pollMs: number;
  private readonly sandbox: SandboxMode;
  private running: Running | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private nextId = 1;

  constructor(o: CompileServiceOptions = {}) {
    this.timeoutMs = o.timeoutMs ?? 60_000;
    this.startupMs = o.startupMs ?? 60_000;
    this.memoryMb = o.memoryMb ?? 2048;
    this.pollMs = o.pollMs ?? 50;
    this.sandbox = o.sandbox ?? 'auto';
  }

  /** Compiles `target` (an absolute .c file or folder, or `ref:reference-c`) into the compile cache. Never throws. */
  compile(target: string, compiler?: string, profile?: string): Promise<CompileOutcome> {
    const next = this.queue.then(() => this.run(target, compiler, profile));
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Ends the compile process (a later compile starts a new one). */
  close(): void {
    if (this.running) this.stop(this.running);
  }

  private start(): Running {
    const child = fork(COMPILE_MAIN.file, [], {
      execArgv: COMPILE_MAIN.execArgv,
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: process.env.HOME ?? tmpdir(),
        // A system compiler's job folders are entered by nobody (harness/sandbox/compiler.ts): a temp folder it can reach.
        TMPDIR: this.sandbox === 'off' ? tmpdir() : stageRootOr(tmpdir()),
        LANG: 'C.UTF-8',
        // The same cache the grading children read, also when the parent's comes from the default.
        HEAPGRADE_CACHE_DIR: cacheDir(),
        HEAPGRADE_COMPILE_SANDBOX: this.sandbox,
      },
      cwd: tmpdir(),
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      serialization: 'json',
      // Its own process group, so that killTree also ends a system clang it started.
      detached: true,
    });
    const running: Running = { child, pid: child.pid ?? -1, fresh: true, output: '', untrack: () => {} };
    if (child.pid !== undefined) running.untrack = trackGroup(child.pid);
    const keep = (chunk: Buffer): void => {
      running.output = (running.output + chunk.toString('utf8')).slice(-KEEP_STDERR);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    child.on('error', () => {}); // reported through 'exit' or the request's timer
    // Died while idle: the next request starts a new one.
    child.once('exit', () => {
      running.untrack();
      if (this.running === running) this.running = undefined;
    });
    this.running = running;
    return running;
  }

  private stop(r: Running): void {
    if (r.pid > 0) killTree(r.pid);
    r.untrack();
    if (r.child.connected) r.child.disconnect();
    if (this.running === r) this.running = undefined;
  }

  private run(target: string, compiler: string | undefined, profile?: string): Promise<CompileOutcome> {
    const started = Date.now();
    const r = this.running ?? this.start();
    const limitMs = this.timeoutMs + (r.fresh ? this.startupMs : 0);
    r.fresh = false;
    const id = this.nextId++;
    const request: CompileRequest = { id, target, compiler, ...(profile !== undefined ? { profile } : {}) };
    return new Promise<CompileOutcome>((resolve) => {
      let done = false;
      // Declared before finish: watchMemory's first reading is synchronous and
      // may already be over the limit, calling finish before it returns.
      let memory: MemoryWatch | undefined;
      const finish = (outcome: CompileOutcome, kill: boolean): void => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        memory?.stop();
        r.child.off('message', onMessage);
        r.child.off('exit', onExit);
        if (kill) this.stop(r);
        resolve(outcome);
      };
      const ms = (): number => Date.now() - started;
      const onMessage = (m: CompileReply): void => {
        if (m?.id !== id) return;
        const { id: _id, ...outcome } = m;
        finish(outcome, false);
      };
      const onExit = (code: number | null, signal: string | null): void => {
        const output = r.output.trim();
        finish({ kind: 'kit-error', message: `the compile process ended (${signal ?? `exit code ${code}`}) while compiling ${target}${output ? `:\n${output}` : ''}`, ms: ms() }, true);
      };
      const timer = setTimeout(() => {
        finish({ kind: 'load-failed', message: `${target} did not compile within ${seconds(limitMs)} s; the compiler was stopped`, ms: ms() }, true);
      }, limitMs);
      memory =
        r.pid > 0
          ? watchMemory(r.pid, this.memoryMb * 1024, this.pollMs, () => {
              finish({ kind: 'load-failed', message: `compiling ${target} took more than ${this.memoryMb} MB of memory; the compiler was stopped`, ms: ms() }, true);
            })
          : undefined;
      if (done) {
        memory?.stop(); // finished by that first reading: nothing more to watch or send
        return;
      }
      r.child.on('message', onMessage);
      r.child.once('exit', onExit);
      if (r.child.exitCode !== null || r.child.signalCode !== null || !r.child.connected) {
        onExit(r.child.exitCode, r.child.signalCode);
        return;
      }
      r.child.send(request, (e) => {
        if (e) finish({ kind: 'kit-error', message: `could not reach the compile process: ${e.message}`, ms: ms() }, true);
      });
    });
  }
}

const seconds = (ms: number): string => (ms < 10_000 ? (ms / 1000).toFixed(1) : String(Math.round(ms / 1000)));
