/**
 * What `show` and `compare` accept as a trace: a .rep file, or the name of a
 * built-in workload (which brings its own heap limit, e.g. placement-64k's 64 KiB).
 */
import { existsSync } from 'node:fs';
import { readTraceFile } from '../trace/parse.ts';
import type { Trace } from '../trace/types.ts';
import { UsageError } from '../util/errors.ts';

export interface TraceSource {
  trace: Trace;
  /** The workload's heap limit, when it has one. */
  limit?: number;
}

export async function resolveTrace(nameOrPath: string): Promise<TraceSource> {
  if (existsSync(nameOrPath)) return { trace: await readTraceFile(nameOrPath) };
  const { WORKLOADS, findWorkload } = await import('../../suites/workloads/index.ts');
  const w = findWorkload(nameOrPath);
  if (!w) {
    const names = WORKLOADS.map((x) => x.name).join(', ');
    throw new UsageError(`${nameOrPath}: no such trace file, and no built-in workload by that name. Give a .rep file or one of: ${names}`);
  }
  const trace = await readTraceFile(w.file);
  return { trace: { ...trace, name: w.name }, ...(w.limit !== undefined ? { limit: w.limit } : {}) };
}
