/**
 * Compiles C submissions outside the limited grading child: clang (as
 * WebAssembly, @yowasp/clang) needs ~400 MB and ~6 s to start, which a child
 * with a 1 GB limit and two check workers cannot afford, and which a batch
 * should pay once, not per submission. One long-lived process (compile-main.ts)
 * compiles one request at a time into the shared compile cache; the grading
 * child then finds the module there and never starts the compiler.
 *
 * The service is not trusted blindly with time or memory: each compile has a
 * CPU-time limit (plus a start-up allowance on a fresh process) and an RSS
 * limit; past either, the process tree is killed, the submission is recorded
 * as not loading with the reason, and the next request starts a new process.
 * CPU time, not the wall clock, decides: a compile that fits on an idle
 * machine fits beside busy processes too. The wall clock is only a far
 * backstop (a compiler starved or stuck): past it the kit failed, not the
 * student, and the outcome is a kit error saying how much CPU was used.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { tmpdir } from 'node:os';
import type { SandboxMode } from '../bwrap/probe.ts';
import { stageRootOr } from '../sandbox/stage-root.ts';
import { cacheDir } from '../wasm/cache.ts';
import type { CompileOutcome, CompileReply, CompileRequest } from './compile-protocol.ts';
import { treeCpuMs } from './cpu-time.ts';
import { killTree, trackGroup } from './kill-tree.ts';
import { watchMemory, type MemoryWatch } from './memory-watch.ts';
import { kitChild } from '../util/kit-entry.ts';

export interface CompileServiceOptions {
  /** CPU time per compile (the compile process and every process it starts), ms: over it is the student's load failure. @default 60000 */
  cpuLimitMs?: number;
  /** CPU time added for the first compile of a fresh process: the compiler's start-up (~6-10 s here). @default 60000 */
  startupCpuMs?: number;
  /** Wall-clock backstop per compile, ms, far above the CPU limit: past it the outcome is a kit error. @default 600000 */
  timeoutMs?: number;
  /** Wall clock added for the first compile of a fresh process. @default 60000 */
  startupMs?: number;
  /** RSS of the compile process, MiB (the compiler alone takes ~400). @default 2048 */
  memoryMb?: number;
  /** @default 50 */
  pollMs?: number;
  /** Where a system compiler runs (harness/bwrap/compiler.ts). @default 'auto' */
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
  private readonly cpuLimitMs: number;
  private readonly startupCpuMs: number;
  private readonly timeoutMs: number;
  private readonly startupMs: number;
  private readonly memoryMb: number;
  private readonly pollMs: number;
  private readonly sandbox: SandboxMode;
  private running: Running | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private nextId = 1;

  constructor(o: CompileServiceOptions = {}) {
    this.cpuLimitMs = o.cpuLimitMs ?? 60_000;
    this.startupCpuMs = o.startupCpuMs ?? 60_000;
    this.timeoutMs = o.timeoutMs ?? 600_000;
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
        // A system compiler's job folders are entered by nobody (harness/bwrap/compiler.ts): a temp folder it can reach.
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
    const cpuLimitMs = this.cpuLimitMs + (r.fresh ? this.startupCpuMs : 0);
    // The service lives across compiles: this one is charged what the tree uses from now on.
    const cpuAtStart = r.pid > 0 ? (treeCpuMs(r.pid) ?? 0) : 0;
    const cpuUsed = (): number | undefined => (r.pid > 0 ? (treeCpuMs(r.pid) ?? cpuAtStart) - cpuAtStart : undefined);
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
        clearInterval(cpu);
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
        const used = cpuUsed();
        const cpuSaid = used === undefined ? 'its CPU time could not be read' : `it had used ${seconds(used)} s of CPU, under its limit of ${seconds(cpuLimitMs)} s`;
        finish({ kind: 'kit-error', message: `compiling ${target} took more than ${seconds(limitMs)} s of wall-clock time (${cpuSaid}): the machine was too busy or the compiler stuck, not the submission's fault; the compiler was stopped`, ms: ms() }, true);
      }, limitMs);
      const cpu = setInterval(() => {
        const used = cpuUsed();
        if (used !== undefined && used > cpuLimitMs) {
          finish({ kind: 'load-failed', message: `compiling ${target} used more than ${seconds(cpuLimitMs)} s of CPU; the compiler was stopped`, ms: ms() }, true);
        }
      }, this.pollMs);
      cpu.unref();
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
