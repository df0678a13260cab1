/**
 * `heapgrade grade`: correctness checks (in workers, with timeouts), then
 * every workload of the configuration (utilization under the checker, speed
 * against the reference), then the total out of 100.
 */
import { configForSubmission } from '../config/for-submission.ts';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { resolveCheckerOptions } from '../checker/options.ts';
import type { Config } from '../config/types.ts';
import type { PlannedWorkload } from '../config/workloads.ts';
import type { LoadedSubmission } from '../contract/instance.ts';
import { loadSubmission } from '../loader/load.ts';
import { preparedBundle } from '../loader/prepare.ts';
import { cSubmissionTarget } from '../loader/c-targets.ts';
import { warmWorkloads } from './warm.ts';
import { RESULT_VERSION, type CheckResult, type GradeReport, type RunProgress, type Status, type WorkloadResult } from '../report/types.ts';
import { runTests } from '../runner/run-tests.ts';
import { HeapgradeError, UsageError, toError } from '../util/errors.ts';
import { writeHtmlReport, type HtmlReportData } from '../visual/html/report.ts';
import { recordTimeline } from '../visual/timeline.ts';
import { hasTrace, readTraceFile } from '../trace/parse.ts';
import { IsolatedReplayer } from '../runner/isolated-replayer.ts';
import type { WatchedWorker } from '../runner/watched-worker.ts';
import { BackstopError } from '../runner/timeouts.ts';
import { redactHidden, withoutHidden } from './redact.ts';
import { ReplayGate } from './replay-gate.ts';
import { checkerFromConfig, KNOWN_NAMES } from '../config/test-options.ts';
import { testOptionsFromPlan } from '../plan/test-options.ts';
import { gradeWorkload } from './workload.ts';
import { workloadOrder } from './workload-order.ts';
import { emptyWorkloadResult, score } from '../plan/score.ts';
import { buildPlan, planFromConfig } from '../plan/build.ts';
import type { GradingPlan } from '../plan/types.ts';
import { CONFINED_IN_PROCESS } from '../trust/policy.ts';
import { runPool, valuesOf } from '../pool/pool.ts';

export interface GradeOptions {
  /** The plan to grade by (a command's, from `buildPlan`); otherwise one is made from `config` or `configPath` and the options below. */
  plan?: GradingPlan;
  /** A resolved configuration; otherwise `configPath`, or heapgrade.config.* in the working directory, or the defaults. */
  config?: Config;
  /** Where the configuration's relative trace paths start, with `config`. @default the working directory */
  configDir?: string;
  configPath?: string;
  /** Only these workloads (by name). */
  workloads?: string[];
  /** Show hidden workloads' names and details (for TAs). @default false */
  showHidden?: boolean;
  /** Skip the correctness checks (for benchmarks of the performance part). @default false */
  skipChecks?: boolean;
  /** Instance seed for every replay. @default 1 */
  seed?: number;
  /** Called as each correctness check finishes (the isolated child streams it to the parent). */
  onCheck?: (result: CheckResult) => void;
  /** Only these correctness checks (a resumed batch runs the ones its journal lacks). @default all */
  checks?: string[];
  /** Called while the checks' phase runs (the C compile first, from its first second), for progress output. */
  onProgress?: (progress: RunProgress) => void;
  /** Called as each workload is graded, for progress output. */
  onWorkload?: (result: WorkloadResult) => void;
  /** Also write the report as a self-contained HTML page here. */
  html?: string;
  /**
   * With `html`: the page is a copy handed to the student (batch
   * `students/<id>.html`), so hidden workloads are left out of it whole,
   * even when `showHidden` keeps them in the report (the batch's staff
   * record). @default false
   */
  htmlForStudent?: boolean;
  /** The course profile (a name, `auto`, or a profile file), overriding the configuration's `profile`. */
  profile?: string;
  /** The allocator speed is measured against (e.g. `ref:dlmalloc`). @default ref:reference-c for C, ref:reference for TypeScript */
  vs?: string;
  /**
   * Worker threads: the checks run on up to this many (at most 2 by default),
   * then the workloads' checked replays on up to this many at once. A batch
   * sets it to its share of the cores. @default the number of cores
   */
  jobs?: number;
  /**
   * Trusted callers only: tests of the OS sandbox, which must attack it with
   * unconfined code. `false` loads a TypeScript submission without the SES
   * compartment, in the child's checks and replays alike. Never from a
   * submission, its configuration file or the command line. @default true
   */
  confine?: boolean;
}

