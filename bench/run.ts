/**
 * `npm run bench`: the kit's benchmarks, printed as Markdown for
 * BENCHMARKS.md. `npm run bench -- --only checker,utilization --runs 5`
 * Groups: grade-time, checker, correctness, stability, utilization.
 */
import { execa } from 'execa';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { overheadRows } from './checker-overhead.ts';
import { today } from './clock.ts';
import { correctnessTime } from './correctness-time.ts';
import { measureStability } from './stability.ts';
import { utilizationMatrix } from './utilization-matrix.ts';

const GROUPS = ['grade-time', 'checker', 'correctness', 'stability', 'utilization'] as const;
type Group = (typeof GROUPS)[number];

const args = process.argv.slice(2);
const flag = (name: string): string | undefined => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const only = (flag('only')?.split(',') ?? [...GROUPS]) as Group[];
for (const g of only) {
  if (!GROUPS.includes(g)) {
    process.stderr.write(`bench: unknown group "${g}"; groups: ${GROUPS.join(', ')}\n`);
    process.exit(2);
  }
}
const runs = Number(flag('runs') ?? 5);
const out = (s = ''): void => void process.stdout.write(`${s}\n`);
const f = (x: number, d = 2): string => x.toFixed(d);

out(`Measured ${today()} on ${cpus().length} x ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}; load average ${(await import('node:os')).loadavg().map((x) => x.toFixed(1)).join(' ')}.`);

if (only.includes('grade-time')) {
  const once = fileURLToPath(new URL('./grade-once.ts', import.meta.url));
  const { stdout } = await execa('npx', ['tsx', once, 'ref:reference']);
  const r = JSON.parse(stdout.trim().split('\n').at(-1)!) as { score: number; seconds: number };
  out('\n### Grading time of the reference (all checks, all workloads, wall-clock speed)\n');
  out('| submission | score | seconds |\n| --- | ---: | ---: |');
  out(`| ref:reference | ${r.score} | ${f(r.seconds, 1)} |`);
  out('\n`npx tsx bench/grade-once.ts ref:reference` (one fresh process)');
}

if (only.includes('checker')) {
  out('\n### Checker overhead (reference allocator, median CPU ms)\n');
  out('| trace | ops | replayChecked | replayRaw | ratio |\n| --- | ---: | ---: | ---: | ---: |');
  for (const r of await overheadRows()) out(`| ${r.trace} | ${r.ops} | ${f(r.checkedMs, 1)} | ${f(r.rawMs, 1)} | ${f(r.ratio)}x |`);
  out('\n`npm run bench -- --only checker`');
}

if (only.includes('correctness')) {
  const r = await correctnessTime();
  out('\n### Correctness suite on the reference\n');
  out('| submission | checks | status | seconds |\n| --- | ---: | --- | ---: |');
  out(`| ${r.spec} | ${r.checks} | ${r.status} | ${f(r.seconds, 1)} |`);
  out('\n`npm run bench -- --only correctness`');
}

if (only.includes('stability')) {
  out(`\n### Score spread over ${runs} grades (each a fresh process, all checks and workloads)\n`);
  out('| submission | speed basis | scores | spread | mean seconds |\n| --- | --- | --- | ---: | ---: |');
  for (const [spec, speed] of [
    ['ref:reference', 'wallclock'],
    ['ref:first-fit', 'wallclock'],
    ['ref:best-fit', 'wallclock'],
    ['ref:first-fit', 'cost'],
  ] as const) {
    const r = await measureStability(spec, runs, speed);
    out(`| ${spec} | ${speed} | ${r.scores.join(', ')} | ${f(r.spread)} | ${f(r.meanSeconds, 1)} |`);
  }
  out(`\n\`npm run bench -- --only stability --runs ${runs}\` (or \`npx tsx bench/stability.ts SPEC ${runs} [cost]\`)`);
}

if (only.includes('utilization')) {
  const m = await utilizationMatrix();
  out('\n### Utilization of every built-in allocator on every workload (peak live payload / peak heap)\n');
  out(`| workload | ${m.allocators.join(' | ')} |\n| --- |${m.allocators.map(() => ' ---: |').join('')}`);
  for (const r of m.rows) out(`| ${r.workload} | ${r.cells.map((c) => (typeof c === 'number' ? `${(c * 100).toFixed(1)}%` : c)).join(' | ')} |`);
  out('\n`npm run bench -- --only utilization`');
}
