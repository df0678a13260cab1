/**
 * C allocators next to the TypeScript reference on every workload:
 * utilization under the checker, and raw speed in operations per second
 * (median of 5 timed replays on fresh instances, no checker), so the C
 * reference, dlmalloc and the TS reference can be compared directly.
 * `npx tsx bench/c-vs-ts.ts` (prints Markdown).
 */
import { resolveCheckerOptions } from '../harness/checker/options.ts';
import { DEFAULT_HEAP_LIMIT } from '../harness/heap/sim-heap.ts';
import { loadSubmission } from '../harness/loader/load.ts';
import { replayChecked, replayRaw } from '../harness/replay/replay.ts';
import { readTraceFile } from '../harness/trace/parse.ts';
import { WORKLOADS } from '../suites/workloads/index.ts';

const SPECS = ['ref:reference', 'ref:reference-c', 'ref:dlmalloc'] as const;

export interface CvsTsRow {
  workload: string;
  ops: number;
  util: Record<string, number>;
  kops: Record<string, number>;
}

export async function cVsTs(): Promise<CvsTsRow[]> {
  const loaded = await Promise.all(SPECS.map((s) => loadSubmission(s)));
  const rows: CvsTsRow[] = [];
  for (const w of WORKLOADS) {
    const trace = await readTraceFile(w.file);
    const limit = w.limit ?? DEFAULT_HEAP_LIMIT;
    const row: CvsTsRow = { workload: w.name, ops: trace.ops.length, util: {}, kops: {} };
    for (const [k, sub] of loaded.entries()) {
      const spec = SPECS[k]!;
      const checked = replayChecked(sub.instantiate({ seed: 1, limit }), trace.ops, { checker: resolveCheckerOptions() });
      row.util[spec] = checked.violation ? Number.NaN : checked.utilization;
      const times: number[] = [];
      for (let r = 0; r < 6; r++) {
        const inst = sub.instantiate({ seed: 1, limit });
        const t = process.cpuUsage();
        replayRaw(inst, trace.ops);
        const d = process.cpuUsage(t);
        if (r > 0) times.push((d.user + d.system) / 1000);
      }
      times.sort((a, b) => a - b);
      row.kops[spec] = trace.ops.length / times[times.length >> 1]!;
    }
    rows.push(row);
  }
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const rows = await cVsTs();
  const pct = (x: number): string => (Number.isNaN(x) ? 'violation' : `${(x * 100).toFixed(1)}%`);
  const k = (x: number): string => x.toFixed(0);
  process.stdout.write('| workload | ops | util TS ref | util C ref | util dlmalloc | Kops/s TS ref | Kops/s C ref | Kops/s dlmalloc |\n');
  process.stdout.write('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n');
  for (const r of rows) {
    process.stdout.write(
      `| ${r.workload} | ${r.ops} | ${pct(r.util['ref:reference']!)} | ${pct(r.util['ref:reference-c']!)} | ${pct(r.util['ref:dlmalloc']!)} | ${k(r.kops['ref:reference']!)} | ${k(r.kops['ref:reference-c']!)} | ${k(r.kops['ref:dlmalloc']!)} |\n`,
    );
  }
}
