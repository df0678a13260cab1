/** The whole correctness suite on the reference allocator, end to end (workers included). */
import { runTests } from '../harness/runner/run-tests.ts';

export async function correctnessTime(spec = 'ref:reference'): Promise<{ spec: string; checks: number; status: string; seconds: number }> {
  const started = performance.now();
  const r = await runTests(spec);
  return { spec, checks: r.checks.length, status: r.status, seconds: (performance.now() - started) / 1000 };
}
