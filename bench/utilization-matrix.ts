/**
 * Utilization of every built-in TypeScript allocator on every workload,
 * under the full checker: the placement policies side by side.
 */
import { resolveCheckerOptions } from '../harness/checker/options.ts';
import { DEFAULT_HEAP_LIMIT } from '../harness/heap/sim-heap.ts';
import { loadSubmission } from '../harness/loader/load.ts';
import { replayChecked } from '../harness/replay/replay.ts';
import { readTraceFile } from '../harness/trace/parse.ts';
import { REFERENCE_ALLOCATORS } from '../reference/index.ts';
import { WORKLOADS } from '../suites/workloads/index.ts';

export interface UtilizationMatrix {
  allocators: string[];
  /** workload -> cells in allocator order: utilization, or the violation kind. */
  rows: { workload: string; cells: (number | string)[] }[];
}

export async function utilizationMatrix(): Promise<UtilizationMatrix> {
  const names = REFERENCE_ALLOCATORS.map((r) => r.name);
  const loaded = await Promise.all(names.map((n) => loadSubmission(`ref:${n}`)));
  const checker = resolveCheckerOptions();
  const rows: UtilizationMatrix['rows'] = [];
  for (const w of WORKLOADS) {
    const { ops } = await readTraceFile(w.file);
    const limit = w.limit ?? DEFAULT_HEAP_LIMIT;
    const cells = loaded.map((l) => {
      const r = replayChecked(l.instantiate({ seed: 1, limit }), ops, { checker, snapshot: false });
      return r.violation ? r.violation.kind : r.utilization;
    });
    rows.push({ workload: w.name, cells });
  }
  return { allocators: names, rows };
}
