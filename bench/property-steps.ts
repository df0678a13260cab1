/**
 * What the property search spends on each built-in allocator: runs made,
 * metered steps (TypeScript steps, C instructions) and wall time, with the
 * default configuration's runs and an unlimited step budget. The default
 * `property.stepBudget` is chosen from these figures, well above the slowest.
 *   npx tsx bench/property-steps.ts [spec ...]
 */
import { loadavg } from 'node:os';
import { resolveCheckerOptions } from '../harness/checker/options.ts';
import { DEFAULT_CONFIG } from '../harness/config/defaults.ts';
import { listBuiltins, loadSubmission } from '../harness/loader/load.ts';
import { searchForFailure } from '../harness/property/search.ts';

const specs = process.argv.length > 2 ? process.argv.slice(2) : (await listBuiltins()).map((b) => `ref:${b.name}`);
console.log(`load ${loadavg()[0]!.toFixed(1)}; ${DEFAULT_CONFIG.property.numRuns} runs, step budget ${DEFAULT_CONFIG.property.stepBudget.toLocaleString('en')}`);
console.log('| allocator | result | runs | steps | share of the budget | wall |\n| --- | --- | ---: | ---: | ---: | ---: |');
for (const spec of specs) {
  const loaded = await loadSubmission(spec);
  const t = performance.now();
  const r = searchForFailure(loaded, { seed: 1, timeLimitMs: 1e9, numRuns: DEFAULT_CONFIG.property.numRuns, stepBudget: Number.MAX_SAFE_INTEGER, checker: resolveCheckerOptions({}), limit: DEFAULT_CONFIG.heapLimit });
  const steps = r.status === 'pass' ? r.steps : NaN;
  const share = `${((steps / DEFAULT_CONFIG.property.stepBudget) * 100).toFixed(1)} %`;
  console.log(`| ${spec} | ${r.status} | ${r.runs} | ${Math.round(steps).toLocaleString('en')} | ${share} | ${(performance.now() - t).toFixed(0)} ms |`);
}
