/**
 * Writes heapgrade.config.example.json (the defaults, with two sample
 * workload overrides) at the repo root: `npx tsx harness/config/write-example.ts`.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DEFAULT_CONFIG } from './defaults.ts';

export function exampleConfig(): Record<string, unknown> {
  return {
    ...DEFAULT_CONFIG,
    workloads: {
      binary: { weight: 1, hidden: false },
      'my-hidden-trace': { file: 'traces/my-hidden-trace.rep', weight: 2, hidden: true },
      // A hidden trace that is not on a student's machine is skipped there and graded where it exists.
    },
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const out = fileURLToPath(new URL('../../heapgrade.config.example.json', import.meta.url));
  writeFileSync(out, `${JSON.stringify(exampleConfig(), null, 2)}\n`);
  console.log(`wrote ${out}`);
}
