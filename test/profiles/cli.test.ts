/** Profiles and mdriver's trace rule through the real CLI (real processes, --json, exit codes). */
import { execa } from 'execa';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const BIN = new URL('../../scripts/heapgrade.mjs', import.meta.url).pathname;
const handout = (rel: string): string => new URL(`../fixtures/c/handouts/${rel}`, import.meta.url).pathname;
const cli = (args: string[]) => execa('node', [BIN, ...args], { reject: false, env: { NO_COLOR: '1' } });
const SLOW = 600_000;

/** 64 rounds of malloc(4000) + free: 256 000 bytes for an allocator that never reuses, 4 KB for one that does. */
function churnTrace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'hg-oom-'));
  const ops: string[] = [];
  for (let i = 0; i < 64; i++) ops.push(`a ${i} 4000`, `f ${i}`);
  const file = join(dir, 'churn.rep');
  writeFileSync(file, ['65536', '64', String(ops.length), '1', ...ops, ''].join('\n'));
  return file;
}

describe('traces fail as mdriver fails them', () => {
  it('an allocator that runs out of the heap limit on a request the trace needs fails the trace (out-of-memory); one that reuses passes', { timeout: SLOW }, async () => {
    const rep = churnTrace();
    const naive = await cli(['trace', rep, 'ref:naive', '--limit', '65536', '--json']);
    expect(naive.exitCode).toBe(1);
    const out = JSON.parse(naive.stdout);
    expect(out.status).toBe('fail');
    expect(out.violations[0]).toMatchObject({ kind: 'out-of-memory', size: 4000 });
    expect(out.violations[0].message).toMatch(/mm_malloc failed/);
    const reusing = await cli(['trace', rep, 'ref:first-fit', '--limit', '65536', '--json']);
    expect(reusing.exitCode).toBe(0);
    expect(JSON.parse(reusing.stdout).status).toBe('pass');
  });
});

describe('--profile', () => {
  it('auto prints what it picked and why (stderr), and grades under it', { timeout: SLOW }, async () => {
    const r = await cli(['test', handout('cs341/alloc.c'), '--profile', 'auto', '--check', 'calloc-dirty', '--json']);
    expect(r.stderr).toMatch(/profile: cs341 \(auto: .*libc style/);
    expect(r.exitCode).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ status: 'pass', checks: [{ name: 'calloc-dirty', status: 'pass' }] });
  });

  it('a check beyond the handout is a pass worth 0 with beyondHandout in --json, and exit 0; the strict default fails it', { timeout: SLOW }, async () => {
    const lab = await cli(['test', handout('malloclab-2002/mm.c'), '--profile', 'malloclab-2002', '--check', 'free-null', '--json']);
    expect(lab.exitCode).toBe(0);
    expect(JSON.parse(lab.stdout).checks[0]).toMatchObject({ name: 'free-null', status: 'pass', observed: 'fail', required: false, beyondHandout: true, points: 0, maxPoints: 0 });
    const strict = await cli(['test', handout('malloclab-2002/mm.c'), '--profile', 'heapgrade', '--check', 'free-null', '--json']);
    expect(strict.exitCode).toBe(1);
    const check = JSON.parse(strict.stdout).checks[0];
    expect(check).toMatchObject({ name: 'free-null', status: 'fail', violations: [expect.objectContaining({ kind: 'segfault' })] });
    expect(check.beyondHandout).toBeUndefined();
  });

  it('an unknown profile is a usage error naming the choices', async () => {
    const r = await cli(['test', 'ref:reference', '--profile', 'malloclab-1999', '--check', 'alignment']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/--profile: `profile` names no profile; use one of heapgrade, malloclab-2002, malloclab-2010, malloclab-2013, malloclab-2016, cs341, auto/);
  });
});

