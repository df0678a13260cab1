/**
 * Writes the kit's synthetic workloads into suites/workloads/traces/.
 * Deterministic: the same code gives byte-identical files on every machine,
 * so the committed files can be checked against a fresh run.
 *
 *   npx tsx suites/workloads/generate.ts          # (re)write the files
 *   npx tsx suites/workloads/generate.ts --check  # exit 1 if a file differs
 */
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { TraceBuilder } from './builder.ts';
import { database, webServer } from './synthetic/apps.ts';
import { binary, coalescing, placement64k, randomChurn, reallocGrowth } from './synthetic/classic.ts';
import { callocHeavy, hugeBlocks, tinyBlocks } from './synthetic/sizes.ts';

interface Generator {
  readonly name: string;
  readonly build: () => TraceBuilder;
  /** The .rep header's weight; the same as the workload's defaultWeight. */
  readonly weight: number;
}

/** Fixed seeds: changing one changes a committed file. */
const GENERATORS: readonly Generator[] = [
  { name: 'placement-64k', build: placement64k, weight: 0 },
  { name: 'binary', build: binary, weight: 1 },
  { name: 'coalescing', build: () => coalescing(0xc0a1), weight: 1 },
  { name: 'realloc-growth', build: () => reallocGrowth(0x9e0), weight: 1 },
  { name: 'random-churn', build: () => randomChurn(0x5eed), weight: 1 },
  { name: 'web-server', build: () => webServer(0x80), weight: 1 },
  { name: 'database', build: () => database(0xdb), weight: 1 },
  { name: 'tiny-blocks', build: () => tinyBlocks(0x7), weight: 1 },
  { name: 'huge-blocks', build: () => hugeBlocks(0x4b6), weight: 1 },
  { name: 'calloc-heavy', build: () => callocHeavy(0xca1), weight: 1 },
];

/** Every synthetic workload's .rep text, by workload name. */
export function generateWorkloadTexts(): Map<string, string> {
  return new Map(GENERATORS.map((g) => [g.name, g.build().rep(g.weight)]));
}

export const TRACE_DIR = fileURLToPath(new URL('./traces/', import.meta.url));

async function main(check: boolean): Promise<void> {
  let stale = 0;
  for (const [name, text] of generateWorkloadTexts()) {
    const file = `${TRACE_DIR}${name}.rep`;
    if (check) {
      const old = await readFile(file, 'utf8').catch(() => '');
      if (old !== text) {
        stale++;
        console.error(`${file} differs from the generator's output: run npx tsx suites/workloads/generate.ts`);
      }
      continue;
    }
    await writeFile(file, text);
    console.log(`wrote ${file} (${text.length} bytes)`);
  }
  if (stale > 0) process.exitCode = 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main(process.argv.includes('--check'));
}
