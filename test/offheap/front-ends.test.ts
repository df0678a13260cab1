/**
 * Hostile off-heap fixtures graded through the real front ends (issue 19):
 * `heapgrade grade` and `heapgrade batch` (in the OS sandbox where
 * bubblewrap starts), each beside an honest control doing the same work
 * plainly. With off-heap metadata forfeiting utilization and speed, no
 * hostile one may score more than its control:
 * - per-block tables allocated once in createAllocator against the same
 *   allocator keeping its metadata in block headers;
 * - block sizes in a JavaScript Map against the kit's reference;
 * - the reference run in a child Compartment (unmetered) against the
 *   reference itself: `Compartment` is not endowed, so it does not load.
 */
import { execa } from 'execa';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { GRADING_SANDBOX } from '../helpers/sandbox.ts';
import { copyFixture, tablesVariant } from './variants.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI = join(ROOT, 'scripts/cli.ts');

/** Two workloads and a short property search keep four grades bearable on a shared machine; every check runs. */
const CONFIG = { onlyListedWorkloads: true, workloads: { coalescing: {}, 'random-churn': {} }, property: { timeLimitMs: 20000, numRuns: 40, stepBudget: 20_000_000 } };

/** hostile → its control, by file name. */
const PAIRS = { factory: 'heap', map: 'reference', compartment: 'reference' } as const;

function submissions(): { dir: string; config: string } {
  const work = mkdtempSync(join(tmpdir(), 'heapgrade-offheap-fronts-'));
  const dir = join(work, 'subs');
  mkdirSync(dir);
  tablesVariant('factory', dir);
  tablesVariant('heap', dir);
  copyFixture('zoo/off-heap-map.ts', dir, 'map.ts');
  copyFixture('offheap/child-compartment.ts', dir, 'compartment.ts');
  writeFileSync(join(dir, 'reference.ts'), `export { default } from '${ROOT}reference/reference.ts';\n`);
  const config = join(work, 'heapgrade.config.json');
  writeFileSync(config, JSON.stringify(CONFIG));
  return { dir, config };
}

interface Graded {
  score: number;
  offHeap?: string;
  loaded: boolean;
}

describe.skipIf(process.env.HEAPGRADE_SKIP_SLOW === '1')('[slow] off-heap hostile fixtures through grade and batch', () => {
  const { dir, config } = submissions();

  it('grade: each hostile one fails off-heap-metadata (or does not load) and scores no more than its control', async () => {
    const graded: Record<string, Graded> = {};
    for (const name of ['factory', 'heap', 'map', 'reference', 'compartment']) {
      const r = await execa('node', ['--import', 'tsx', CLI, 'grade', join(dir, `${name}.ts`), '--config', config, '--json'], { cwd: ROOT, reject: false });
      const report = JSON.parse(r.stdout) as { score: number; error?: string; checks: { name: string; status: string }[] };
      graded[name] = { score: report.score, offHeap: report.checks.find((c) => c.name === 'off-heap-metadata')?.status, loaded: report.error === undefined };
    }
    expect(graded.factory!.offHeap).toBe('fail');
    expect(graded.map!.offHeap).toBe('fail');
    expect(graded.heap!.offHeap).toBe('pass');
    expect(graded.reference!.offHeap).toBe('pass');
    expect(graded.compartment!.loaded).toBe(false);
    for (const [hostile, control] of Object.entries(PAIRS)) {
      expect({ hostile, score: graded[hostile]!.score, notAbove: graded[hostile]!.score <= graded[control]!.score }).toEqual({ hostile, score: graded[hostile]!.score, notAbove: true });
    }
  }, 900_000);

  it(`batch (--sandbox ${GRADING_SANDBOX}): the same verdicts in the gradebook`, async () => {
    const out = join(dir, '..', 'out');
    const r = await execa('node', ['--import', 'tsx', CLI, 'batch', dir, '--out', out, '--config', config, '--jobs', '2', '--timeout', '600', '--memory', '1024', '--sandbox', GRADING_SANDBOX], { cwd: ROOT, reject: false });
    expect(r.exitCode, r.stderr).toBe(0);
    type Student = { outcome: string; report?: { score: number; checks: { name: string; status: string }[] } };
    const student = (id: string) => JSON.parse(readFileSync(join(out, 'students', `${id}.json`), 'utf8')) as Student;
    const score = (id: string): number => student(id).report?.score ?? 0;
    const offHeap = (id: string) => student(id).report?.checks.find((c) => c.name === 'off-heap-metadata')?.status;
    expect(offHeap('factory')).toBe('fail');
    expect(offHeap('map')).toBe('fail');
    expect(offHeap('heap')).toBe('pass');
    expect(offHeap('reference')).toBe('pass');
    expect(student('compartment').outcome).toBe('load-failed');
    for (const [hostile, control] of Object.entries(PAIRS)) {
      expect({ hostile, notAbove: score(hostile) <= score(control) }).toEqual({ hostile, notAbove: true });
    }
    expect(score('heap')).toBeGreaterThan(0);
  }, 900_000);
});
