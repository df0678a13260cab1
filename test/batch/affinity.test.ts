/** `--jobs N` grades on N cores: a one-lane child is pinned to its lane's CPU (cpu-affinity.ts). */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runBatch } from '../../harness/batch/run-batch.ts';
import { allowedCpus, cpuForLane, parseCpuList, pinned } from '../../harness/isolation/cpu-affinity.ts';
import { findExecutable, probeSandbox } from '../../harness/bwrap/probe.ts';
import { unconfinedForTests } from '../../harness/trust/policy.ts';

describe('CPU lists', () => {
  it('reads the kernel list format, and refuses what is not one', () => {
    expect(parseCpuList('0-3,8,10-11')).toEqual([0, 1, 2, 3, 8, 10, 11]);
    expect(parseCpuList('5')).toEqual([5]);
    expect(parseCpuList('0-1,x')).toBeUndefined();
    expect(parseCpuList('')).toBeUndefined();
  });
  it("takes this process's own list, so a container's cpuset is respected", () => {
    const dir = mkdtempSync(join(tmpdir(), 'hg-affinity-'));
    writeFileSync(join(dir, 'status'), 'Name:\tnode\nCpus_allowed:\t0c\nCpus_allowed_list:\t2-3\n');
    expect(allowedCpus(join(dir, 'status'))).toEqual([2, 3]);
    expect(allowedCpus(join(dir, 'missing'))).toBeUndefined();
  });
  it('gives lanes the allowed CPUs in turn, and wraps a command in taskset only when a CPU is given', () => {
    if (!findExecutable('taskset')) return;
    expect([0, 1, 2].map((lane) => cpuForLane(lane, [4, 6]))).toEqual([4, 6, 4]);
    expect(pinned({ file: 'node', args: ['x.js'] }, 6)).toEqual({ file: findExecutable('taskset'), args: ['-c', '6', 'node', 'x.js'] });
    expect(pinned({ file: 'node', args: ['x.js'] }, undefined)).toEqual({ file: 'node', args: ['x.js'] });
  });
});

const cpus = allowedCpus() ?? [];
const canPin = cpus.length >= 2 && findExecutable('taskset') !== undefined;
const FIXTURE = fileURLToPath(new URL('../fixtures/batch/affinity/prints-cpus.ts', import.meta.url));

const REFERENCE = fileURLToPath(new URL('../../reference/reference.ts', import.meta.url));

/** A batch folder of `n` copies of the fixture, its import made absolute (the sandbox shows the kit at its own path). */
function batchOf(n: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'hg-affinity-subs-'));
  const source = readFileSync(FIXTURE, 'utf8').replace("'../../../../reference/reference.ts'", JSON.stringify(REFERENCE));
  for (let i = 0; i < n; i++) writeFileSync(join(dir, `s${i}.ts`), source);
  return dir;
}

async function printedCpus(n: number, jobs: number): Promise<string[]> {
  const dir = batchOf(n);
  const out = mkdtempSync(join(tmpdir(), 'hg-affinity-out-'));
  await runBatch({
    dir,
    out,
    mode: 'test',
    jobs,
    timeoutMs: 120_000,
    sandbox: probeSandbox().ok ? 'required' : 'off',
    choices: { checks: ['alignment'] },
    unconfined: unconfinedForTests('the OS sandbox test attacks it with unconfined code'),
    progress: { write: () => true },
  });
  return Array.from({ length: n }, (_, i) => {
    const r = JSON.parse(readFileSync(join(out, 'students', `s${i}.json`), 'utf8')) as { status: string; report: { checks: { output?: string }[] } };
    expect(r.status).toBe('pass');
    // What the allocator printed is the check's output.
    const printed = r.report.checks.map((c) => c.output ?? '').join('\n');
    return /CPUS (\S+)/.exec(printed)?.[1] ?? `nothing printed: ${printed}`;
  });
}

describe.skipIf(!canPin)('[slow] one core per lane', () => {
  it('pins each child of a --jobs 2 batch to its own CPU while others wait, and leaves a lone child the whole machine', async () => {
    const three = await printedCpus(3, 2);
    for (const c of three) expect(cpus.map(String)).toContain(c); // one CPU each, not a list
    expect(new Set(three.slice(0, 2)).size).toBe(2); // the two lanes run on different CPUs
    const [alone] = await printedCpus(1, 2);
    expect(parseCpuList(alone!)).toEqual(cpus);
  }, 300_000);
});
