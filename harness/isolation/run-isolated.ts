/**
 * Grades one submission in its own child process and classifies what
 * happened. The child runs limited-node.sh (rlimits, then node) inside the
 * OS sandbox the options ask for (harness/sandbox: bubblewrap, a cgroup,
 * user nobody; `off` runs it as the grader). It gets explicit node options
 * (never the parent's execArgv): tsx for the kit's TypeScript, the V8 heap
 * limit, and a fatal-error report that tells a V8 heap OOM from other
 * aborts. The parent adds what the child cannot be trusted with: the one
 * supervisor (supervise.ts, as the compile service's): a CPU-time limit on
 * the whole process tree, a memory watch (the cgroup's OOM count, or RSS
 * polling where there is no cgroup), a wall-clock backstop whose stop is
 * the kit's fault, never the student's; and every
 * file write: the child's report, streamed check by check over its channel,
 * is data here. A C submission is compiled first, outside the child
 * (precompile.ts); a compile error ends the run there as `load-failed`.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { chown, mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { constants } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { classify, type Outcome } from './classify.ts';
import { killTree, trackGroup } from './kill-tree.ts';
import { watchChild, type SupervisionLimits } from './supervise.ts';
import type { IsolatedMode, JobMessage } from '../child/messages.ts';
import { judgeChannel, validProgress } from './protocol.ts';
import { partialReport, remainingOf, resumedReport, type Streamed } from './partial.ts';
import { buildPlan } from '../plan/build.ts';
import { sealPlan } from '../plan/validate.ts';
import { isolatedPolicy } from '../trust/policy.ts';
import type { RunRequest } from '../plan/request.ts';
import { UsageError } from '../util/errors.ts';
import type { GradingPlan } from '../plan/types.ts';
import { prepareSandbox, type PreparedSandbox } from '../sandbox/sandbox.ts';
import { PoisonedCacheError, stageCompiledModules, stageReadable } from '../sandbox/cache-stage.ts';
import type { Protections } from '../sandbox/protections.ts';
import { NOBODY } from '../bwrap/probe.ts';
import { WORKLOADS } from '../../suites/workloads/index.ts';
import { capText } from '../util/output-cap.ts';
import { writeFileAtomic } from '../util/atomic-write.ts';
import type { GradeReport, Status, TestReport } from '../report/types.ts';
import { resolveIsolationOptions, type IsolationOptions } from './options.ts';
import { precompileFor } from './precompile.ts';
import { kitChild } from '../util/kit-entry.ts';
import { pinned } from './cpu-affinity.ts';

export interface IsolatedResult {
  spec: string;
  mode: IsolatedMode;
  outcome: Outcome;
  /** pass/fail: the student's; error: the kit's. */
  status: Status;
  /** One sentence for people: what happened. */
  detail: string;
  /** The kit's report, only when the outcome is `graded` (or `load-failed` from a report). */
  report?: TestReport | GradeReport;
  signal?: string;
  exitCode?: number;
  durationMs: number;
  /** C only: of durationMs, the time spent compiling (or finding the cached module) before the child started. */
  compileMs?: number;
  peakRssMb: number;
  /** CPU time of the child's whole process tree (node, its threads, bubblewrap), from its cgroup; absent without one. */
  cpuMs?: number;
  /** What the process printed, capped (the submission's debugging output). */
  stdout: string;
  stderr: string;
  /** What confined the child (absent in results recorded before the sandbox existed). */
  protections?: Protections;
  /** The report was built by the parent from results streamed before the child stopped; what did not run is marked `notRun`. */
  partial?: boolean;
  /** The rules it was graded by (absent when the configuration did not load, and in results recorded before plans existed). */
  plan?: GradingPlan;
}

const CHILD = kitChild(new URL('../child/child-main.ts', import.meta.url));
const WRAPPER = fileURLToPath(new URL('./limited-node.sh', import.meta.url));