describe('heapgrade trace reads traces as the handout\'s driver reads them', () => {
  const T = (name: string): string => handout(`traces/${name}`);

  it('under auto (a malloclab profile): a missing size keeps the previous one, extra lines are ignored, each with one warning; an unreadable trace hides nothing', { timeout: SLOW }, async () => {
    const r = await cli(['trace', handout('malloclab-2013/mm.c'), T('missing-size.rep'), T('unreadable.rep'), T('extra-line.rep'), '--profile', 'auto']);
    expect(r.stderr).toMatch(/profile: malloclab-2013/);
    expect(r.stdout).toMatch(/^missing-size +yes +\d+% +7 /m);
    expect(r.stdout).toMatch(/^extra-line +yes +\d+% +4 /m);
    expect(r.stdout).toMatch(/^unreadable +error /m);
    expect(r.stdout).toMatch(/^Total +2\/3 /m);
    expect(r.stdout.match(/warning: .*missing-size\.rep line 6: 'a 1' has no size; read as mdriver reads it, with the previous size \(110\), as is 1 more such line/g)).toHaveLength(1);
    expect(r.stdout.match(/warning: .*extra-line\.rep line 9: the header says 4 operations; this line is ignored/g)).toHaveLength(1);
    expect(r.stdout).toMatch(/unreadable: not read, the other traces ran\n +.*unreadable\.rep line 6: unknown operation 'q'/);
    expect(r.exitCode).toBe(2);
    const json = JSON.parse((await cli(['trace', handout('malloclab-2013/mm.c'), T('missing-size.rep'), T('unreadable.rep'), '--profile', 'auto', '--json'])).stdout);
    expect(json.map((x: { status: string }) => x.status)).toEqual(['pass', 'error']);
    expect(json[0].warnings).toHaveLength(1);
    expect(json[1].error).toMatch(/line 6/);
  });

  it('the broken twin is still flagged on both traces: the kept size (110) is what exposes its realloc', { timeout: SLOW }, async () => {
    const r = await cli(['trace', handout('malloclab-2013/mm-broken.c'), T('missing-size.rep'), T('extra-line.rep'), '--profile', 'auto', '--json']);
    expect(r.exitCode).toBe(1);
    const rows = JSON.parse(r.stdout);
    expect(rows.map((x: { status: string; violations: { kind: string; op: number }[] }) => [x.status, x.violations[0]?.kind, x.violations[0]?.op])).toEqual([
      ['fail', 'realloc-data-lost', 2],
      ['fail', 'realloc-data-lost', 1],
    ]);
  });

  it("the kit's own profile stays strict: both are errors, each naming its line", async () => {
    const r = await cli(['trace', 'ref:reference', T('missing-size.rep'), T('extra-line.rep'), '--profile', 'heapgrade']);
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toMatch(/missing-size\.rep line 6: missing values: 'a 1'/);
    expect(r.stdout).toMatch(/extra-line\.rep line 3: header says 4 operations, file has 5/);
  });
});

describe('heapgrade grade reads a course workload as the profile reads traces (through the grading child)', () => {
  const course = (profile: string): string => {
    const dir = mkdtempSync(join(tmpdir(), 'hg-grade-rep-'));
    const file = join(dir, 'heapgrade.config.json');
    writeFileSync(file, JSON.stringify({ profile, onlyListedWorkloads: true, workloads: { handout: { file: handout('traces/missing-size-extra-line.rep'), weight: 1 } } }));
    return file;
  };

  it('malloclab-2010: graded, one warning per kind in --json and the text; heapgrade: refused, naming the file and line', { timeout: SLOW }, async () => {
    const r = await cli(['grade', handout('malloclab-2010/mm.c'), '--config', course('malloclab-2010')]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/^ +handout +1 +7 /m);
    expect(r.stdout.match(/^warning: .*missing-size-extra-line\.rep line 6: 'a 1' has no size/gm)).toHaveLength(1);
    expect(r.stdout.match(/^warning: .*missing-size-extra-line\.rep line 12: the header says 7 operations; this line is ignored/gm)).toHaveLength(1);
    const json = JSON.parse((await cli(['grade', handout('malloclab-2010/mm.c'), '--config', course('malloclab-2010'), '--json'])).stdout);
    expect(json.workloads[0].traceWarnings).toHaveLength(2);
    const strict = await cli(['grade', 'ref:reference', '--config', course('heapgrade')]);
    expect(strict.exitCode).toBe(2);
    expect(strict.stderr).toMatch(/missing-size-extra-line\.rep line 6: missing values: 'a 1'/);
  });
});
