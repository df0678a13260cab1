/**
 * One run of the checks serves every vitest test (the checks run side by side
 * in worker threads), so the first test waits for the whole run and vitest,
 * timing each test from its start, would charge it all and the others
 * nothing. A test's duration is its own check's time instead: vitest writes
 * `result.duration` once, after the test function and its hooks, so the test
 * puts in an accessor that keeps the check's time and ignores that write.
 * `test/template/npm-test.test.ts` checks it through vitest's JSON reporter.
 */
import type { TestContext } from 'vitest';

export function chargeOwnTime(ctx: TestContext, durationMs: number): void {
  const result = ctx.task.result;
  if (!result) return;
  Object.defineProperty(result, 'duration', {
    get: () => durationMs,
    set: () => {},
    enumerable: true,
    configurable: true,
  });
  ctx.task.meta.durationMs = durationMs;
}