export async function gradeIsolated(spec: string, options: IsolationOptions = {}): Promise<IsolatedResult> {
  const o = resolveIsolationOptions(options);
  const started = Date.now();
  const nonce = randomBytes(24).toString('base64url');
  // The child runs in another directory: paths must not depend on ours.
  const absSpec = spec.startsWith('ref:') ? spec : resolve(spec);
  const configPath = o.configPath === undefined ? undefined : resolve(o.configPath);
  // Which checks and workloads this run owes and what each is worth, from the configuration: the parent's, never the child's word.
  let plan: GradingPlan;
  try {
    plan = await buildPlan({ ...o.choices, mode: o.mode, submission: absSpec, ...(configPath !== undefined && { configFile: configPath }), sandbox: isolatedPolicy(o.sandbox, o.unconfined) });
  } catch (e) {
    // A configuration that does not load (or names an unknown check): the kit's error, named, before any child starts.
    if (!(e instanceof UsageError)) throw e;
    return { spec, mode: o.mode, outcome: 'kit-error', status: 'error', detail: e.message, durationMs: Date.now() - started, peakRssMb: 0, stdout: '', stderr: '' };
  }
  const earned: Streamed = { checks: [...(o.earned?.checks ?? [])], workloads: [...(o.earned?.workloads ?? [])] };
  const rest = remainingOf(plan, earned);
  if (o.earned && rest.checks.length === 0 && rest.workloads.length === 0) {
    // A resumed run whose journal already holds every result: nothing left to run.
    const report = resumedReport(plan, spec, earned, undefined, 0);
    return { spec, mode: o.mode, outcome: 'graded', status: report.status, detail: `graded: ${report.status}`, report, plan, durationMs: 0, peakRssMb: 0, stdout: '', stderr: '' };
  }
  // C: compiled here, outside the child's limits; the child only reads the module from the cache.
  // With the plan's compiler, for the plan's course profile (decided once, `auto` included).
  const precompiled = await precompileFor(absSpec, o.mode, plan.compiler, o.compileService, plan.profile, o.sandbox);
  if (precompiled.stop) {
    // With its plan like every graded result: which profile `auto` picked matters most beside a compile error.
    return { spec, mode: o.mode, ...precompiled.stop, plan, durationMs: Date.now() - started, compileMs: precompiled.ms, peakRssMb: 0, stdout: '', stderr: '' };
  }
  let stage: string | undefined;
  try {
    stage = precompiled.modules.length ? stageCompiledModules(precompiled.modules) : undefined;
  } catch (e) {
    if (!(e instanceof PoisonedCacheError)) throw e;
    return { spec, mode: o.mode, outcome: 'kit-error', status: 'error', detail: e.message, durationMs: Date.now() - started, peakRssMb: 0, stdout: '', stderr: '' };
  }
  const ownFiles = [absSpec, configPath].filter((p): p is string => p !== undefined && !p.startsWith('ref:') && existsSync(p));
  let sandbox: PreparedSandbox;
  // Readable copies of its own files for the sandbox user, bound at the original paths.
  const inputs = o.sandbox === 'off' ? undefined : stageReadable(ownFiles);
  try {
    sandbox = prepareSandbox({
      mode: o.sandbox,
      memoryMb: o.memoryMb,
      pidsMax: o.pidsMax,
      readOnly: inputs ? [] : ownFiles,
      ownFiles,
      hide: o.hide,
      // The assignment's own traces reach the child as data (tracesAsData), never as files it could open.
      hideFiles: plan.workloads.map((w) => w.file).filter((f) => !BUILTIN_TRACES.has(f)),
      mapped: [...(inputs?.mapped ?? []), ...(stage && o.sandbox !== 'off' ? [[stage, '/heapgrade-cache'] as [string, string]] : [])],
    });
  } catch (e) {
    if (stage) await rm(stage, { recursive: true, force: true });
    if (inputs) await rm(inputs.dir, { recursive: true, force: true });
    throw e;
  }
  const bwrapped = sandbox.protections.osSandbox === 'bubblewrap';
  try {
    return await runChild();
  } finally {
    await sandbox.close();
    if (stage) await rm(stage, { recursive: true, force: true });
    if (inputs) await rm(inputs.dir, { recursive: true, force: true });
  }

  async function runChild(): Promise<IsolatedResult> {
    const reportDir = join(sandbox.scratch, 'reports');
    await mkdir(reportDir);
    if (sandbox.protections.user === 'nobody') await chown(reportDir, NOBODY, NOBODY);
    // The child writes its HTML into its scratch folder; the parent copies it to the output folder.
    const htmlOut = o.request.html;
    const htmlInChild = htmlOut ? join(reportDir, 'report.html') : undefined;
    const request: RunRequest = { ...o.request, ...(htmlInChild && { html: htmlInChild }) };
    // The child runs what it owes: the whole plan, or (resumed) the part its journal lacks; the parent scores the whole.
    const owed = o.earned ? { ...plan, checks: plan.checks.filter((c) => rest.checks.includes(c.name)), workloads: plan.workloads.filter((w) => rest.workloads.includes(w.name)) } : plan;
    const job: JobMessage = { kind: 'job', nonce, mode: o.mode, spec: absSpec, plan: owed, seal: sealPlan(owed, nonce), request, traces: await tracesAsData(owed) };
    const nodeOptions = [
      ...CHILD.execArgv,
      `--max-old-space-size=${o.memoryMb}`,
      '--report-on-fatalerror', '--report-compact', `--report-directory=${reportDir}`,
    ];
    const command = pinned(sandbox.command(WRAPPER, [...nodeOptions, CHILD.file]), o.cpu);
    const streamed: Streamed = { checks: [], workloads: [] };
    const limits: SupervisionLimits = { cpuLimitMs: o.timeoutMs, wallBackstopMs: o.wallBackstopMs, memoryMb: o.memoryMb, pollMs: o.pollMs };
    const child = execa(command.file, command.args, {
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: sandbox.tmp,
        TMPDIR: sandbox.tmp,
        LANG: 'C.UTF-8',
        // The compile cache entries this child needs, copied and checked by the parent (cache-stage.ts).
        ...(stage ? { HEAPGRADE_CACHE_DIR: bwrapped ? '/heapgrade-cache' : stage } : {}),
        HEAPGRADE_NODE: process.execPath,
        HEAPGRADE_DATA_KB: String((o.memoryMb + o.dataHeadroomMb) * 1024),
        HEAPGRADE_CPU_S: String(Math.ceil((o.timeoutMs * 4) / 1000) + 10),
      },
      extendEnv: false,
      cwd: bwrapped ? '/' : sandbox.tmp,
      stdin: 'ignore',
      detached: true,
      ipcInput: job,
      serialization: 'json',
      // execa stops reading at maxBuffer but does not end the process group; the byte count below does,
      // a little earlier, so execa's limit is only a backstop.
      maxBuffer: o.maxOutputBytes + 1024 * 1024,
      reject: false,
    });
    const pid = child.pid;
    const untrack = pid ? trackGroup(pid) : () => {};
    const stopAll = (): void => {
      if (pid) killTree(pid);
      sandbox.cgroup?.killAll();
    };
    // Streamed results, kept as they come (a forged one spoils the channel verdict below, and is never kept).
    let nextIsReady = true;
    child.on('message', (m: unknown) => {
      if (nextIsReady) {
        nextIsReady = false;
        return;
      }
      const p = validProgress(m, nonce);
      if (!p) return;
      if (p.kind === 'check') streamed.checks.push(p.result);
      else streamed.workloads.push(p.result);
      try {
        o.onProgress?.(p);
      } catch {
        // the journal's trouble is reported by the batch, not here
      }
    });
    // The one supervisor (supervise.ts): the tree's CPU time against its limit (a cgroup's count, or /proc), memory
    // (a cgroup limits all the child's processes; without one, RSS of the tree is polled), and the wall-clock backstop.
    const watch = pid
      ? watchChild(pid, { ...limits, rss: !sandbox.cgroup, ...(sandbox.cgroup && { readCpuMs: () => sandbox.cgroup!.cpuMs() }), kill: stopAll })
      : undefined;
    let outputBytes = 0;
    const countOutput = (chunk: Buffer | string): void => {
      outputBytes += chunk.length;
      if (outputBytes > o.maxOutputBytes) watch?.stop('output');
    };
    child.stdout?.on('data', countOutput);
    child.stderr?.on('data', countOutput);
    // When the child ends (normally, or because the submission killed it), nothing it started may outlive it.
    child.once('exit', stopAll);
    const r = await child;
    const cpuMs = watch?.cpuMs();
    watch?.end();
    untrack();
    stopAll();
    const heapOutOfMemory = await hasOomReport(reportDir);
    const oomKilled = sandbox.cgroup?.oomKilled() ?? false;
    // Through a sandbox, a death by signal arrives as exit code 128 + n (bwrap reports its child's status).
    const signal = r.signal ?? (bwrapped || sandbox.cgroup ? signalOf(r.exitCode) : undefined);
    const exitCode = signal && !r.signal ? undefined : r.exitCode;

    const verdict = judgeChannel(r.ipcOutput, nonce);
    const stoppedBy = watch?.stoppedBy ?? (oomKilled ? 'memory' : r.isMaxBuffer ? 'output' : undefined);
    const classified = classify(
      {
        verdict,
        ...(stoppedBy && { stoppedBy }),
        ...(cpuMs !== undefined && { cpuMs }),
        heapOutOfMemory,
        signal,
        exitCode,
        spawnFailed: pid === undefined || (r.exitCode === 125 && r.ipcOutput.length === 0),
      },
      limits,
    );
    // A child that exhausted its process limit and then failed in any way (the kit's worker threads could not
    // start, say) failed by its own doing: the limit is the student's, like the memory limit.
    const pidsHit = sandbox.cgroup?.pidsLimitHit() ?? false;
    if (pidsHit && (classified.status === 'error' || !['graded', 'out-of-memory', 'timeout'].includes(classified.outcome))) {
      Object.assign(classified, { outcome: 'process-limit', status: 'fail', detail: `started more processes and threads than the limit (${o.pidsMax}); ${classified.detail}` });
    }
    // Stopped before its final report: keep what it earned, mark the rest as not run (never for the kit's own errors).
    let report = classified.report;
    let partial = false;
    // A forged channel spoils everything that came over it, streamed results included.
    // A finished child is never partial, resumed or not (a resumed child's failing report is still a finished run).
    if (classified.status === 'fail' && classified.outcome !== 'graded' && classified.outcome !== 'tampered' && verdict.kind !== 'forged' && (!report || o.earned)) {
      const all = { checks: [...earned.checks, ...streamed.checks], workloads: [...earned.workloads, ...streamed.workloads] };
      if (all.checks.length + all.workloads.length > 0 && classified.outcome !== 'load-failed') {
        report = partialReport(plan, spec, all, classified.detail, Date.now() - started);
        partial = true;
      }
    } else if (o.earned && report && classified.outcome === 'graded') {
      // A resumed run: what the journal had, then what this child added, scored as one run (its status is the whole run's).
      report = resumedReport(plan, spec, earned, report, Date.now() - started);
      classified.status = report.status;
      classified.detail = `graded: ${report.status}`;
    }
    if (htmlOut && htmlInChild && classified.outcome === 'graded') await copyHtml(htmlInChild, htmlOut);
    const status = partial ? 'fail' : classified.status;
    return {
      spec,
      mode: o.mode,
      ...classified,
      status,
      ...(report ? { report } : {}),
      ...(partial ? { partial: true } : {}),
      plan,
      signal,
      exitCode,
      durationMs: Date.now() - started,
      ...(precompiled.ms > 0 ? { compileMs: precompiled.ms } : {}),
      peakRssMb: Math.round((sandbox.cgroup?.peakKb() || watch?.peakKb || 0) / 1024),
      ...cpuOf(sandbox.cgroup?.cpuMs()),
      stdout: capText(String(r.stdout ?? ''), o.keepOutputChars, o.keepOutputLines),
      stderr: capText(String(r.stderr ?? ''), o.keepOutputChars, o.keepOutputLines),
      protections: sandbox.protections,
    };
  }
}

