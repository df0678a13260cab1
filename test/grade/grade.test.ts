import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { resolveCheckerOptions } from '../../harness/checker/options.ts';
import { resolveConfig } from '../../harness/config/load.ts';
import type { ConfigInput } from '../../harness/config/types.ts';
import { gradeSubmission } from '../../harness/grade/grade.ts';
import { loadSubmission } from '../../harness/loader/load.ts';
import { formatGradeReport } from '../../harness/report/grade-text.ts';
import { replayChecked, replayRaw } from '../../harness/replay/replay.ts';
import { costPerOp } from '../../harness/scoring/cost.ts';
import { readTraceFile } from '../../harness/trace/parse.ts';
import { writeRep } from '../../harness/trace/write.ts';
import { findWorkload } from '../../suites/workloads/index.ts';

const FEW = ['coalescing', 'random-churn', 'tiny-blocks', 'calloc-heavy'];
const costConfig = (extra: ConfigInput = {}) => resolveConfig({ speed: 'cost', ...extra });
const broken = fileURLToPath(new URL('../property/fixtures/realloc-after-free.ts', import.meta.url));

describe('gradeSubmission', () => {
  it('scores the reference high, checks included', async () => {
    const r = await gradeSubmission('ref:reference', { config: costConfig(), workloads: FEW });
    // What did not pass, shown if it fails (a busy machine once made one check fail here: which, and why).
    const notPassed = r.checks.filter((c) => c.status !== 'pass').map((c) => ({ name: c.name, status: c.status, violation: c.violations[0]?.message, error: c.error }));
    expect(r.status, JSON.stringify(notPassed)).toBe('pass');
    expect(r.breakdown.correctness).toBe(40);
    expect(r.workloads.map((w) => [w.name, w.status, w.throughput])).toStrictEqual(FEW.map((n) => [n, 'pass', 1]));
    expect(r.score).toBeGreaterThan(85);
    expect(r.score).toBeCloseTo(r.breakdown.correctness + r.breakdown.utilization + r.breakdown.throughput, 1);
    const text = formatGradeReport(r);
    expect(text).toMatch(/workload\s+weight\s+ops\s+util\s+speed/);
    expect(text).toContain(`= ${r.score.toFixed(2)}/100`);
  });

  it('scores naive (sbrk on every call, no reuse) lower on utilization', async () => {
    const opts = { config: costConfig(), workloads: FEW, skipChecks: true };
    const ref = await gradeSubmission('ref:reference', opts);
    const naive = await gradeSubmission('ref:naive', opts);
    expect(naive.breakdown.utilization).toBeLessThan(ref.breakdown.utilization / 2);
    for (const w of naive.workloads) {
      const r = ref.workloads.find((x) => x.name === w.name)!;
      expect(w.utilization).toBeLessThan(r.utilization);
    }
  });

  it('grades speed by cost identically on every run', async () => {
    const opts = { config: costConfig(), workloads: FEW, skipChecks: true };
    const a = await gradeSubmission('ref:first-fit', opts);
    const b = await gradeSubmission('ref:first-fit', opts);
    const strip = (r: typeof a) => ({ ...r, durationMs: 0 });
    expect(strip(b)).toStrictEqual(strip(a));
    expect(a.workloads.every((w) => w.costRatio === w.throughput && w.costPerOp! > 0)).toBe(true);
  });

  it('times speed on the wall clock against the reference', async () => {
    const config = resolveConfig({ timing: { rounds: 3, minSampleMs: 1 } });
    const r = await gradeSubmission('ref:reference', { config, workloads: ['coalescing'], skipChecks: true });
    expect(r.workloads[0]?.throughput).toBeGreaterThan(0);
    expect(r.workloads[0]?.costRatio).toBe(1); // counted as well, for the report
  });

  it('gives a workload with a violation 0 and lists the violation', async () => {
    const r = await gradeSubmission(broken, { config: costConfig(), workloads: ['realloc-growth'], skipChecks: true });
    const w = r.workloads[0]!;
    expect(w.status).toBe('fail');
    expect(w.violations[0]?.kind).toBe('payload-corrupted');
    expect([w.utilScore, w.speedScore]).toStrictEqual([0, 0]);
    expect(r.status).toBe('fail');
    expect(r.score).toBe(0);
  });

  it('skips a workload whose peak live bytes exceed the heap limit, with the reason', async () => {
    const r = await gradeSubmission('ref:reference', { config: costConfig({ heapLimit: 65536 }), workloads: ['huge-blocks'], skipChecks: true });
    expect(r.workloads[0]).toMatchObject({ status: 'skipped' });
    expect(r.workloads[0]?.reason).toMatch(/^the trace needs \d+ live bytes at its peak, more than the heap limit of 65536; raise heapLimit/);
    expect(r.breakdown.utilization).toBe(0);
  });

  it("grades the configuration's own hidden trace and keeps its name from students", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'hg-grade-'));
    const trace = await readTraceFile(findWorkload('coalescing')!.file);
    writeFileSync(path.join(dir, 'secret.rep'), writeRep({ name: 'secret', ops: trace.ops.slice(0, 2000) }));
    const config = costConfig({ onlyListedWorkloads: true, workloads: { secret: { file: 'secret.rep', hidden: true, weight: 2 } } });
    const student = await gradeSubmission('ref:reference', { config, configDir: dir, skipChecks: true });
    expect(student.workloads.map((w) => [w.name, w.weight, w.status])).toStrictEqual([['hidden-1', 2, 'pass']]);
    const ta = await gradeSubmission('ref:reference', { config, configDir: dir, skipChecks: true, showHidden: true });
    expect(ta.workloads[0]?.name).toBe('secret');
    expect(ta.score).toBe(student.score);
    const missing = await gradeSubmission('ref:reference', { config, configDir: tmpdir(), skipChecks: true });
    expect(missing.workloads[0]?.status).toBe('skipped');
  });

  it('reports a submission that does not load as a failure with score 0', async () => {
    const r = await gradeSubmission(path.join(tmpdir(), 'no-such-allocator.ts'), { config: costConfig(), workloads: FEW, skipChecks: true });
    expect(r.score).toBe(0);
    expect(r.error).toMatch(/no such file or folder/);
  });
});

describe('the cost measure', () => {
  it('is the same under the checker as in a raw replay (the checker reads the heap without counting)', async () => {
    const loaded = await loadSubmission('ref:best-fit');
    const { ops } = await readTraceFile(findWorkload('random-churn')!.file);
    const checked = replayChecked(loaded.instantiate({ seed: 1, limit: 1 << 26 }), ops, { checker: resolveCheckerOptions() });
    const raw = loaded.instantiate({ seed: 1, limit: 1 << 26 });
    replayRaw(raw, ops);
    expect(costPerOp(checked.stats, ops.length)).toBe(costPerOp(raw.heap.stats, ops.length));
  });
});
