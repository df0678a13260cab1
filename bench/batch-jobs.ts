/**
 * Batch scaling: N self-contained copies of the reference allocator (a real
 * batch has no two files alike), graded tests-only by the compiled CLI with
 * `--jobs 1` and `--jobs 2`, rounds interleaved, the OS sandbox as the
 * batch's default (`required` where bubblewrap works). Wall clock per run,
 * and the CPU of the submissions' sandboxed trees as their cgroups counted it
 * (students/<id>.json `cpuMs`), plus the batch process's own.
 *   npm run build && npx tsx bench/batch-jobs.ts [N=100] [rounds=1] [extra batch flags...]
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const n = Number(process.argv[2] ?? 100);
const rounds = Number(process.argv[3] ?? 1);
const extra = process.argv.slice(4);
const root = fileURLToPath(new URL('..', import.meta.url));
const cli = join(root, 'dist/scripts/heapgrade.mjs');
const dir = mkdtempSync(join(tmpdir(), 'heapgrade-jobs-'));
const subs = join(dir, 'subs');

// One file, no imports: what a student hands in.
const bundled = await build({ entryPoints: [join(root, 'reference/reference.ts')], bundle: true, format: 'esm', platform: 'neutral', write: false });
const source = bundled.outputFiles[0]!.text;
execFileSync('mkdir', ['-p', subs]);
for (let i = 0; i < n; i++) writeFileSync(join(subs, `s${String(i).padStart(3, '0')}.ts`), `${source}\n// student ${i}\n`);

function run(jobs: number): { wall: number; childCpu: number; ownCpu: number; pass: number; load: string } {
  const out = join(dir, `out-${jobs}`);
  rmSync(out, { recursive: true, force: true });
  const l0 = loadavg()[0]!;
  const t0 = performance.now();
  // /usr/bin/time would count only what the batch reaped; its own CPU comes from the -f line.
  const r = spawnSync('/usr/bin/time', ['-f', '%U %S', process.execPath, cli, 'batch', subs, '--out', out, '--jobs', String(jobs), '--tests-only', ...extra], { stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`batch --jobs ${jobs} exited ${r.status}: ${String(r.stderr).slice(-2000)}`);
  const timed = String(r.stderr);
  const wall = (performance.now() - t0) / 1000;
  const [u, s] = timed.trim().split('\n').at(-1)!.split(' ').map(Number);
  let childCpu = 0;
  let pass = 0;
  for (const f of readdirSync(join(out, 'students')).filter((x) => x.endsWith('.json'))) {
    const r = JSON.parse(readFileSync(join(out, 'students', f), 'utf8')) as { cpuMs?: number; status?: string };
    childCpu += r.cpuMs ?? 0;
    if (r.status === 'pass') pass++;
  }
  return { wall, childCpu: childCpu / 1000, ownCpu: u! + s!, pass, load: `${l0.toFixed(1)} → ${loadavg()[0]!.toFixed(1)}` };
}

console.log(`${n} submissions (the reference, bundled into one file each), tests only ${extra.join(' ')}`);
console.log('| --jobs | wall | per submission | submissions\' CPU (cgroups) | batch process CPU | passed | load average |\n| ---: | ---: | ---: | ---: | ---: | ---: | --- |');
const walls: Record<number, number[]> = { 1: [], 2: [] };
for (let r = 0; r < rounds; r++) {
  for (const jobs of [1, 2]) {
    const x = run(jobs);
    walls[jobs]!.push(x.wall);
    console.log(`| ${jobs} | ${x.wall.toFixed(1)} s | ${((x.wall / n) * 1000).toFixed(0)} ms | ${x.childCpu.toFixed(1)} s | ${x.ownCpu.toFixed(1)} s | ${x.pass}/${n} | ${x.load} |`);
  }
}
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
console.log(`\n--jobs 2 is ${(sum(walls[1]!) / sum(walls[2]!)).toFixed(2)}x as fast as --jobs 1 (total wall of ${rounds} round(s) each)`);
rmSync(dir, { recursive: true, force: true });
