/**
 * What `heapgrade trace` was given, sorted into traces and the submission:
 * .rep files, folders of .rep files, the bundled sets, and at most one
 * allocator (a .ts/.js/.c file, a submission folder, or ref:NAME).
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { readTraceFile } from '../trace/parse.ts';
import type { Op, RepGeneration } from '../trace/types.ts';
import { UsageError } from '../util/errors.ts';
import { CLASSIC_SET } from '../../suites/workloads/synthetic/classic-set.ts';
import { WORKLOADS } from '../../suites/workloads/index.ts';

/** A trace to replay: its row name, where it came from, its operations. */
export interface NamedTrace {
  name: string;
  /** The file it was read from; undefined for a generated trace. */
  file?: string;
  ops: readonly Op[];
  /** Heap limit for this trace when it needs its own (a bundled workload's). */
  limit?: number;
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

/**
 * Reads every trace named by `args` and `sets`. A folder holding .rep files
 * is a folder of traces; any other folder, file or ref:NAME is the
 * submission (only one may be given). A file that does not parse fails the
 * whole command before anything runs, naming the file and line.
 */
export async function sortTraceInputs(
  args: readonly string[],
  sets: readonly string[],
  options: { generation?: RepGeneration | 'auto' } = {},
): Promise<SortedInputs> {
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
  const traces: NamedTrace[] = [];
  for (const file of files) {
    const t = await readTraceFile(file, { generation: options.generation });
    traces.push({ name: path.basename(file, '.rep'), file, ops: t.ops });
  }
  for (const set of sets) traces.push(...(await bundledSet(set)));
  if (traces.length === 0) {
    throw new UsageError('heapgrade trace: no trace given; name .rep files or folders of them, or a bundled set (--set classic)');
  }
  return { traces, submission: submissions[0] };
}

async function bundledSet(set: string): Promise<NamedTrace[]> {
  switch (set) {
    case 'classic':
      return CLASSIC_SET.map((c) => ({ name: c.name, ops: c.build().trace().ops }));
    case 'workloads':
      return Promise.all(WORKLOADS.map(async (w) => ({ name: w.name, file: w.file, ops: (await readTraceFile(w.file)).ops, limit: w.limit })));
    default:
      throw new UsageError(`--set ${set}: unknown trace set; choose one of ${TRACE_SETS.join(', ')}`);
  }
}
