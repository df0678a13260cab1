/**
 * What the workload phase of a grade needs from this thread, prepared while
 * the checks run in their workers (this thread only waits for them then):
 * every trace parsed, and the reference's metered cost on each (a replay of
 * the kit's own allocator, the same whenever it runs). One piece per
 * macrotask, so the check pool's messages and watchdog are never held up for
 * longer than one trace. Nothing here decides a result on its own:
 * gradeWorkload reads the same traces and costs it would have made itself.
 */
import type { PlannedWorkload } from '../config/workloads.ts';
import type { LoadedSubmission } from '../contract/instance.ts';
import { readTraceFile } from '../trace/parse.ts';
import type { Trace } from '../trace/types.ts';
import { referenceCost } from './workload.ts';

export interface WarmWorkloads {
  /** The workload's trace, parsed here once (the same errors as readTraceFile, when it is awaited). */
  trace(file: string): Promise<Trace>;
  /** The reference loaded for the warm-up (undefined if it failed to load: the grade loads it itself and reports why). */
  reference: Promise<LoadedSubmission | undefined>;
}

const nextTask = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export function warmWorkloads(plan: readonly PlannedWorkload[], o: { reference: () => Promise<LoadedSubmission | undefined>; seed: number; heapLimit: number }): WarmWorkloads {
  const traces = new Map<string, Promise<Trace>>();
  const parse = (file: string): Promise<Trace> => {
    let p = traces.get(file);
    if (!p) {
      p = readTraceFile(file);
      // A bad file is reported by the workload that reads it, not as an unhandled rejection here.
      p.catch(() => {});
      traces.set(file, p);
    }
    return p;
  };
  let loadReference!: (r: LoadedSubmission | undefined) => void;
  const referenceLoaded = new Promise<LoadedSubmission | undefined>((resolve) => (loadReference = resolve));
  void (async () => {
    await nextTask();
    for (const w of plan) {
      parse(w.file);
      await nextTask();
    }
    const reference = await o.reference().catch(() => undefined);
    loadReference(reference);
    if (!reference) return;
    for (const w of plan) {
      const trace = await parse(w.file).catch(() => undefined);
      if (!trace) continue;
      referenceCost(reference, trace.ops, w.file, { seed: o.seed, limit: w.limit ?? o.heapLimit });
      await nextTask();
    }
  })().catch(() => {
    // Warming is an optimisation: the workload phase makes anything missing itself.
    loadReference(undefined);
  });
  return { trace: parse, reference: referenceLoaded };
}
