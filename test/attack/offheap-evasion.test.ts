/**
 * Red team of off-heap-metadata (issue 19 item 3). Ways to keep every
 * block's size and link outside the heap
 * (test/fixtures/attack/lazy-tables.ts, each beside the honest control with
 * headers in the heap), all closed now:
 * - 'lazy': 32 MiB of typed arrays made by the FIRST malloc, before the
 *   growth measurement's first sample (offheap/measure.ts), so nothing
 *   grows. Closed by 8ee16b4 (the first 1000 mallocs counted); now every
 *   call of every instance is a phase of the ledger (offheap/ledger.ts).
 * - 'literal': plain arrays filled index by index at load (`t[i] = 0`, no
 *   builtin call, no `new`); with the exact-size lists it once scored 64.28
 *   against the control's 64.00. The transform hands every array and object
 *   literal to the ledger, sized when the load ends.
 * - 'late': the same tables made by the first malloc of more than 64 bytes;
 *   the off-heap check asked for 8 to 40 bytes, so it never made them (the
 *   rule was a test the allocator could tell apart from a workload). 'nth'
 *   makes them on the 5000th malloc, 'realloc' on the first realloc (which
 *   the off-heap check never makes: only a workload or another check). The
 *   ledger sees every call of every instance (every check, every workload),
 *   and report/off-heap-findings.ts fails off-heap-metadata with what was
 *   made where, in `test` and `grade` alike (the one verdict score() uses).
 * - 'bound': 32 MiB of typed arrays made at load by
 *   `Uint32Array.from.bind(Uint32Array)` called plainly: `from` is
 *   %TypedArray%'s own, which no cost table held. Charged and counted.
 * And the honest side: 'temps' makes a tuple, a small object, a slice and a
 * map per call and drops them; a call's items under the floor
 * (CALL_FLOOR_BYTES) never count, so it passes like the control; 'scratch'
 * makes bigger scratch every call (a table literal inside malloc, a typed
 * work area, a gathered list) and drops it: each site counts its largest
 * once, so it passes too (counted per call, it failed after a few calls).
 * 'pieces', a table of 1 MB made by the first malloc from pieces under the
 * floor, passed all 14 checks of `test` until the rule measured all the
 * memory a fresh module retains (offheap/retained.ts). 'chunks', the same
 * from 1600-byte pieces of one site, is counted: a site's items made in one
 * call add up.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runTests } from '../../harness/runner/run-tests.ts';
import { resolveConfig } from '../../harness/config/load.ts';
import { gradeSubmission } from '../../harness/grade/grade.ts';
import { readTraceFile } from '../../harness/trace/parse.ts';
import { writeRep } from '../../harness/trace/write.ts';
import { findWorkload } from '../../suites/workloads/index.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const FIXTURE = fileURLToPath(new URL('../fixtures/attack/lazy-tables.ts', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'heapgrade-attack-offheap-'));

/** The fixture with its metadata kept in `where`, as a submission of its own (kit imports absolute). */
type Where = 'heap' | 'lazy' | 'literal' | 'bound' | 'late' | 'nth' | 'realloc' | 'temps' | 'scratch' | 'parsed' | 'pieces' | 'chunks';
function variant(where: Where): string {
  const file = join(dir, `${where}.ts`);
  const source = readFileSync(FIXTURE, 'utf8')
    .replace(/'(\.\.\/)+harness\//g, `'${ROOT}harness/`)
    .replace(/^const TABLES = 'lazy'/m, `const TABLES = '${where}'`);
  writeFileSync(file, source);
  return file;
}

/** off-heap-metadata's verdict, run with `others` (checks whose instances make other calls than it does), and the run's checks. */
async function verdict(where: Where, others: string[] = []) {
  const r = await runTests(variant(where), { checks: ['off-heap-metadata', ...others], jobs: 1 });
  expect(r.error).toBeUndefined();
  return { check: r.checks.find((c) => c.name === 'off-heap-metadata')!, checks: r.checks };
}
const offHeap = async (where: Where, others: string[] = []) => (await verdict(where, others)).check;

describe('off-heap metadata the rule does not see (red team)', () => {
  it('the honest control, headers in the heap, passes', async () => {
    const control = await offHeap('heap');
    expect(control.status, JSON.stringify(control.violations)).toBe('pass');
  }, 300_000);

  it('typed arrays made at load by a bound Uint32Array.from fail off-heap-metadata, counted exactly', async () => {
    const bound = await offHeap('bound');
    expect(bound.status).toBe('fail');
    expect(bound.violations[0]!.message).toMatch(/^the allocator keeps 33554996 bytes .* from the start \(33554640 made when the module loaded, 356 made in createAllocator, .*biggest: a Uint32Array of 16777216 bytes, made when the module loaded$/);
  }, 300_000);

  it('a full-size table made by the first malloc fails off-heap-metadata (closed by 8ee16b4)', async () => {
    const lazy = await offHeap('lazy');
    expect(lazy.status).toBe('fail');
    expect(lazy.violations[0]!.message).toMatch(/by call #1 \(.*, 33554432 made in its calls; .*biggest: a Uint32Array of 16777216 bytes, made by call #1 \(malloc\(16\)\)$/);
  }, 300_000);

  it('tables made by the first malloc larger than 64 bytes fail off-heap-metadata, seen in every check that makes one', async () => {
    // The growth measurement now asks for some larger blocks too (tsspeed's measure.ts), so the check's own instance
    // makes them; the huge-blocks check's instances are seen as well, whatever the off-heap check asks.
    const { check, checks } = await verdict('late', ['huge-blocks']);
    expect(check.status).toBe('fail');
    expect(check.violations[0]!.message).toMatch(/made by call #\d+ \(malloc\((\d+)\)\)/);
    expect(Number(/malloc\((\d+)\)/.exec(check.violations[0]!.message)![1])).toBeGreaterThan(64);
    expect(check.violations[0]!.hint).toMatch(/belongs in the heap/);
    expect(checks.find((c) => c.name === 'huge-blocks')!.offHeap?.biggest).toMatchObject({ made: 'call', what: 'a Uint32Array of 16777216 bytes' });
  }, 300_000);

  it('tables made by the 5000th malloc, or by the first realloc, fail off-heap-metadata too', async () => {
    const nth = await offHeap('nth');
    expect(nth.status).toBe('fail');
    // The growth measurement may see them first (made between its samples); the ledger always does, at that call.
    expect(nth.offHeap?.biggest).toMatchObject({ made: 'call', what: 'a Uint32Array of 16777216 bytes' });
    expect(nth.offHeap!.biggest!.call).toBeGreaterThanOrEqual(5000);
    const realloc = await offHeap('realloc', ['realloc']);
    expect(realloc.status).toBe('fail');
    expect(realloc.violations[0]!.message).toMatch(/made by call #\d+ \(realloc\(p, \d+\)\) of the realloc check$/);
  }, 300_000);

  it('an object of 4096 properties made by JSON.parse on the 5000th malloc and kept fails off-heap-metadata', async () => {
    const parsed = await offHeap('parsed');
    expect(parsed.status).toBe('fail');
    expect(parsed.violations[0]!.message).toMatch(/biggest: an object of 4096 properties, made by call #\d+ \(malloc\(\d+\)\)/);
  }, 300_000);

  it('tables filled index by index at load fail off-heap-metadata', async () => {
    const literal = await offHeap('literal');
    expect(literal.status).toBe('fail');
    expect(literal.violations[0]!.message).toMatch(/biggest: an array of 1048576 elements, made when the module loaded$/);
  }, 300_000);

  it('small temporaries made and dropped in every call (tuples, objects, slice, map) are never counted: it passes like the control', async () => {
    const temps = await offHeap('temps', ['huge-blocks', 'realloc']);
    expect(temps.status, JSON.stringify(temps.violations)).toBe('pass');
  }, 300_000);

  it('per-call scratch above the floor (a table literal inside malloc, a typed work area, a gathered list), made again by every call and dropped, counts once per site: it passes', async () => {
    const scratch = await offHeap('scratch', ['huge-blocks', 'realloc']);
    expect(scratch.status, JSON.stringify(scratch.violations)).toBe('pass');
  }, 300_000);

  // Open from 2290120/b5f0ea0: in a call, an item under CALL_FLOOR_BYTES never counts, so counting cannot tell these
  // pieces from honest per-call temporaries ('temps', 'scratch'); whether they are still reachable can. Reached only
  // from a variable a call bound, the ledger's walk counts them by the call floor too (a call's dropped scratch list
  // is the last value of its variable as well): the memory a fresh module retains tells (retained.ts). Measured on a
  // fresh MODULE, not a fresh instance of the first: a module-level table rebuilt per instance would free the last
  // one between a fresh instance's snapshots.
  it('a 1 MB table made by the first malloc from 240-byte pieces (under the floor) fails off-heap-metadata', async () => {
    const pieces = await offHeap('pieces');
    expect(pieces.status).toBe('fail');
    expect(pieces.violations[0]!.message).toMatch(/the module keeps \d+ KiB of JavaScript memory/);
    expect(pieces.violations[0]!.size).toBeGreaterThan(983_040);
  }, 300_000);

  // Closed: what one site makes in one call adds up (a site counts once the most it made in one call).
  it('a 1.6 MB table made by the first malloc from 1600-byte pieces of one site fails off-heap-metadata', async () => {
    const chunks = await offHeap('chunks');
    expect(chunks.status).toBe('fail');
    expect(chunks.violations[0]!.message).toMatch(/made by call #1 \(malloc\(\d+\)\)/);
  }, 300_000);

  it('grade: tables a workload makes (and no check) fail off-heap-metadata and forfeit performance; a hidden workload is named only as hidden', async () => {
    // Only the off-heap check runs (it makes no realloc), and one workload with reallocs: the tables are made there only.
    const trace = await readTraceFile(findWorkload('realloc-growth')!.file);
    writeFileSync(join(dir, 'secret.rep'), writeRep({ name: 'secret', ops: trace.ops.slice(0, 2000) }));
    const graded = async (where: Where, hidden: boolean) => {
      const config = resolveConfig({ speed: 'cost', onlyListedWorkloads: true, workloads: { secret: { file: 'secret.rep', hidden } } });
      const r = await gradeSubmission(variant(where), { config, configDir: dir, checks: ['off-heap-metadata'], jobs: 1 });
      expect(r.error).toBeUndefined();
      return { r, check: r.checks.find((c) => c.name === 'off-heap-metadata')! };
    };
    const late = await graded('realloc', false);
    expect(late.check.status).toBe('fail');
    expect(late.check.violations[0]!.message).toMatch(/made by call #\d+ \(realloc\(p, \d+\)\) of the workload secret$/);
    expect(late.r.workloads[0]!.utilScore + late.r.workloads[0]!.speedScore).toBe(0);
    const control = await graded('heap', false);
    expect(control.check.status).toBe('pass');
    expect(late.r.score).toBeLessThan(control.r.score);
    const hidden = await graded('realloc', true);
    expect(hidden.check.status).toBe('fail');
    expect(hidden.check.violations[0]!.message).toMatch(/: tables made in a hidden workload$/);
    expect(JSON.stringify(hidden.r)).not.toMatch(/secret|realloc\(p, \d+\)/);
  }, 600_000);
});
