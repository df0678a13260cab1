/**
 * What confinement costs, on the reference's replays (raw and under the full
 * checker) of a few workloads:
 * - lockdown: plain replays (the reference imported as an ES module) in a
 *   process without lockdown vs one after lockdown() (frozen intrinsics,
 *   tamed errors); separate processes, so noisier;
 * - compartment: in one locked-down process, the plain module vs the same
 *   source bundled and evaluated in an SES compartment (the default path),
 *   interleaved round by round so that machine load hits both alike.
 * Also runs tinybench once under lockdown, to show it works there.
 *
 *   npx tsx bench/compartment-overhead.ts              # a markdown table
 *   npx tsx bench/compartment-overhead.ts unlocked     # one process's JSON rows
 */
import { execFileSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { resolveCheckerOptions } from '../harness/checker/options.ts';
import { ensureLockdown } from '../harness/confine/lockdown.ts';
import type { LoadedSubmission } from '../harness/contract/instance.ts';
import { loadSubmission } from '../harness/loader/load.ts';
import { replayChecked, replayRaw } from '../harness/replay/replay.ts';
import { readTraceFile } from '../harness/trace/parse.ts';
import type { Op } from '../harness/trace/types.ts';
import { WORKLOADS } from '../suites/workloads/index.ts';
import { cpuMs } from './clock.ts';

const TRACES = ['gcc-cc1', 'sqlite3-inventory', 'random-churn', 'tiny-blocks'];
const LIMIT = 1 << 26;
const ROUNDS = 31;

type Kind = 'raw' | 'checked';
interface Row {
  trace: string;
  ops: number;
  /** Median CPU ms by variant and kind. */
  ms: Record<string, number>;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

function replay(kind: Kind, loaded: LoadedSubmission, ops: readonly Op[]): number {
  const instance = loaded.instantiate({ seed: 1, limit: LIMIT });
  const c0 = cpuMs();
  if (kind === 'raw') replayRaw(instance, ops);
  else replayChecked(instance, ops, { checker: resolveCheckerOptions() });
  return cpuMs() - c0;
}

/** Median CPU ms of each variant, rounds interleaved. */
async function measure(variants: Record<string, LoadedSubmission>, kinds: Kind[]): Promise<Row[]> {
  const rows: Row[] = [];
  for (const trace of TRACES) {
    const ops = (await readTraceFile(WORKLOADS.find((w) => w.name === trace)!.file)).ops;
    const samples: Record<string, number[]> = {};
    for (let round = -2; round < ROUNDS; round++) {
      for (const kind of kinds) {
        for (const [name, loaded] of Object.entries(variants)) {
          const ms = replay(kind, loaded, ops);
          if (round >= 0) (samples[`${name} ${kind}`] ??= []).push(ms);
        }
      }
    }
    rows.push({ trace, ops: ops.length, ms: Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)])) });
  }
  return rows;
}

async function locked(): Promise<Row[]> {
  ensureLockdown();
  const variants = { plain: await loadSubmission('ref:reference', { confine: false }), compartment: await loadSubmission('ref:reference') };
  const rows = await measure(variants, ['raw', 'checked']);
  const { Bench } = await import('tinybench');
  const bench = new Bench({ iterations: 3, time: 0 });
  bench.add('tinybench under lockdown', () => void replayRaw(variants.compartment.instantiate({ seed: 1, limit: LIMIT }), []));
  await bench.run();
  if (bench.tasks[0]?.result?.state !== 'completed') throw new Error(`tinybench did not complete under lockdown: ${JSON.stringify(bench.tasks[0]?.result)}`);
  return rows;
}

const mode = process.argv[2];
if (mode === 'unlocked') {
  process.stdout.write(JSON.stringify(await measure({ plain: await loadSubmission('ref:reference', { confine: false }) }, ['raw'])));
} else if (mode === 'locked') {
  process.stdout.write(JSON.stringify(await locked()));
} else {
  const self = fileURLToPath(import.meta.url);
  const run = (m: string): Row[] => JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', self, m], { encoding: 'utf8' })) as Row[];
  const unlocked = run('unlocked');
  const lockedRows = run('locked');
  const f = (x: number): string => x.toFixed(1);
  console.log(`load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}; median CPU ms of ${ROUNDS} replays of ref:reference\n`);
  console.log('| trace | ops | raw, no lockdown | raw, lockdown | raw, compartment | compartment / plain | checked, lockdown | checked, compartment | compartment / plain |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  lockedRows.forEach((r, i) => {
    const m = r.ms;
    console.log(
      `| ${r.trace} | ${r.ops} | ${f(unlocked[i]!.ms['plain raw']!)} | ${f(m['plain raw']!)} | ${f(m['compartment raw']!)} | ${(m['compartment raw']! / m['plain raw']!).toFixed(2)} | ` +
        `${f(m['plain checked']!)} | ${f(m['compartment checked']!)} | ${(m['compartment checked']! / m['plain checked']!).toFixed(2)} |`,
    );
  });
}
