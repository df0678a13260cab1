/**
 * Grades one submission in its own child process (`execaNode` through
 * limited-node.sh) and classifies what happened. The child gets explicit
 * node options (never the parent's execArgv): tsx for the kit's TypeScript,
 * the V8 heap limit, and a fatal-error report that tells a V8 heap OOM from
 * other aborts. The parent adds what execa lacks: a wall-clock limit that
 * kills the whole process group, and an RSS watchdog for memory the V8 flag
 * does not see (ArrayBuffers, WebAssembly). A C submission is compiled
 * first, outside the child's limits (precompile.ts); a compile error ends the
 * run there as `load-failed` with the compiler's message.
 */
import { loadConfig } from '../config/load.ts';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execaNode } from 'execa';
import { classify, type Outcome } from './classify.ts';
import { killTree, trackGroup } from './kill-tree.ts';
import { watchMemory } from './memory-watch.ts';
import { judgeChannel, type IsolatedMode, type JobMessage } from './protocol.ts';
import { capOutput } from './cap-output.ts';
import type { GradeReport, Status, TestReport } from '../report/types.ts';
import { resolveIsolationOptions, type IsolationOptions } from './options.ts';
import { precompileFor } from './precompile.ts';
import { cacheDir } from '../wasm/cache.ts';
import { kitChild } from '../util/kit-entry.ts';

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
  /** What the process printed, capped (the submission's debugging output). */
  stdout: string;
  stderr: string;
}

const CHILD = kitChild(new URL('./child-main.ts', import.meta.url));
const WRAPPER = fileURLToPath(new URL('./limited-node.sh', import.meta.url));

export async function gradeIsolated(spec: string, options: IsolationOptions = {}): Promise<IsolatedResult> {
  const o = resolveIsolationOptions(options);
  const started = Date.now();
  const nonce = randomBytes(24).toString('base64url');
  // The child runs in another directory: paths must not depend on ours.
  const absSpec = spec.startsWith('ref:') ? spec : resolve(spec);
  const configPath = o.configPath === undefined ? undefined : resolve(o.configPath);
  // C: compiled here, outside the child's limits; the child only reads the module from the cache.
  const compiler = o.mode === 'test' && typeof o.gradeOptions.compiler === 'string' ? o.gradeOptions.compiler : undefined;
  // The course profile the child compiles with (grade options' `profile`; a configuration's `profile` is read by the child).
  const profile = typeof o.gradeOptions.profile === 'string' ? o.gradeOptions.profile : configPath === undefined ? undefined : await configProfile(configPath);
  const precompiled = await precompileFor(absSpec, o.mode, compiler, o.compileService, profile);
  if (precompiled.stop) {
    return { spec, mode: o.mode, ...precompiled.stop, durationMs: Date.now() - started, compileMs: precompiled.ms, peakRssMb: 0, stdout: '', stderr: '' };
  }
  const reportDir = await mkdtemp(join(tmpdir(), 'heapgrade-run-'));
  const job: JobMessage = { kind: 'job', nonce, mode: o.mode, spec: absSpec, configPath, options: o.gradeOptions };
  const child = execaNode(CHILD.file, [], {
    nodePath: WRAPPER,
    nodeOptions: [
      ...CHILD.execArgv,
      `--max-old-space-size=${o.memoryMb}`,
      '--report-on-fatalerror', '--report-compact', `--report-directory=${reportDir}`,
    ],
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: process.env.HOME ?? reportDir,
      TMPDIR: tmpdir(),
      LANG: 'C.UTF-8',
      // Where precompileFor left the C modules (the parent's $HEAPGRADE_CACHE_DIR, else the default).
      HEAPGRADE_CACHE_DIR: cacheDir(),
      HEAPGRADE_NODE: process.execPath,
      HEAPGRADE_DATA_KB: String((o.memoryMb + o.dataHeadroomMb) * 1024),
      HEAPGRADE_CPU_S: String(Math.ceil((o.timeoutMs * 4) / 1000) + 10),
    },
    extendEnv: false,
    cwd: o.cwd,
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
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    if (pid) killTree(pid);
  }, o.timeoutMs);
  const memory = pid ? watchMemory(pid, o.memoryMb * 1024, o.pollMs, () => killTree(pid)) : undefined;
  let outputBytes = 0;
  let outputExceeded = false;
  const countOutput = (chunk: Buffer | string): void => {
    outputBytes += chunk.length;
    if (!outputExceeded && outputBytes > o.maxOutputBytes) {
      outputExceeded = true;
      if (pid) killTree(pid);
    }
  };
  child.stdout?.on('data', countOutput);
  child.stderr?.on('data', countOutput);
  // When the shell ends (normally, or because the submission killed it), nothing in its group may outlive it.
  child.once('exit', () => {
    if (pid) killTree(pid);
  });
  const r = await child;
  clearTimeout(timer);
  memory?.stop();
  untrack();
  const heapOutOfMemory = await hasOomReport(reportDir);
  await rm(reportDir, { recursive: true, force: true });

  const classified = classify(
    {
      verdict: judgeChannel(r.ipcOutput, nonce),
      timedOut,
      memoryExceeded: memory?.exceeded ?? false,
      heapOutOfMemory,
      isMaxBuffer: r.isMaxBuffer || outputExceeded,
      signal: r.signal,
      exitCode: r.exitCode,
      spawnFailed: pid === undefined,
    },
    { timeoutMs: o.timeoutMs, memoryMb: o.memoryMb },
  );
  return {
    spec,
    mode: o.mode,
    ...classified,
    signal: r.signal,
    exitCode: r.exitCode,
    durationMs: Date.now() - started,
    ...(precompiled.ms > 0 ? { compileMs: precompiled.ms } : {}),
    peakRssMb: Math.round((memory?.peakKb ?? 0) / 1024),
    stdout: capOutput(String(r.stdout ?? ''), o.keepOutputLines, o.keepOutputChars),
    stderr: capOutput(String(r.stderr ?? ''), o.keepOutputLines, o.keepOutputChars),
  };
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

/** The configuration's `profile`, for the compile; a configuration that does not load is the child's to report. */
async function configProfile(configPath: string): Promise<string | undefined> {
  try {
    return (await loadConfig(configPath)).config.profile;
  } catch {
    return undefined;
  }
}
