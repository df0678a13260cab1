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
import { readTraceFile, type TraceReading } from '../trace/parse.ts';
import type { Trace } from '../trace/types.ts';
import { referenceCost } from './reference-cost.ts';

export interface WarmWorkloads {
  /**
   * The workload's trace, parsed here once as the plan's profile reads it
   * (the same errors and warnings as readTraceFile, when it is awaited).
   * Handed over, not kept: once every workload on a file has taken it, this
   * holds it no longer (a parsed trace costs ~50 bytes an op, and the
   * child's memory limit counts it).
   */
  trace(file: string): Promise<Trace>;
  /** Stops warming (the grade ended early, or is over). */
  stop(): void;
  /** The reference loaded for the warm-up (undefined if it failed to load: the grade loads it itself and reports why). */
  reference: Promise<LoadedSubmission | undefined>;
}

const nextTask = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export function warmWorkloads(
  plan: readonly PlannedWorkload[],
  o: {
    reference: () => Promise<LoadedSubmission | undefined>;
    seed: number;
    heapLimit: number;
    reading: TraceReading;
    /** Warming starts once this settles (grade: the check workers have started). @default at once */
    after?: Promise<void>;
  },
): WarmWorkloads {
  const traces = new Map<string, Promise<Trace>>();
  const uses = new Map<string, number>();
  for (const w of plan) uses.set(w.file, (uses.get(w.file) ?? 0) + 1);
  let stopped = false;
  const parse = (file: string): Promise<Trace> => {
    let p = traces.get(file);
    if (!p) {
      p = readTraceFile(file, { reading: o.reading });
      // A bad file is reported by the workload that reads it, not as an unhandled rejection here.
      p.catch(() => {});
      traces.set(file, p);
    }
    return p;
  };
  let loadReference!: (r: LoadedSubmission | undefined) => void;
  const referenceLoaded = new Promise<LoadedSubmission | undefined>((resolve) => (loadReference = resolve));
  void (async () => {
    await o.after;
    await nextTask();
    for (const w of plan) {
      if (stopped) break;
      // Not a file the workload phase has already taken (it parsed it then): parsing it again would keep it for nobody.
      if ((uses.get(w.file) ?? 0) > 0) parse(w.file);
      await nextTask();
    }
    const reference = stopped ? undefined : await o.reference().catch(() => undefined);
    loadReference(reference);
    if (!reference) return;
    for (const w of plan) {
      if (stopped) return;
      const pending = traces.get(w.file);
      const trace = pending && (await pending.catch(() => undefined));
      if (!trace) continue;
      await referenceCost(reference, trace.ops, w.file, { seed: o.seed, limit: w.limit ?? o.heapLimit });
      await nextTask();
    }
  })().catch(() => {
    // Warming is an optimisation: the workload phase makes anything missing itself.
    loadReference(undefined);
  });
  return {
    trace(file) {
      const p = parse(file);
      const left = (uses.get(file) ?? 1) - 1;
      uses.set(file, left);
      if (left <= 0) traces.delete(file);
      return p;
    },
    stop() {
      stopped = true;
    },
    reference: referenceLoaded,
  };
}
