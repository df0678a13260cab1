/**
 * The workloads a grade runs: the built-in ones (suites/workloads) merged
 * with the configuration's overrides and the TA's own trace files.
 */
import path from 'node:path';
import { UsageError } from '../util/errors.ts';
import type { Config } from './types.ts';

/** The shape of a suites/workloads registry entry. */
export interface BuiltinWorkload {
  name: string;
  description: string;
  /** Path of the .rep file. */
  file: string;
  defaultWeight: number;
  /** Heap limit this workload needs, when it differs from the configuration's. */
  limit?: number;
}

export interface PlannedWorkload {
  name: string;
  description: string;
  /** Absolute path of the .rep file. */
  file: string;
  weight: number;
  hidden: boolean;
  limit?: number;
}

/**
 * Built-in workloads in registry order (unless `onlyListedWorkloads`), then
 * the TA's own, in the order the configuration lists them. Workloads of
 * weight 0 are left out: they do not count.
 */
export function planWorkloads(config: Config, builtins: readonly BuiltinWorkload[], configDir: string): PlannedWorkload[] {
  const out: PlannedWorkload[] = [];
  for (const b of builtins) {
    const s = config.workloads[b.name];
    if (config.onlyListedWorkloads && !s) continue;
    out.push({
      name: b.name,
      description: b.description,
      file: s?.file !== undefined ? path.resolve(configDir, s.file) : b.file,
      weight: s?.weight ?? b.defaultWeight,
      hidden: s?.hidden ?? false,
      ...(b.limit !== undefined ? { limit: b.limit } : {}),
    });
  }
  const builtinNames = new Set(builtins.map((b) => b.name));
  for (const [name, s] of Object.entries(config.workloads)) {
    if (builtinNames.has(name) || s.file === undefined) continue;
    out.push({
      name,
      description: `the configuration's own trace ${s.file}`,
      file: path.resolve(configDir, s.file),
      weight: s.weight ?? 1,
      hidden: s.hidden ?? false,
    });
  }
  return out.filter((w) => w.weight > 0);
}

/** Restricts a plan to the names given on the command line (`--workloads a,b`); unknown names are an error. */
export function selectWorkloads(plan: PlannedWorkload[], names: readonly string[] | undefined): PlannedWorkload[] {
  if (!names || names.length === 0) return plan;
  const known = new Set(plan.map((w) => w.name));
  const missing = names.filter((n) => !known.has(n));
  if (missing.length > 0) {
    throw new UsageError(
      `--workloads: no workload named ${missing.map((m) => `\`${m}\``).join(', ')}; available: ${[...known].join(', ')}`,
    );
  }
  return plan.filter((w) => names.includes(w.name));
}
