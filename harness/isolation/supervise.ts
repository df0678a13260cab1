/**
 * The ONE child supervisor: the compile service's process (compile-service.ts)
 * and the grading child (run-isolated.ts) are watched the same way and their
 * ends judged by the same rules, from the same evidence.
 *
 * - Limits are the child's to keep: CPU time of its whole process tree (a
 *   busy machine cannot move it the way it moves the wall clock), memory and
 *   output. Over one, the tree is killed and the run is stopped at a `limit`.
 * - The wall clock is only a far backstop: a child it stops had not used its
 *   CPU time, so it was starved or stuck, and that is the kit's fault, said
 *   with the CPU time it had used. Where CPU time cannot be read (no /proc),
 *   the wall clock at the CPU limit is the limit, and the detail says so.
 * - A child that ends on its own: the kit's fault when no student code ran
 *   in it (the compile process runs only the compiler; a grading child that
 *   never said ready), the student's when it did; an answer it gave is then
 *   read by its caller (the compile reply, the grading child's channel).
 *
 * Only flags, signals, exit codes and measurements decide, never what the
 * child printed.
 */
import { treeCpuMs } from './cpu-time.ts';
import { watchMemory, type MemoryWatch } from './memory-watch.ts';

export type Limit = 'cpu' | 'memory' | 'output';
export type StopReason = Limit | 'wall';

export interface SupervisionLimits {
  /** CPU time of the whole tree, ms. */
  cpuLimitMs: number;
  /** Wall-clock backstop, ms (far above what the CPU limit needs). */
  wallBackstopMs: number;
  /** Memory of the tree, MiB. */
  memoryMb: number;
  /** How often CPU time and memory are read, ms. */
  pollMs: number;
}

export interface ChildWatch {
  /** Why the supervisor stopped the child; undefined while it has not. */
  readonly stoppedBy: StopReason | undefined;
  /** CPU time the tree used since the watch began, ms; undefined where it cannot be read. */
  cpuMs(): number | undefined;
  /** Highest RSS seen, KiB (0 when not watched). */
  readonly peakKb: number;
  /** Stops the child for a reason the caller saw itself (its output passed the cap). Once: the first reason stands. */
  stop(reason: StopReason): void;
  /** Ends the watch (the child ended); the CPU time is read one last time. */
  end(): void;
}

export interface WatchOptions extends SupervisionLimits {
  /** Kills the child's tree; called once, with the first reason. */
  kill(reason: StopReason): void;
  /** The tree's CPU time (ms) so far: a cgroup's count where there is one. @default /proc, from pid */
  readCpuMs?: () => number | undefined;
  /** Poll the RSS of the child and its children against memoryMb (where no cgroup limits the memory). */
  rss: boolean;
}

/** Starts watching `pid`: CPU time against its limit, memory, and the wall-clock backstop. */
export function watchChild(pid: number, o: WatchOptions): ChildWatch {
  const read = o.readCpuMs ?? (() => treeCpuMs(pid));
  const atStart = read();
  // A child that lives across runs (the compile service) is charged from now on.
  const used = (): number | undefined => {
    const now = read();
    return now === undefined || atStart === undefined ? now : now - atStart;
  };
  let stoppedBy: StopReason | undefined;
  let lastCpu = atStart === undefined ? undefined : 0;
  let memory: MemoryWatch | undefined;
  const stop = (reason: StopReason): void => {
    if (stoppedBy !== undefined) return;
    stoppedBy = reason;
    o.kill(reason);
  };
  const cpuReadable = atStart !== undefined;
  // Where CPU time cannot be read, the wall clock at the CPU limit stands in for it (and says so: see judge).
  const wall = setTimeout(() => stop(cpuReadable ? 'wall' : 'cpu'), cpuReadable ? o.wallBackstopMs : o.cpuLimitMs);
  const cpu = setInterval(() => {
    const ms = used();
    if (ms !== undefined) lastCpu = ms;
    if (ms !== undefined && ms > o.cpuLimitMs) stop('cpu');
  }, o.pollMs);
  cpu.unref();
  const watch: ChildWatch = {
    get stoppedBy() {
      return stoppedBy;
    },
    cpuMs: () => {
      const ms = used();
      if (ms !== undefined) lastCpu = ms;
      return lastCpu;
    },
    get peakKb() {
      return memory?.peakKb ?? 0;
    },
    stop,
    end: () => {
      clearTimeout(wall);
      clearInterval(cpu);
      memory?.stop();
    },
  };
  // Last: its first reading is synchronous and may already be over the limit.
  if (o.rss) memory = watchMemory(pid, o.memoryMb * 1024, o.pollMs, () => stop('memory'));
  return watch;
}

