/**
 * The trace files an assignment configuration names, checked to exist, so
 * that `gradescope pack`, `heapgrade gradescope` and `batch` stop at a missing one
 * with the key and the file (exit 2) instead of an internal error mid-grade.
 */
import { existsSync, readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { loadConfig } from './load.ts';
import { UsageError } from '../util/errors.ts';

export interface ConfigTrace {
  workload: string;
  /** As written in the configuration. */
  given: string;
  abs: string;
  /** Relative to the configuration's folder, with / separators. */
  rel: string;
}

export async function configTraces(configPath: string): Promise<ConfigTrace[]> {
  const { config, dir } = await loadConfig(configPath); // validates, with the usual messages
  let raw: { workloads?: Record<string, { file?: unknown }> } = {};
  try {
    raw = JSON.parse(readFileSync(configPath, 'utf8')) as typeof raw;
  } catch {
    // a .ts configuration: the resolved path is what we can show
  }
  const out: ConfigTrace[] = [];
  for (const [name, w] of Object.entries(config.workloads)) {
    if (w.file === undefined) continue;
    const given = typeof raw.workloads?.[name]?.file === 'string' ? (raw.workloads[name].file as string) : w.file;
    const abs = resolve(dir, w.file);
    if (!existsSync(abs)) {
      throw new UsageError(
        `${configPath}: workloads.${name}.file names ${given}, which does not exist (looked for ${abs}). Add the trace file, or remove the workload "${name}" from the configuration.`,
      );
    }
    out.push({ workload: name, given, abs, rel: relative(dir, abs).split('\\').join('/') });
  }
  return out;
}
