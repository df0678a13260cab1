/** `heapgrade trace` over several traces: inputs, the classic set, the runner's rows, the CLI's table and JSON. */
import { execa } from 'execa';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readTracesEach, sortTraceArgs, sortTraceInputs, type NamedTrace } from '../../harness/trace-set/inputs.ts';
import { runTraceSet } from '../../harness/trace-set/run-traces.ts';
import { parseRep } from '../../harness/trace/parse.ts';
import { traceStats } from '../../harness/trace/stats.ts';
import { CLASSIC_SET } from '../../suites/workloads/synthetic/classic-set.ts';

const BIN = new URL('../../scripts/heapgrade.mjs', import.meta.url).pathname;
const zoo = (name: string): string => new URL(`../fixtures/zoo/${name}.ts`, import.meta.url).pathname;
const cli = (args: string[], cwd?: string) => execa('node', [BIN, ...args], { reject: false, cwd, env: { NO_COLOR: '1' } });

/** A folder with two small traces: one with only even sizes, one with an odd size (what `misaligned` gets wrong). */
function traceFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'hg-traces-'));
  writeFileSync(join(dir, 'b-odd.rep'), '100\n2\n4\n1\na 0 24\na 1 13\nf 0\nf 1\n');
  writeFileSync(join(dir, 'a-even.rep'), '100\n1\n2\n1\na 0 32\nf 0\n');
  writeFileSync(join(dir, 'notes.txt'), 'not a trace');
  return dir;
}

describe('trace inputs', () => {
  it('a folder gives its .rep files in name order; the other argument is the submission', async () => {
    const dir = traceFolder();
    const r = await sortTraceInputs([dir, 'mm.c'], []);
    expect(r.traces.map((t) => t.name)).toEqual(['a-even', 'b-odd']);
    expect(r.traces[0]!.file).toBe(join(dir, 'a-even.rep'));
    expect(r.submission).toBe('mm.c');
  });

  it('a folder without traces is the submission; the sets add their traces after the files', async () => {
    const dir = traceFolder();
    const sub = mkdtempSync(join(tmpdir(), 'hg-sub-'));
    const r = await sortTraceInputs([join(dir, 'b-odd.rep'), sub], ['classic']);
    expect(r.submission).toBe(sub);
    expect(r.traces.map((t) => t.name)).toEqual(['b-odd', ...CLASSIC_SET.map((c) => c.name)]);
  });

  it('bad input is a clear error naming what to fix', async () => {
    await expect(sortTraceInputs(['nope.rep'], [])).rejects.toThrow(/nope\.rep: trace file not found/);
    await expect(sortTraceInputs(['a.ts', 'b.c'], ['classic'])).rejects.toThrow(/one allocator, got "a.ts" and "b.c"/);
    await expect(sortTraceInputs([], [])).rejects.toThrow(/no trace given.*--set classic/);
    await expect(sortTraceInputs([], ['cmu'])).rejects.toThrow(/--set cmu: unknown trace set; choose one of classic, workloads/);
    const dir = mkdtempSync(join(tmpdir(), 'hg-bad-'));
    writeFileSync(join(dir, 'bad.rep'), '100\n1\n1\n1\nq 0 1\n');
    // A trace that does not parse comes back with its error (file and line); it hides nothing else.
    writeFileSync(join(dir, 'good.rep'), '100\n1\n2\n1\na 0 32\nf 0\n');
    const r = await sortTraceInputs([dir], []);
    expect(r.traces.map((t) => [t.name, t.ops.length, t.error])).toEqual([
      ['bad', 0, expect.stringMatching(/bad\.rep line 5: unknown operation 'q'/)],
      ['good', 2, undefined],
    ]);
  });
});

describe('the classic set', () => {
  it('has the eleven mdriver names, each balanced, valid as a .rep and the same on every build', () => {
    expect(CLASSIC_SET.map((c) => c.name)).toEqual([
      'amptjp-bal', 'cccp-bal', 'cp-decl-bal', 'expr-bal', 'coalescing-bal', 'random-bal',
      'random2-bal', 'binary-bal', 'binary2-bal', 'realloc-bal', 'realloc2-bal',
    ]);
    for (const c of CLASSIC_SET) {
      const b = c.build();
      expect(b.liveCount, c.name).toBe(0); // every block freed by the end, as the -bal traces are
      const parsed = parseRep(b.rep(), `${c.name}.rep`);
      expect(parsed.ops).toEqual(b.trace().ops);
      expect(c.build().rep()).toBe(b.rep());
      // The same order of size as the originals (4800 to 24000 operations).
      expect(b.length, c.name).toBeGreaterThanOrEqual(4800);
      expect(b.length, c.name).toBeLessThanOrEqual(24002);
      expect(traceStats(b.trace()).peakPayload, c.name).toBeGreaterThan(0);
    }
  });
});

