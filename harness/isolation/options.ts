/**
 * Options of one isolated run: the public all-optional form and the one
 * resolver that fills every default.
 */
import { UsageError } from '../util/errors.ts';
import type { SandboxMode } from '../bwrap/probe.ts';
import type { UnconfinedForTests } from '../trust/policy.ts';
import type { PlanChoices } from '../plan/build.ts';
import type { RunRequest } from '../plan/request.ts';
import type { CompileService } from './compile-service.ts';
import type { Streamed } from './partial.ts';
import type { IsolatedMode, ProgressMessage } from '../child/messages.ts';

export interface IsolationOptions {
  /** `grade` (scores) or `test` (correctness only). @default 'grade' */
  mode?: IsolatedMode;
  configPath?: string;
  /** What the caller chooses of the plan (profile, selection, seed, checker flags, compiler): built into it by the parent, sealed. */
  choices?: PlanChoices;
  /** How the child shows its result and spreads its work (HTML page, the TA's view, threads): never what it grades. */
  request?: RunRequest;
  /**
   * CPU time of the child's whole process tree, ms: over it the submission
   * is stopped, its `timeout` (supervise.ts). A busy machine cannot move it.
   * @default 120000
   */
  timeoutMs?: number;
  /**
   * The wall-clock backstop, ms: a child it stops had not used its CPU time,
   * so the machine or the kit is at fault (a kit error, never the student's).
   * A platform with a hard wall budget (Gradescope) sets it to that budget.
   * @default the larger of 4 × timeoutMs and timeoutMs + 10 minutes
   */
  wallBackstopMs?: number;
  /** Memory limit (RSS of the child, and the V8 heap), MiB. @default 1024 */
  memoryMb?: number;
  /** RLIMIT_DATA = memoryMb + this: a hard backstop for growth between two RSS samples. @default 512 */
  dataHeadroomMb?: number;
  /** RSS sampling interval, ms. @default 20 */
  pollMs?: number;
  /** Output beyond this (stdout and stderr together) kills the child. @default 4 MiB */
  maxOutputBytes?: number;
  /** What is kept of each stream for reports. @default 200 lines, 20000 characters */
  keepOutputLines?: number;
  keepOutputChars?: number;
  /** Working directory of the child. @default the system temp dir */
  cwd?: string;
  /**
   * Compiles C submissions before the child starts (a batch shares one).
   * @default a service started for this run and closed after its compile
   */
  compileService?: CompileService;
  /**
   * The OS sandbox (bubblewrap, a cgroup, user nobody): `required` fails when
   * it cannot start, `auto` warns and goes on, `off` runs the child as the grader.
   * @default 'off' (batch, gradescope and classroom pass `required` on Linux)
   */
  sandbox?: SandboxMode;
  /** Processes and threads of the whole child, where a cgroup limits them. @default 512 */
  pidsMax?: number;
  /** Folders the sandboxed child must not see even under a bound one (the batch folder, the output folder). */
  hide?: string[];
  /** Called for each check and workload result as the child reports it (the batch journals it). */
  onProgress?: (message: ProgressMessage) => void;
  /** Results a resumed batch already has: the child runs the rest, the report includes both. */
  earned?: Streamed;
  /** Tests of the OS sandbox only (harness/trust): load a TypeScript submission without its compartment. */
  unconfined?: UnconfinedForTests;
  /** The one CPU the child and everything it starts may run on (cpu-affinity.ts); a batch gives each lane its own. @default any */
  cpu?: number;
}

export type ResolvedIsolationOptions = Required<Omit<IsolationOptions, 'configPath' | 'compileService' | 'onProgress' | 'earned' | 'cpu' | 'unconfined'>> & {
  unconfined?: UnconfinedForTests;
  cpu?: number;
  configPath?: string;
  compileService?: CompileService;
  onProgress?: (message: ProgressMessage) => void;
  earned?: Streamed;
};

function positiveInt(name: string, v: number | undefined, fallback: number): number {
  if (v === undefined) return fallback;
  if (!Number.isFinite(v) || v <= 0) throw new UsageError(`Expected \`${name}\` to be a positive number, got \`${v}\` (${typeof v})`);
  return Math.round(v);
}

/** Far above what the CPU limit needs on a busy machine (a child's share of a loaded core can be a tenth). */
const wallBackstopFor = (cpuLimitMs: number): number => Math.max(4 * cpuLimitMs, cpuLimitMs + 600_000);

export function resolveIsolationOptions(o: IsolationOptions): ResolvedIsolationOptions {
  return {
    mode: o.mode ?? 'grade',
    configPath: o.configPath,
    choices: o.choices ?? {},
    request: o.request ?? {},
    timeoutMs: positiveInt('timeout', o.timeoutMs, 120_000),
    wallBackstopMs: positiveInt('wallBackstopMs', o.wallBackstopMs, wallBackstopFor(positiveInt('timeout', o.timeoutMs, 120_000))),
    memoryMb: positiveInt('memory', o.memoryMb, 1024),
    dataHeadroomMb: positiveInt('dataHeadroomMb', o.dataHeadroomMb, 512),
    pollMs: positiveInt('pollMs', o.pollMs, 20),
    maxOutputBytes: positiveInt('maxOutputBytes', o.maxOutputBytes, 4 * 1024 * 1024),
    keepOutputLines: positiveInt('keepOutputLines', o.keepOutputLines, 200),
    keepOutputChars: positiveInt('keepOutputChars', o.keepOutputChars, 20_000),
    cwd: o.cwd ?? process.env.TMPDIR ?? '/tmp',
    compileService: o.compileService,
    sandbox: o.sandbox ?? 'off',
    pidsMax: positiveInt('pidsMax', o.pidsMax, 512),
    hide: o.hide ?? [],
    onProgress: o.onProgress,
    earned: o.earned,
    ...(o.unconfined !== undefined && { unconfined: o.unconfined }),
    ...(o.cpu !== undefined && { cpu: o.cpu }),
  };
}