/** What the parent knows when a supervised child has ended. */
export interface Evidence {
  /** The child could not be started at all. */
  spawnFailed?: boolean;
  /** Why the supervisor stopped it (watchChild), or a limit the OS enforced (a cgroup's OOM kill). */
  stoppedBy?: StopReason;
  /** CPU time the tree used, ms; undefined where it cannot be read. */
  cpuMs?: number;
  signal?: string;
  exitCode?: number;
  /** V8 reported its heap limit (a fatal-error report whose trigger is OOMError). */
  heapOutOfMemory?: boolean;
  /**
   * What of the student's it was working on: `nothing` yet (a grading child
   * before its ready message: every end is the kit's), `source` (the compile
   * process: the limits are the source's, any other end the compiler's, so
   * the kit's), `code` (a grading child running the submission: limits and
   * ends alike are the student's).
   */
  student: 'nothing' | 'source' | 'code';
  /** It gave its answer (the compile reply, the grading child's final message). */
  answered: boolean;
}

export type Verdict =
  /** Over a limit of its own: the student's (a compile's source, a submission's run). */
  | { fault: 'limit'; limit: Limit; detail: string }
  /** The kit's: never the student's zero. */
  | { fault: 'kit'; detail: string }
  /** Student code ended it (a signal, or an exit before or after its answer). */
  | { fault: 'student'; detail: string }
  /** It ended cleanly with its answer: the answer decides. */
  | { fault: 'none' };

export interface VerdictWords {
  /** Names the child: "the grading process", "compiling /x/mm.c". */
  what: string;
  /** What a stop ended: "the compiler was stopped". */
  stopped: string;
  /** What it had not done yet when it ended with nothing of the student's: "loading the submission". */
  before: string;
}

export const seconds = (ms: number): string => (ms < 10_000 ? (ms / 1000).toFixed(1) : String(Math.round(ms / 1000)));

/** The one judgement of a supervised child's end. */
export function judge(e: Evidence, limits: SupervisionLimits, words: VerdictWords): Verdict {
  const { what, stopped } = words;
  if (e.spawnFailed) return { fault: 'kit', detail: `${what} could not be started` };
  if (e.stoppedBy === 'wall') {
    const cpu = e.cpuMs === undefined ? 'its CPU time could not be read' : `it had used ${seconds(e.cpuMs)} s of CPU, under its limit of ${seconds(limits.cpuLimitMs)} s`;
    return { fault: 'kit', detail: `${what} took more than ${seconds(limits.wallBackstopMs)} s of wall-clock time (${cpu}): the machine was too busy or the kit stuck, not the submission's fault; ${stopped}` };
  }
  // Before any of the student's work began, nothing that happened can be the student's.
  if (e.student === 'nothing' && !e.answered) {
    const how = e.stoppedBy === 'cpu' || e.signal === 'SIGXCPU' ? `used its ${seconds(limits.cpuLimitMs)} s of CPU time` : e.stoppedBy ? `went over its ${e.stoppedBy} limit` : e.signal ? `died from ${e.signal}` : `exited with code ${e.exitCode}`;
    return { fault: 'kit', detail: `${what} ${how} before ${words.before}` };
  }
  if (e.stoppedBy === 'cpu' || e.signal === 'SIGXCPU') {
    const clock = e.cpuMs === undefined && e.stoppedBy === 'cpu' ? ' (timed by the wall clock: CPU time cannot be read on this system)' : '';
    return { fault: 'limit', limit: 'cpu', detail: `${what} used more than ${seconds(limits.cpuLimitMs)} s of CPU${clock}; ${stopped}` };
  }
  if (e.stoppedBy === 'memory' || e.heapOutOfMemory) return { fault: 'limit', limit: 'memory', detail: `${what} took more than ${limits.memoryMb} MB of memory; ${stopped}` };
  if (e.stoppedBy === 'output') return { fault: 'limit', limit: 'output', detail: `${what} printed more than the output limit; ${stopped}` };
  const whose = e.student === 'code' ? 'student' : 'kit';
  if (e.signal) return { fault: whose, detail: `${what} was killed by ${e.signal}` };
  if (!e.answered) return { fault: whose, detail: `${what} ended (exit code ${e.exitCode}) before it answered` };
  if (e.exitCode !== undefined && e.exitCode !== 0) return { fault: whose, detail: `${what} exited with code ${e.exitCode} after it answered; the answer is not trusted` };
  return { fault: 'none' };
}
