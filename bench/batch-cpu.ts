/**
 * CPU overhead per submission of isolation, measured on the compiled kit
 * (dist/, what `npx heapgrade` runs): N submissions graded one after another
 * in this process (runTests from dist) against the same N through
 * gradeIsolated (one child each, `--sandbox off` and `required`). CPU is
 * user+sys of this process and every thread (process.cpuUsage) plus every
 * reaped descendant (/proc/self/stat cutime+cstime, 10 ms ticks), so it
 * counts node, bubblewrap and the workers the child starts. Wall clock
 * follows the machine's load; CPU is the figure the target is about.
 *   npm run build && npx tsx bench/batch-cpu.ts [N] [submission]
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

const n = Number(process.argv[2] ?? 10);
const spec = process.argv[3] ?? 'test/fixtures/batch/subs/pass.ts';
// N distinct files, as in a batch: nothing one grade made (a bundle) serves the next.
const dir = mkdtempSync(join(tmpdir(), 'heapgrade-bench-'));
// Relative imports (the fixture re-exports the reference) made absolute, so the copies load from anywhere.
const source = readFileSync(spec, 'utf8').replace(/from '(\.[^']+)'/g, (_, rel: string) => `from '${resolve(dirname(spec), rel)}'`);
let copy = 0;
const nextCopy = (): string => {
  const file = join(dir, `sub${copy}.ts`);
  writeFileSync(file, `${source}\n// copy ${copy++}\n`);
  return file;
};
const dist = new URL('../dist/harness/', import.meta.url);
const { runTests } = await import(new URL('runner/run-tests.js', dist).href);
const { gradeIsolated } = await import(new URL('isolation/run-isolated.js', dist).href);
const { probeSandbox } = await import(new URL('bwrap/probe.js', dist).href);

/** CPU ms of this process (all threads) and of its reaped children. */
function cpuMs(): number {
  const own = process.cpuUsage();
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const children = (Number(fields[13]) + Number(fields[14])) * 10; // cutime, cstime (fields 16, 17)
  return (own.user + own.system) / 1000 + children;
}

/** The run graded the bench's submission as passing: a figure of a failed load would say nothing. */
function must(r: unknown): unknown {
  const x = r as { status?: string; report?: { status?: string } };
  if ((x.report?.status ?? x.status) !== 'pass') throw new Error(`the bench's submission did not pass: ${JSON.stringify(r).slice(0, 400)}`);
  return r;
}

/** CPU and wall of one grade; a sandboxed tree is killed, not reaped by us: its CPU is its cgroup's (counting reaped children too would count bwrap twice). */
async function once(run: (file: string) => Promise<unknown>): Promise<{ cpu: number; wall: number }> {
  const file = nextCopy();
  const own0 = process.cpuUsage();
  const c0 = cpuMs();
  const t0 = performance.now();
  const r = must(await run(file)) as { cpuMs?: number };
  const wall = performance.now() - t0;
  if (r.cpuMs === undefined) return { cpu: cpuMs() - c0, wall };
  const own = process.cpuUsage(own0);
  return { cpu: (own.user + own.system) / 1000 + r.cpuMs, wall };
}

const base = { mode: 'test' as const, timeoutMs: 120_000, memoryMb: 1024 };
// One warm-up of each so the first call's imports and caches are not charged to a side.
await runTests(nextCopy());
await gradeIsolated(nextCopy(), { ...base, sandbox: 'off' });
const canSandbox = probeSandbox().ok;

// Interleaved, so that a change in the machine's load falls on every way alike.
const ways: [string, (f: string) => Promise<unknown>][] = [
  ['in', (f) => runTests(f)],
  ['off', (f) => gradeIsolated(f, { ...base, sandbox: 'off' })],
  ...(canSandbox ? [['boxed', (f: string) => gradeIsolated(f, { ...base, sandbox: 'required' })] as [string, (f: string) => Promise<unknown>]] : []),
];
const samples = new Map(ways.map(([k]) => [k, [] as { cpu: number; wall: number }[]]));
const load0 = loadavg()[0]!;
for (let i = 0; i < n; i++) for (const [k, run] of ways) samples.get(k)!.push(await once(run));
const load1 = loadavg()[0]!;
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const summary = (k: string) => {
  const xs = samples.get(k)!;
  return { cpu: median(xs.map((x) => x.cpu)), wall: median(xs.map((x) => x.wall)) };
};
const inProcess = summary('in');
const off = summary('off');
const boxed = canSandbox ? summary('boxed') : undefined;

const row = (name: string, m: { cpu: number; wall: number }) =>
  `| ${name} | ${m.cpu.toFixed(0)} ms | ${(m.cpu - inProcess.cpu).toFixed(0)} ms | ${m.wall.toFixed(0)} ms |`;
console.log(`${spec}, tests only, ${n} submissions each (medians), load ${load0.toFixed(1)} -> ${load1.toFixed(1)}`);
console.log('| how | CPU per submission | CPU overhead | wall per submission |\n| --- | ---: | ---: | ---: |');
console.log(`| in process (dist) | ${inProcess.cpu.toFixed(0)} ms | - | ${inProcess.wall.toFixed(0)} ms |`);
console.log(row('child, `--sandbox off`', off));
if (boxed) console.log(row('child, sandboxed (bwrap, cgroup, nobody)', boxed));
