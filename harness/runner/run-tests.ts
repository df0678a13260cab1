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
import type { WorkerInit } from './protocol.ts';
import { saveRepros } from '../replay/repro-files.ts';
import { pointCheck } from '../report/check-points.ts';
import { DEFAULT_CALL_TIMEOUT_MS, LOAD_TIMEOUT_MS } from './timeouts.ts';
import { DEFAULT_PROPERTY_SEARCH } from '../property/defaults.ts';
import { C_REFERENCE_SPEC, cSubmissionTarget } from '../loader/c-targets.ts';
import { preparedBundle } from '../loader/prepare.ts';
import type { ConfinedBundle } from '../confine/compartment.ts';
import { checkSeed } from './check-ops.ts';
import { chargeOnce } from '../report/one-charge.ts';
import { withOffHeapFindings } from '../report/off-heap-findings.ts';
import { existsSync, readdirSync } from 'node:fs';
import { basename } from 'node:path';
import { cacheDir } from '../wasm/cache.ts';
import { startKitWorker } from '../util/kit-entry.ts';
import type { CompileDone, CompileJob } from './compile-worker.ts';
import { errorResult, runCheckLanes } from './check-lanes.ts';
import type { WatchedWorker } from './watched-worker.ts';

export interface TestOptions {
  checker?: Partial<CheckerOptions>;
  /** Heap limit in bytes. @default 64 MiB */
  limit?: number;
  /** Wall-clock backstop: a call that makes no progress for this long is a timeout (the step budget is the real limit). @default 30000 */
  callTimeoutMs?: number;
  /**
   * Wall-clock backstop of a whole check (its limit is its calls' step budgets): a check it stops is run once more,
   * and a second stop is the kit's error, never the student's fail. @default 60000
   */
  checkTimeoutMs?: number;
  /** Wall-clock backstop of loading (its limits are step budgets and the compile's CPU time); trusted callers and tests only. @default LOAD_TIMEOUT_MS */
  loadTimeoutMs?: number;
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
  /** Trusted callers only (grade): the check workers still loaded when every check has run, handed over instead of terminated (check-lanes.ts). */
  keepWorkers?: (workers: WatchedWorker[]) => void;
  /** Called once the check workers' threads are created (after the C compile): grade starts its own preparations then, not before. */
  onWorkersStarted?: () => void;
  /** C only: the course profile the submission is compiled for (a name or a profile file). @default 'heapgrade' */
  profile?: string;
  /** Checks the profile's handout does not require, with why: reported as beyond the handout, never failed. */
  beyond?: Record<string, string>;
}

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
  // C compiles here, once, before the workers start: they read the module
  // from the compile cache instead of each compiling the same file.
  const compileError = await compileCFirst(spec, options.compiler, options.profile, options.onProgress && ((p) => options.onProgress!({ ...p, total: names.length })));
  if (compileError !== undefined) {
    return { version: RESULT_VERSION, kind: 'test', submission: spec, status: 'fail', checks: [], error: compileError, durationMs: Date.now() - started };
  }
  // TypeScript is bundled here once, likewise, and handed to every worker (and to any that replaces one).
  const bundle = options.bundle ?? (await preparedBundle(spec, options));
  const outcome = await runCheckLanes(bundle ? { ...init, bundle } : init, names, {
    jobs: options.jobs ?? Math.min(2, availableParallelism()),
    callTimeoutMs: options.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS,
    checkTimeoutMs: options.checkTimeoutMs ?? 60_000,
    loadTimeoutMs: options.loadTimeoutMs ?? LOAD_TIMEOUT_MS,
    ...(options.onResult && { onResult: options.onResult }),
    ...(options.onProgress && { onProgress: options.onProgress }),
    ...(options.keepWorkers && { keepWorkers: options.keepWorkers }),
    ...(options.onWorkersStarted && { onStarted: options.onWorkersStarted }),
  });
  const notes = outcome.notes ? { notes: outcome.notes } : {};
  // Tables any check's instances made outside the heap: the off-heap-metadata verdict, as score decides it (off-heap-findings.ts).
  const ran = withOffHeapFindings(outcome.results.map((r, i) => r ?? errorResult(names[i]!, 'the check did not run')));
  const raw = ran.map((res) => {
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
  if (outcome.kitError) {
    // Loading stopped twice by the wall clock: the kit's error, no check ran.
    return { version: RESULT_VERSION, kind: 'test', submission: spec, status: 'error', checks: [], error: outcome.kitError, ...notes, durationMs: Date.now() - started };
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
