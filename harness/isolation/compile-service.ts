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
import { killTree, trackGroup } from './kill-tree.ts';
import { judge, watchChild, type ChildWatch, type Evidence, type SupervisionLimits } from './supervise.ts';
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
    // The first compile of a fresh process also pays the compiler's start-up.
    const limits: SupervisionLimits = {
      cpuLimitMs: this.cpuLimitMs + (r.fresh ? this.startupCpuMs : 0),
      wallBackstopMs: this.timeoutMs + (r.fresh ? this.startupMs : 0),
      memoryMb: this.memoryMb,
      pollMs: this.pollMs,
    };
    r.fresh = false;
    const id = this.nextId++;
    const request: CompileRequest = { id, target, compiler, ...(profile !== undefined ? { profile } : {}) };
    const words = { what: `compiling ${target}`, stopped: 'the compiler was stopped', before: 'it answered' };
    return new Promise<CompileOutcome>((resolve) => {
      let done = false;
      const ms = (): number => Date.now() - started;
      // The compile process's end, judged by the one supervisor's rules (supervise.ts): its limits are the source's, anything else the kit's.
      const settle = (e: Omit<Evidence, 'student' | 'cpuMs' | 'stoppedBy'>, stoppedBy = watch?.stoppedBy): void => {
        if (done) return;
        done = true;
        watch?.end();
        r.child.off('message', onMessage);
        r.child.off('exit', onExit);
        const verdict = judge({ ...e, student: 'source', stoppedBy, cpuMs: watch?.cpuMs() }, limits, words);
        if (stoppedBy !== undefined || verdict.fault !== 'none') this.stop(r);
        if (verdict.fault === 'none') return resolve(e.answered ? answer! : { kind: 'kit-error', message: `${words.what}: no answer`, ms: ms() });
        const output = verdict.fault === 'kit' && stoppedBy === undefined ? r.output.trim() : '';
        resolve({ kind: verdict.fault === 'limit' ? 'load-failed' : 'kit-error', message: `${verdict.detail}${output ? `:\n${output}` : ''}`, ms: ms() });
      };
      let answer: CompileOutcome | undefined;
      const onMessage = (m: CompileReply): void => {
        if (m?.id !== id) return;
        const { id: _id, ...outcome } = m;
        answer = outcome;
        settle({ answered: true });
      };
      const onExit = (code: number | null, signal: string | null): void => settle({ answered: false, ...(signal ? { signal } : { exitCode: code ?? undefined }) });
      // Declared before the watch: its first memory reading is synchronous and may already stop the compile.
      let watch: ChildWatch | undefined;
      watch = r.pid > 0 ? watchChild(r.pid, { ...limits, rss: true, kill: (reason) => settle({ answered: false }, reason) }) : undefined;
      if (done) {
        watch?.end(); // stopped by that first reading: nothing more to watch or send
        return;
      }
      r.child.on('message', onMessage);
      r.child.once('exit', onExit);
      if (r.child.exitCode !== null || r.child.signalCode !== null || !r.child.connected) {
        onExit(r.child.exitCode, r.child.signalCode);
        return;
      }
      r.child.send(request, (e) => {
        if (e) settle({ answered: false, spawnFailed: true });
      });
    });
  }
}