/** The allocator a submission's speed is compared with: the C reference for C, when it exists. */
async function loadReferenceFor(submission: Pick<LoadedSubmission, 'language'>, vs: string | undefined): Promise<LoadedSubmission> {
  // Always confined: the allocator compared with is the kit's (or a TA's `vs`), never the submission.
  if (vs) return loadSubmission(vs);
  if (submission.language === 'c') {
    try {
      return await loadSubmission('ref:reference-c');
    } catch {
      // No C reference yet: compare with the TypeScript one.
    }
  }
  return loadSubmission('ref:reference');
}

/** `{ confine: false }` when the plan's policy says so (a trusted caller's), else nothing: every load of the submission in one grade follows it. */
function unconfined(plan: GradingPlan): { confine?: false } {
  return plan.sandbox.confine ? {} : { confine: false };
}

export async function gradeSubmission(spec: string, options: GradeOptions = {}): Promise<GradeReport> {
  const plan = await gradePlan(spec, options);
  const report = await grade(spec, options, plan);
  if (options.html) {
    // A page for the student has no hidden workload in it, so none gets a timeline either.
    const page = options.htmlForStudent ? withoutHidden(report) : report;
    await writeHtmlReport(options.html, { title: `heapgrade grade ${spec}`, report: page, timelines: await timelinesFor(spec, page, options, plan) });
  }
  return report;
}

/**
 * What this grade owes and by which rules, as a GradingPlan: from the
 * configuration file with `buildPlan` (the parent's one builder: `profile:
 * auto` decided here, from the submission's own sources), or, given a
 * resolved configuration (the grading child's, from its sealed plan), from
 * that with `planFromConfig`. The selection (checks, workloads) is the
 * options'; the total and status are then `score(plan, results)`'s.
 */
async function gradePlan(spec: string, options: GradeOptions): Promise<GradingPlan> {
  if (options.plan) return options.plan;
  const selection = {
    mode: 'grade' as const,
    submission: spec,
    ...(options.checks && { checks: options.checks }),
    ...(options.workloads && { workloads: options.workloads }),
    skipChecks: options.skipChecks === true,
    ...(options.seed !== undefined && { seed: options.seed }),
    sandbox: { ...CONFINED_IN_PROCESS, confine: options.confine !== false },
  };
  if (!options.config) return buildPlan({ ...selection, ...(options.configPath !== undefined && { configFile: options.configPath }), ...(options.profile !== undefined && { profile: options.profile }) });
  const given = { config: options.config, dir: options.configDir ?? process.cwd(), input: options.config };
  const { config, detection } = await configForSubmission(given, options.profile, spec, KNOWN_NAMES);
  return planFromConfig({ ...selection, config, configFile: null, configDir: given.dir, ...(detection && { detection }) });
}

/**
 * The heap over time for each workload that ran to its end or to a
 * violation (never one that timed out: recording replays on this thread).
 * Hidden workloads only for TAs.
 */
