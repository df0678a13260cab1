/**
 * `heapgrade batch DIR`: grades every submission of a folder, each in its own
 * limited child process, `jobs` at a time. Every finished submission goes to
 * the journal before anything else happens, so a batch killed at any point
 * resumes (`resume: true`) without losing or repeating a graded submission.
 * The gradebook and per-student files are written from the journal at the end.
 */
import { existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { cpuForLane } from '../isolation/cpu-affinity.ts';
import { join, resolve } from 'node:path';
import { configFileFor } from '../config/load.ts';
import { configTraces } from '../config/trace-files.ts';
import { CompileService } from '../isolation/compile-service.ts';
import { gradeIsolated, type IsolatedResult } from '../isolation/run-isolated.ts';
import type { IsolatedMode } from '../child/messages.ts';
import type { Streamed } from '../isolation/partial.ts';
import type { SandboxMode } from '../bwrap/probe.ts';
import type { UnconfinedForTests } from '../trust/policy.ts';
import { checkSandboxAvailable } from '../sandbox/sandbox.ts';
import type { Status } from '../report/types.ts';
import { toError, UsageError } from '../util/errors.ts';
import { discoverSubmissions, type BatchEntry } from './discover.ts';
import { checkResumable, JOURNAL_VERSION, JournalWriter, readJournal, type JournalEntry, type JournalHeader } from './journal.ts';
import { BatchProgress, type ProgressSink } from './progress.ts';
import { writeCoursePage, type CoursePageRequest } from './course-page.ts';
import { readBatchFolder } from './batch-folder.ts';
import { MANIFEST_FILE, nextManifest, readManifest } from './manifest.ts';
import { writeBatchOutputs } from './outputs.ts';
import { selectShard, type Shard } from './shard.ts';
import { earned } from '../report/earned.ts';
import { runPool } from '../pool/pool.ts';
import type { PlanChoices } from '../plan/build.ts';

export interface BatchOptions {
  dir: string;
  /** Output folder. @default `<dir>-results` next to DIR */
  out?: string;
  configPath?: string;
  /** @default 'grade' */
  mode?: IsolatedMode;
  /** Lanes (cores) the batch runs on: submissions graded at once, one lane each; a child with lanes to spare uses them. @default the number of cores */
  jobs?: number;
  /** CPU time per submission (its whole process tree), ms; the wall clock is only a far backstop (isolation/options.ts). @default 300000 */
  timeoutMs?: number;
  /** Per submission, MiB. @default 1024 */
  memoryMb?: number;
  /** Continue the journal in `out`, skipping what it already has. */
  resume?: boolean;
  /** Delete an existing journal in `out` and start over. */
  fresh?: boolean;
  /** With `resume`: grade again the submissions whose result was a kit error. */
  retryErrors?: boolean;
  shard?: Shard;
  /** What the batch chooses of every submission's plan (profile, checks or workloads, seed, checker flags): the same for each. */
  choices?: PlanChoices;
  /** Wall-clock backstop of shrinking a failure, ms (tests keep it short: it sets a repro's length, never a verdict). */
  shrinkMs?: number;
  /** Where progress goes. @default process.stderr */
  progress?: ProgressSink;
  /** Write the course page `<out>/index.html` (course-page.ts) and, in grade mode, each student's HTML report (heap over time per workload) to `<out>/students/<id>.html`. */
  html?: boolean;
  /** With `html`: what the course page compares against and where it draws the pass line. */
  coursePage?: CoursePageRequest;
  /** Compiles the C submissions (left running). @default one started for this batch and closed at its end */
  compileService?: CompileService;
  /** The OS sandbox of every child (harness/sandbox). @default 'required' on Linux, 'auto' elsewhere */
  sandbox?: SandboxMode;
  /** Tests of the OS sandbox only (harness/trust): load each TypeScript submission without its compartment. */
  unconfined?: UnconfinedForTests;
}

export interface BatchSummary {
  out: string;
  gradebook: string;
  /** Submissions in this batch (or shard). */
  total: number;
  /** Graded by this run (the rest came from the journal). */
  graded: number;
  counts: Record<Status, number>;
  /** The course page, when `html` asked for it. */
  coursePage?: string;
}

export async function runBatch(options: BatchOptions): Promise<BatchSummary> {
  const mode = options.mode ?? 'grade';
  const all = await discoverSubmissions(options.dir);
  const mine = selectShard(all, options.shard);
  const out = resolve(options.out ?? `${resolve(options.dir)}-results`);
  // The child runs elsewhere: the configuration is found here, and passed as an absolute path.
  const configPath = configFileFor(options.configPath);
  // A hidden trace missing here would be skipped for every student (as on a student's machine): refuse instead.
  if (configPath !== undefined) await configTraces(configPath);
  // A wrong --compare-to is refused now, not after the whole batch has run.
  if (options.html && options.coursePage?.compareTo !== undefined) readBatchFolder(options.coursePage.compareTo);
  await mkdir(join(out, 'students'), { recursive: true });

  const journalPath = join(out, 'journal.jsonl');
  if (existsSync(journalPath) && !options.resume) {
    if (!options.fresh) {
      throw new UsageError(`${journalPath} exists from an earlier batch. Pass --resume to continue it, or --fresh to start over.`);
    }
    await rm(journalPath);
    await rm(join(out, MANIFEST_FILE), { force: true });
  }
  // Refuses (before grading) a folder holding another configuration's, kit's or shard count's results.
  const before = options.resume ? readManifest(out) : undefined;
  const manifest = nextManifest(out, { mode, configPath, roster: all.map((e) => e.id), shard: options.shard, ids: mine.map((e) => e.id) });
  const header: JournalHeader = { journal: JOURNAL_VERSION, mode, config: configPath ?? null, startedAt: new Date().toISOString() };
  const previous = readJournal(journalPath);
  checkResumable(journalPath, previous.header, header);
  // After the configuration's and the output folder's own problems, which are named whatever the machine; before any grading.
  checkSandboxAvailable(options.sandbox ?? defaultSandbox());
  const entries = previous.entries;
  const todo = mine.filter((e) => {
    const done = entries.get(e.id);
    return !done || (options.retryErrors === true && done.result.status === 'error');
  });

  // Submissions that arrived after the folder was last graded in full: graded now, and said.
  const late = before && before.shard === null ? mine.filter((e) => !before.ids.includes(e.id)).map((e) => e.id) : [];
  if (late.length) (options.progress ?? process.stderr).write(`resuming: ${late.length} late submission${late.length === 1 ? '' : 's'} added: ${late.join(', ')}\n`);
  const journal = new JournalWriter(journalPath, previous.header ? undefined : header);
  const progress = new BatchProgress(todo.length, mine.length - todo.length, options.progress ?? process.stderr);
  // One compiler process for the whole batch: C submissions are compiled there, one at a time, before their child starts.
  const compileService = options.compileService ?? new CompileService({ sandbox: options.sandbox ?? defaultSandbox() });
  try {
    const jobs = options.jobs ?? availableParallelism();
    // Worker threads held by the children grading now: `--jobs` is the lanes of the whole batch (workerLanes).
    let inUse = 0;
    const graded = await runPool(todo, {
      lanes: jobs,
      run: async (entry, { lane, waiting }) => {
        // Decided as the submission starts, before any await, from what the others hold at that moment.
        const threads = workerLanes(jobs, inUse, waiting);
        inUse += threads;
        try {
          progress.begin(entry.id);
          // A one-lane child runs on its lane's CPU only, so its V8 threads do not spill onto the other lanes' cores.
          const cpu = threads === 1 ? cpuForLane(lane) : undefined;
          const result = await gradeOne(entry, mode, configPath, { ...options, out }, compileService, journal, previous.progress.get(entry.id), { lanes: threads, cpu });
          const record: JournalEntry = { id: entry.id, finishedAt: new Date().toISOString(), result };
          journal.record(record);
          entries.set(entry.id, record);
          const score = result.report && result.status !== 'error' ? earned(result.report).points : undefined;
          progress.finished(entry.id, result.status, result.outcome, score, result.durationMs);
        } finally {
          inUse -= threads;
        }
      },
      // A failure of the batch's own (the journal cannot be written; a submission's failure is its result) starts nothing more.
      stopOnError: true,
    });
    if (graded.firstFailure) throw graded.firstFailure.error;
  } finally {
    if (!options.compileService) compileService.close();
    journal.close();
  }
  progress.end();

  // Every row the folder holds (all shards graded into it, not only this run's), in id order.
  const held = all.map((e) => entries.get(e.id)).filter((e): e is JournalEntry => e !== undefined);
  const gradebook = await writeBatchOutputs(out, held, { ...manifest, ids: [...new Set([...manifest.ids, ...held.map((e) => e.id)])].sort() });
  const counts: Record<Status, number> = { pass: 0, fail: 0, error: 0 };
  for (const e of mine) {
    const done = entries.get(e.id);
    if (done) counts[done.result.status]++;
  }
  // From the folder's journal like `heapgrade report`, so the two pages are the same.
  const coursePage = options.html ? await writeCoursePage(out, options.coursePage) : undefined;
  return { out, gradebook, total: mine.length, graded: todo.length, counts, ...(coursePage && { coursePage }) };
}

/**
 * One submission in a child of its own. Children are never reused for a
 * second submission (no warm pool): a process that ran one student's code
 * cannot be trusted with the next one's files, nonce and result channel, so
 * the isolation of the trusted-grading rules would hold only as long as the
 * compartment does. The child is made cheap to start instead (compiled
 * JavaScript, the modules of its mode only, one bundle for all its workers).
 */
async function gradeOne(
  entry: BatchEntry,
  mode: IsolatedMode,
  configPath: string | undefined,
  o: BatchOptions,
  compileService: CompileService,
  journal: JournalWriter,
  earned: Streamed | undefined,
  placement: { lanes: number; cpu?: number },
): Promise<IsolatedResult> {
  const started = Date.now();
  try {
    return await gradeIsolated(entry.path, {
      mode,
      configPath,
      timeoutMs: o.timeoutMs ?? 300_000,
      memoryMb: o.memoryMb ?? 1024,
      sandbox: o.sandbox ?? defaultSandbox(),
      // The child sees its own submission only: not its classmates', not the results.
      hide: [resolve(o.dir), ...(o.out ? [o.out] : [])],
      // Each result to the journal as it arrives: a child stopped later keeps it, a killed batch resumes from it.
      onProgress: (p) => journal.recordProgress(p.kind === 'check' ? { id: entry.id, progress: 'check', result: p.result } : { id: entry.id, progress: 'workload', result: p.result }),
      ...(earned ? { earned } : {}),
      ...(placement.cpu !== undefined && { cpu: placement.cpu }),
      ...(o.choices && { choices: o.choices }),
      request: {
        jobs: placement.lanes,
        ...(mode === 'grade' && { showHidden: true }),
        // The page is the student's: rendered without the hidden workloads the child's report keeps for staff/.
        ...(mode === 'grade' && o.html && o.out && { html: join(o.out, 'students', `${entry.id}.html`), htmlForStudent: true }),
        ...(o.shrinkMs !== undefined && { shrinkMs: o.shrinkMs }),
      },
      compileService,
      ...(o.unconfined && { unconfined: o.unconfined }),
    });
  } catch (e) {
    // The grader's own side failed (no temp dir, no /proc, ...): the kit's error, recorded like any other result.
    return {
      spec: entry.path,
      mode,
      outcome: 'kit-error',
      status: 'error',
      detail: `the kit failed to run the submission: ${toError(e).message}`,
      durationMs: Date.now() - started,
      peakRssMb: 0,
      stdout: '',
      stderr: '',
    };
  }
}

/** Batch and gradescope grade inside the OS sandbox wherever it exists (Linux), and say so where it does not. */
export function defaultSandbox(): SandboxMode {
  return process.platform === 'linux' ? 'required' : 'auto';
}

/**
 * Worker threads for a child that starts while `inUse` lanes are held by
 * children already grading and `waiting` submissions wait: `--jobs N` is the
 * number of lanes the whole batch runs on, and the grain is the submission.
 * While submissions wait, every child runs on one lane, so N children use N
 * cores and no more (each filling the machine with its own checks made
 * `--jobs 2` barely faster than `--jobs 1`). A child that starts with lanes
 * to spare (a batch of one, the tail of a batch) shares them with the
 * submissions still to start.
 */
export function workerLanes(jobs: number, inUse: number, waiting: number): number {
  return Math.max(1, Math.floor((jobs - inUse) / (waiting + 1)));
}