const BUILTIN_TRACES = new Set(WORKLOADS.map((w) => w.file));

/** The configuration's own trace files (not the kit's built-in ones), read here and sent as data. */
async function tracesAsData(plan: GradingPlan): Promise<Record<string, string> | undefined> {
  const own = plan.workloads.filter((w) => !BUILTIN_TRACES.has(w.file));
  if (own.length === 0) return undefined;
  const out: Record<string, string> = {};
  for (const w of own) {
    try {
      out[w.file] = await readFile(w.file, 'utf8');
    } catch {
      // Not on this machine (a student's copy of the configuration): the child reports it as it always did.
    }
  }
  return out;
}

const HTML_CAP = 64 * 1024 * 1024;

/** The child's HTML report, written to its place by the parent (the child cannot reach the output folder). */
async function copyHtml(from: string, to: string): Promise<void> {
  try {
    if (statSync(from).size > HTML_CAP) return;
    await writeFileAtomic(to, await readFile(from));
  } catch {
    // No report (the child stopped before writing it, or it was too big): the batch's JSON and text still say everything.
  }
}

const cpuOf = (ms: number | undefined): { cpuMs?: number } => (ms === undefined ? {} : { cpuMs: Math.round(ms) });

function signalOf(code: number | undefined): string | undefined {
  if (code === undefined || code <= 128 || code >= 160) return undefined;
  return Object.entries(constants.signals).find(([, n]) => n === code - 128)?.[0];
}

/** Node's fatal-error report, when V8 ran out of heap, names the trigger OOMError. */
async function hasOomReport(dir: string): Promise<boolean> {
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    try {
      const report = JSON.parse(await readFile(join(dir, name), 'utf8')) as { header?: { trigger?: string } };
      if (report.header?.trigger === 'OOMError') return true;
    } catch {
      // A half-written report (the process died while writing it) proves nothing.
    }
  }
  return false;
}