async function timelinesFor(spec: string, report: Pick<GradeReport, 'error' | 'workloads'>, options: GradeOptions, plan: GradingPlan): Promise<HtmlReportData['timelines']> {
  if (report.error) return [];
  const submission = await loadSubmission(spec, { profile: plan.config.profile, compiler: plan.compiler, ...unconfined(plan) });
  const checker = resolveCheckerOptions(checkerFromConfig(plan.config));
  const out: HtmlReportData['timelines'] = [];
  for (const w of plan.workloads) {
    const result = report.workloads.find((r) => r.name === w.name);
    if (!result || (w.hidden && !options.showHidden) || result.status === 'skipped' || result.status === 'error') continue;
    if (result.violations.some((v) => v.kind === 'timeout')) continue;
    const trace = await readTraceFile(w.file, { reading: plan.traceReading });
    const timeline = recordTimeline(submission, trace, { seed: plan.seed, limit: w.limit ?? plan.config.heapLimit, checker });
    out.push({ name: w.name, timeline, violation: result.violations[0] });
  }
  return out;
}

async function grade(spec: string, options: GradeOptions, gradingPlan: GradingPlan): Promise<GradeReport> {
  const started = Date.now();
  const config = gradingPlan.config;
  const plan = gradingPlan.workloads;
  const seed = gradingPlan.seed;
  const checker = resolveCheckerOptions({ ...checkerFromConfig(config), checkHeap: gradingPlan.checkHeap });

  // Bundled once (TypeScript), for the checks, the load below and every workload lane.
  const bundle = await preparedBundle(spec, unconfined(gradingPlan));
  // The check workers still loaded when the checks are done become the workload lanes' first workers (handed over
  // in IsolatedReplayer): the same submission loaded the same way, so no thread starts and loads it again.
  // C only: a check worker's JavaScript heap is capped at 2 GiB (check-lanes.ts), a trace worker's is Node's
  // default (4 GiB on a large machine), and a TypeScript allocator's blocks live in that heap, so its workloads
  // could fail on a handed worker where they passed before; a C allocator's heap is its wasm memory.
  const language = cSubmissionTarget(spec) === undefined ? 'ts' : 'c';
  let checkWorkers: WatchedWorker[] = [];
  const keepWorkers =
    language === 'c'
      ? (workers: WatchedWorker[]): void => {
          checkWorkers = workers;
        }
      : undefined;
  // The warm-up below waits for the check workers to start: parsed on this thread before them, the traces
  // delayed the threads the checks wait for (each step of the compile-cache check and the workers' start
  // queued behind a trace's parse).
  let workersStarted!: () => void;
  const checksStarted = new Promise<void>((resolve) => (workersStarted = resolve));
  // The checks the plan owes (none: a grade of the performance part alone, or a resumed run whose journal has them all).
  const testsRun =
    gradingPlan.checks.length === 0
      ? undefined
      : runTests(spec, testOptionsFromPlan(gradingPlan, { jobs: options.jobs, onResult: options.onCheck, onProgress: options.onProgress, keepWorkers, onWorkersStarted: workersStarted, ...(bundle && { bundle }) }));
  // Ended before any worker started (a compile error, a load failure): nothing waits on the warm-up then, but it is not left waiting.
  if (testsRun) void testsRun.finally(workersStarted).catch(() => {});
  else workersStarted();
  // While the checks run in their workers, this thread parses the traces and meters the reference on them.
  const warm = warmWorkloads(plan, { seed, heapLimit: config.heapLimit, reading: gradingPlan.traceReading, reference: () => loadReferenceFor({ language }, options.vs), after: checksStarted });
  // Whatever way the grade ends, the warm-up stops with it.
  try {
    const tests = testsRun ? await testsRun : { status: 'pass' as Status, checks: [], error: undefined };
    const report = (fields: Partial<GradeReport>): GradeReport => {
      const r: GradeReport = {
        version: RESULT_VERSION,
        kind: 'grade',
        submission: spec,
        status: 'fail',
        checks: tests.checks,
        ...('heapCheck' in tests && tests.heapCheck ? { heapCheck: tests.heapCheck } : {}),
        score: 0,
        correctness: { points: 0, maxPoints: 0 },
        workloads: [],
        breakdown: { correctness: 0, utilization: 0, throughput: 0 },
        durationMs: Date.now() - started,
        ...fields,
      };
      return options.showHidden ? r : redactHidden(r);
    };
    if (tests.error !== undefined) return report({ status: tests.status, error: tests.error });

    let submission: LoadedSubmission;
    let reference: LoadedSubmission;
    try {
      submission = await loadSubmission(spec, { profile: config.profile, compiler: gradingPlan.compiler, ...unconfined(gradingPlan), ...(bundle && { bundle }) });
      // The warm-up's reference when it guessed the language right (a built-in C allocator is named ref:, not .c).
      reference = (submission.language === language ? await warm.reference : undefined) ?? (await loadReferenceFor(submission, options.vs));
    } catch (e) {
      if (e instanceof HeapgradeError) return report({ status: e instanceof UsageError ? 'error' : 'fail', error: e.message });
      throw e;
    }

    // The workloads run side by side, one watched worker per lane (their checked
    // replays are what costs), never while one is being timed (replay-gate.ts),
    // the largest first (workload-order.ts); results keep the configuration's
    // order. The first lane to throw stops the others at their next workload,
    // and the grade throws it.
    const replayers: IsolatedReplayer[] = [];
    const gate = new ReplayGate();
    const lanes = await runPool(plan, {
      lanes: options.jobs ?? availableParallelism(),
      order: workloadOrder(plan),
      stopOnError: true,
      run: async (w, { lane }) => {
        // Loaded as the checks loaded it (testOptionsFromPlan: the plan's compiler, profile, confinement; the one bundle).
        const replayer = (replayers[lane] ??= new IsolatedReplayer(spec, {
          callTimeoutMs: config.callTimeoutMs,
          compiler: gradingPlan.compiler,
          profile: gradingPlan.profile,
          ...unconfined(gradingPlan),
          ...(bundle && { bundle }),
          ...(checkWorkers.length > 0 && { worker: checkWorkers.shift()! }),
        }));
        const result = await gradeOne(w, { submission, reference, config, checker, seed, replayer: gate.lane(replayer), warm, reading: gradingPlan.traceReading });
        // A hidden workload's tables (calls, sizes) would tell its trace: not streamed to a student's view.
        options.onWorkload?.(options.showHidden || !result.hidden ? result : { ...result, name: 'hidden', description: '', offHeap: undefined });
        return result;
      },
      onLaneEnd: (lane) => replayers[lane]?.close(),
    });
    const slots = valuesOf(lanes);

    // Points, the off-heap forfeit, the totals and the status: the one score, as every other front end's.
    const scored = score(gradingPlan, { checks: tests.checks, workloads: slots });
    return report({
      status: scored.status,
      checks: scored.checks,
      score: scored.score,
      correctness: scored.correctness,
      workloads: scored.workloads,
      speedReference: reference.spec,
      breakdown: scored.breakdown,
    });
  } finally {
    warm.stop();
    // Check workers no lane took (fewer lanes, or the grade ended before its workloads).
    for (const w of checkWorkers.splice(0)) void w.terminate();
  }
}

async function gradeOne(w: PlannedWorkload, ctx: Parameters<typeof gradeWorkload>[1]): Promise<WorkloadResult> {
  if (w.hidden && !existsSync(w.file) && !hasTrace(w.file)) {
    return blank(w, 'skipped', 'a hidden workload whose trace is not available here (it is run when grades are made)');
  }
  let result: WorkloadResult;
  try {
    result = await gradeWorkload(w, ctx);
  } catch (e) {
    if (e instanceof UsageError) throw e; // a missing or malformed trace file: the configuration's to fix
    if (e instanceof BackstopError) return blank(w, 'error', e.message);
    return blank(w, 'error', `the kit failed on this workload: ${toError(e).message}`);
  }
  // Its utilization and speed scores are set by `score`, with the others'.
  return result;
}

function blank(w: PlannedWorkload, status: WorkloadResult['status'], reason: string): WorkloadResult {
  return { ...emptyWorkloadResult(w), status, reason };
}
