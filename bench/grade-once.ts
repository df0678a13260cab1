/**
 * One grade in a fresh process, printed as JSON: what the stability benchmark
 * runs five times. `npx tsx bench/grade-once.ts SPEC [--speed cost|wallclock] [--skip-checks]`
 */
import { resolveConfig } from '../harness/config/load.ts';
import { gradeSubmission } from '../harness/grade/grade.ts';

const [spec = 'ref:reference', ...rest] = process.argv.slice(2);
const speed = rest.includes('--speed') ? (rest[rest.indexOf('--speed') + 1] as 'cost' | 'wallclock') : 'wallclock';
const started = performance.now();
const r = await gradeSubmission(spec, { config: resolveConfig({ speed }), skipChecks: rest.includes('--skip-checks') });
process.stdout.write(
  `${JSON.stringify({
    spec,
    speed,
    score: r.score,
    breakdown: r.breakdown,
    seconds: (performance.now() - started) / 1000,
    // CPU time of every thread of this process (correctness workers included).
    cpuSeconds: (process.cpuUsage().user + process.cpuUsage().system) / 1e6,
    failedChecks: r.checks.filter((c) => c.status !== 'pass').map((c) => `${c.name}: ${c.violations.map((v) => v.kind).join(', ') || c.error}`),
    throughput: Object.fromEntries(r.workloads.map((w) => [w.name, Math.round(w.throughput * 1000) / 1000])),
  })}\n`,
);
