/**
 * What `heapgrade trace` was given, sorted into traces and the submission:
 * .rep files, folders of .rep files, the bundled sets, and at most one
 * allocator (a .ts/.js/.c file, a submission folder, or ref:NAME).
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { readTraceFile, type TraceReading } from '../trace/parse.ts';
import type { Op, RepGeneration } from '../trace/types.ts';
import { UsageError } from '../util/errors.ts';

/** A trace to replay: its row name, where it came from, its operations. */
export interface NamedTrace {
  name: string;
  /** The file it was read from; undefined for a generated trace. */
  file?: string;
  ops: readonly Op[];
  /** Heap limit for this trace when it needs its own (a bundled workload's). */
  limit?: number;
  /** What was read as mdriver reads it (one line per kind, with file and line). */
  warnings?: readonly string[];
  /** Set when the file could not be read: why, with file and line. The other traces still run. */
  error?: string;
}

/** The bundled sets `--set` accepts. */
export const TRACE_SETS = ['classic', 'workloads'] as const;
export type TraceSetName = (typeof TRACE_SETS)[number];

export interface SortedInputs {
  /** Traces in the order given (a folder's files in name order). */
  traces: NamedTrace[];
  /** The allocator argument, when one was given. */
  submission?: string;
}

const isRep = (f: string): boolean => f.endsWith('.rep');

export interface TraceFiles {
  /** The .rep files, in the order given (a folder's in name order). */
  files: string[];
  sets: string[];
  submission?: string;
}

/**
 * Sorts `args` into trace files and the submission, reading nothing: a
 * folder holding .rep files is a folder of traces; any other folder, file or
 * ref:NAME is the submission (only one may be given).
 */
export function sortTraceArgs(args: readonly string[], sets: readonly string[]): TraceFiles {
  const files: string[] = [];
  const submissions: string[] = [];
  for (const arg of args) {
    if (arg.startsWith('ref:')) submissions.push(arg);
    else if (isRep(arg)) {
      if (!existsSync(arg)) throw new UsageError(`${arg}: trace file not found; check the path`);
      files.push(arg);
    } else if (existsSync(arg) && statSync(arg).isDirectory()) {
      const reps = readdirSync(arg).filter(isRep).sort();
      if (reps.length > 0) files.push(...reps.map((f) => path.join(arg, f)));
      else submissions.push(arg);
    } else submissions.push(arg);
  }
  if (submissions.length > 1) {
    throw new UsageError(
      `heapgrade trace takes one allocator, got ${submissions.map((s) => `"${s}"`).join(' and ')}; traces must end in .rep (or be a folder of .rep files)`,
    );
  }
  for (const set of sets) if (!(TRACE_SETS as readonly string[]).includes(set)) throw new UsageError(`--set ${set}: unknown trace set; choose one of ${TRACE_SETS.join(', ')}`);
  if (files.length === 0 && sets.length === 0) {
    throw new UsageError('heapgrade trace: no trace given; name .rep files or folders of them, or a bundled set (--set classic)');
  }
  return { files, sets: [...sets], submission: submissions[0] };
}

/**
 * Reads the traces. `reading` is the profile's (mdriver's reading under the
 * malloclab profiles). A file that does not parse comes back with its error
 * (file and line) instead of operations: one unreadable trace never hides
 * the others' results.
 */
export async function readTraces(
  given: TraceFiles,
  options: { generation?: RepGeneration | 'auto'; reading?: TraceReading } = {},
): Promise<NamedTrace[]> {
  return Promise.all(await readTracesEach(given, options));
}

/**
 * readTraces, a promise per trace, in order: every file is read and parsed
 * at once, and the first can be replayed while the others are still being
 * read (the bundled sets, when asked for, are built before this resolves).
 */
export async function readTracesEach(
  given: TraceFiles,
  options: { generation?: RepGeneration | 'auto'; reading?: TraceReading } = {},
): Promise<Promise<NamedTrace>[]> {
  const traces = given.files.map((file) => readNamed(file, options));
  for (const set of given.sets) traces.push(...(await bundledSet(set)).map((t) => Promise.resolve(t)));
  return traces;
}

async function readNamed(file: string, options: { generation?: RepGeneration | 'auto'; reading?: TraceReading }): Promise<NamedTrace> {
  const name = path.basename(file, '.rep');
  try {
    const t = await readTraceFile(file, { generation: options.generation, reading: options.reading });
    return { name, file, ops: t.ops, ...(t.warnings && { warnings: t.warnings }) };
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    return { name, file, ops: [], error: e.message };
  }
}

/** sortTraceArgs then readTraces. */
export async function sortTraceInputs(
  args: readonly string[],
  sets: readonly string[],
  options: { generation?: RepGeneration | 'auto'; reading?: TraceReading } = {},
): Promise<SortedInputs> {
  const given = sortTraceArgs(args, sets);
  return { traces: await readTraces(given, options), submission: given.submission };
}

/** The bundled sets are imported when asked for: `heapgrade trace mm.c traces/*.rep` loads neither. */
async function bundledSet(set: string): Promise<NamedTrace[]> {
  switch (set) {
    case 'classic': {
      const { CLASSIC_SET } = await import('../../suites/workloads/synthetic/classic-set.ts');
      return CLASSIC_SET.map((c) => ({ name: c.name, ops: c.build().trace().ops }));
    }
    case 'workloads': {
      const { WORKLOADS } = await import('../../suites/workloads/index.ts');
      return Promise.all(WORKLOADS.map(async (w) => ({ name: w.name, file: w.file, ops: (await readTraceFile(w.file)).ops, limit: w.limit })));
    }
    default:
      throw new UsageError(`--set ${set}: unknown trace set; choose one of ${TRACE_SETS.join(', ')}`);
  }
}
