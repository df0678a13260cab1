/**
 * The order a grade starts its workloads in (the pool's `order`; results keep
 * the configuration's): largest trace file first, so the lanes end together
 * instead of one lane replaying the longest trace alone at the end (the
 * kit's python-wordfreq, 60,000 ops, is listed tenth of twelve). The file's
 * size stands for its replay's length; a trace with no file here (a hidden
 * one handed over in memory, or missing) counts as 0. Ties keep the
 * configuration's order, so the order is the same every run.
 */
import { statSync } from 'node:fs';
import type { PlannedWorkload } from '../config/workloads.ts';

export function workloadOrder(plan: readonly Pick<PlannedWorkload, 'file'>[], sizeOf: (file: string) => number = fileSize): number[] {
  const sizes = plan.map((w) => sizeOf(w.file));
  return plan.map((_, i) => i).sort((a, b) => sizes[b]! - sizes[a]! || a - b);
}

function fileSize(file: string): number {
  return statSync(file, { throwIfNoEntry: false })?.size ?? 0;
}