describe('runTraceSet', () => {
  it('one worker replays every trace: a row each, the failing one named, totals over the valid ones', async () => {
    const dir = traceFolder();
    const { traces } = await sortTraceInputs([dir], []);
    const r = await runTraceSet(zoo('misaligned'), traces, { seed: 1, limit: 1 << 20, checker: {} });
    expect(r.rows.map((x) => [x.name, x.status, x.ops])).toEqual([
      ['a-even', 'pass', 2],
      ['b-odd', 'fail', 4],
    ]);
    expect(r.rows[1]!.violation).toMatchObject({ kind: 'misaligned', op: 1 });
    expect(r.total).toMatchObject({ traces: 2, valid: 1, ops: 6 });
    expect(r.total.utilization).toBe(r.rows[0]!.utilization);
    expect(r.total.seconds).toBeCloseTo(r.rows[0]!.seconds + r.rows[1]!.seconds, 9);
  });

  it('traces still being read, each (readTracesEach): replayed in the order given, whichever is read first', async () => {
    const dir = traceFolder();
    const [a, b] = await readTracesEach(sortTraceArgs([dir], []));
    // The second is ready long before the first: the rows still come in the order given.
    const late = new Promise<NamedTrace>((resolve) => setTimeout(() => resolve(a!), 300));
    const r = await runTraceSet(zoo('misaligned'), [late, b!], { seed: 1, limit: 1 << 20, checker: {} });
    expect(r.rows.map((x) => [x.name, x.status, x.ops])).toEqual([
      ['a-even', 'pass', 2],
      ['b-odd', 'fail', 4],
    ]);
  });
});

describe('heapgrade trace (CLI)', () => {
  it('--set classic: one table of eleven rows and a total line, exit 0 on the reference', async () => {
    const r = await cli(['trace', '--set', 'classic', 'ref:reference']);
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    for (const c of CLASSIC_SET) expect(r.stdout).toMatch(new RegExp(`^${c.name} +yes +\\d+% +\\d+ `, 'm'));
    expect(r.stdout).toMatch(/^Total +11\/11 +\d+% +\d+ /m);
    // It says what the set is, and how a course runs its real traces.
    expect(r.stdout).toMatch(/classic: synthetic look-alikes of the 11 CS:APP traces, not the real ones/);
    expect(r.stdout).toMatch(/heapgrade trace mm\.c traces\/\*\.rep/);
    expect((await cli(['trace', '--help'])).stdout).toMatch(/synthetic\s+look-alikes[\s\S]*not\s+the\s+real\s+ones/);
  });

  it('a folder with --json is an array; the configuration in the working folder sets the policy', async () => {
    const dir = traceFolder();
    const r = await cli(['trace', dir, zoo('misaligned'), '--json']);
    expect(r.exitCode).toBe(1);
    const rows = JSON.parse(r.stdout);
    expect(rows.map((x: { trace: string; status: string }) => [x.trace, x.status])).toEqual([
      [join(dir, 'a-even.rep'), 'pass'],
      [join(dir, 'b-odd.rep'), 'fail'],
    ]);
    expect(rows[1]).toMatchObject({ version: 1, ops: 4, violations: [{ kind: 'misaligned' }] });

    const course = mkdtempSync(join(tmpdir(), 'hg-course-'));
    mkdirSync(join(course, 'traces'));
    writeFileSync(join(course, 'traces', 'zero.rep'), '100\n1\n2\n1\na 0 0\nf 0\n');
    // The reference answers malloc(0) with a unique pointer: valid by default, not under this course's policy.
    const loose = await cli(['trace', 'traces/zero.rep', 'ref:reference', '--json'], course);
    expect(loose.exitCode).toBe(0);
    writeFileSync(join(course, 'heapgrade.config.json'), JSON.stringify({ malloc0: 'null' }));
    const one = await cli(['trace', 'traces/zero.rep', 'ref:reference', '--json'], course);
    expect(one.stderr).toBe('');
    expect(one.exitCode).toBe(1);
    // One trace: the single object, as before several traces were possible.
    expect(JSON.parse(one.stdout)).toMatchObject({ version: 1, trace: 'traces/zero.rep', status: 'fail', ops: 2, violations: [{ kind: 'zero-size-policy' }] });
  });
});
