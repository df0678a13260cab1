/**
 * In-process `grade` decides its points, totals and status by the one
 * `score(plan, results)`: its report is what `score` makes of its own
 * results under the plan `buildPlan` makes from the same configuration and
 * flags, for an allocator that passes and one that fails (with points
 * overridden by the configuration, so a second rule would show).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { gradeSubmission } from '../../harness/grade/grade.ts';
import { buildPlan } from '../../harness/plan/build.ts';
import { score } from '../../harness/plan/score.ts';

const SUBS = fileURLToPath(new URL('../fixtures/batch/subs/', import.meta.url));
const CHECKS = ['alignment', 'free-null', 'churn', 'realloc'];
const WORKLOADS = ['binary', 'coalescing'];

function configFile(): string {
  const file = join(mkdtempSync(join(tmpdir(), 'heapgrade-grade-score-')), 'heapgrade.config.json');
  writeFileSync(file, JSON.stringify({ checks: { alignment: 20, churn: 15 }, score: { correctness: 70, performance: 30 } }));
  return file;
}

describe('in-process grade scores through score(plan, results)', () => {
  const configPath = configFile();
  for (const [name, expectStatus] of [['pass.ts', 'pass'], ['fail-misaligned.ts', 'fail']] as const) {
    it(`${name}: the report's points, totals and status are score()'s under buildPlan's plan`, async () => {
      const spec = join(SUBS, name);
      const report = await gradeSubmission(spec, { configPath, checks: CHECKS, workloads: WORKLOADS, jobs: 1, showHidden: true });
      const plan = await buildPlan({ mode: 'grade', submission: spec, configFile: configPath, checks: CHECKS, workloads: WORKLOADS });
      const scored = score(plan, { checks: report.checks, workloads: report.workloads });
      expect(report.status).toBe(expectStatus);
      expect(report.checks.find((c) => c.name === 'alignment')!.maxPoints).toBe(20);
      expect({ status: report.status, score: report.score, correctness: report.correctness, breakdown: report.breakdown, checks: report.checks, workloads: report.workloads }).toStrictEqual({
        status: scored.status,
        score: scored.score,
        correctness: scored.correctness,
        breakdown: scored.breakdown,
        checks: scored.checks,
        workloads: scored.workloads,
      });
      expect(report.breakdown.correctness).toBeCloseTo((70 * report.correctness.points) / report.correctness.maxPoints, 2);
    }, 300_000);
  }
});
