/**
 * [slow] Past one machine: a course graded as three shards and merged gets
 * the same gradebook and per-student files as one unsharded run; resuming
 * an output folder with another shard keeps every row; merge refuses shards
 * that overlap, are missing, or were graded differently; an empty batch
 * folder is an error. Real batches (a child process per submission).
 */
import { execa } from 'execa';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { readBatchFolder } from '../../harness/batch/batch-folder.ts';
import { diffCourses } from '../../harness/batch/course/diff.ts';
import { writeCoursePage } from '../../harness/batch/course-page.ts';
import { mergeBatches } from '../../harness/batch/merge.ts';
import { runBatch, type BatchOptions } from '../../harness/batch/run-batch.ts';
import { parseCsv } from '../batch/helpers/csv-parse.ts';
import { GRADING_SANDBOX } from '../helpers/sandbox.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(ROOT, 'scripts/heapgrade.mjs');
const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/batch/subs/${name}`, import.meta.url));
/** Five students: two pass, two misaligned, one that does not load. */
const STUDENTS: Record<string, string> = { ana: 'pass.ts', bo: 'fail-misaligned.ts', cy: 'no-factory.ts', dee: 'pass.ts', eli: 'fail-misaligned.ts' };
const silent = { write: () => {} };

let work: string;
let dir: string;
let base: Omit<BatchOptions, 'out'>;

/** The gradebook without the one column that may differ run to run: none today, so the whole file. */
const gradebook = (out: string) => readFileSync(join(out, 'gradebook.csv'), 'utf8');
/** Per-student JSON without timings and timestamps, which differ between any two runs. */
function studentFiles(out: string): Record<string, unknown> {
  const files: Record<string, unknown> = {};
  for (const f of readdirSync(join(out, 'students')).sort()) {
    if (!f.endsWith('.json')) continue;
    files[f] = JSON.parse(readFileSync(join(out, 'students', f), 'utf8'), (k, v) => (['durationMs', 'finishedAt', 'peakRssMb', 'cpuMs', 'ms'].includes(k) ? 0 : v));
  }
  return files;
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'heapgrade-shards-'));
  dir = join(work, 'subs');
  mkdirSync(dir);
  for (const [id, file] of Object.entries(STUDENTS)) {
    writeFileSync(join(dir, `${id}.ts`), readFileSync(fixture(file), 'utf8').replace(/'(\.\.\/)+reference\//g, `'${ROOT}reference/`).replace(/'(\.\.\/)+harness\//g, `'${ROOT}harness/`));
  }
  base = {
    dir, mode: 'test', jobs: 2, timeoutMs: 60_000, memoryMb: 384, progress: silent,
    configPath: fileURLToPath(new URL('../fixtures/batch/config.json', import.meta.url)),
    choices: { checks: ['alignment', 'churn'] },
    sandbox: GRADING_SANDBOX,
  };
});

describe.skipIf(process.env.HEAPGRADE_SKIP_SLOW === '1')('[slow] shards and merge', () => {
  it('three shards merged equal one unsharded run', async () => {
    // Arrange + Act: the whole course, then three shards in three folders, then the merge.
    const whole = await runBatch({ ...base, out: join(work, 'whole') });
    const shards = [];
    for (const index of [1, 2, 3]) shards.push(await runBatch({ ...base, out: join(work, `shard${index}`), shard: { index, count: 3 } }));
    const merged = await mergeBatches({ inputs: shards.map((s) => s.out).reverse(), out: join(work, 'merged') });

    // Assert: shards are disjoint slices, and the merge is the unsharded result.
    expect(shards.map((s) => s.total)).toStrictEqual([2, 2, 1]);
    expect(merged.submissions).toBe(5);
    const rows = parseCsv(gradebook(merged.out));
    expect(rows.slice(1).map((r) => [r[0], r[1]])).toStrictEqual([['ana', 'pass'], ['bo', 'fail'], ['cy', 'fail'], ['dee', 'pass'], ['eli', 'fail']]);
    expect(gradebook(merged.out)).toBe(gradebook(whole.out));
    expect(studentFiles(merged.out)).toStrictEqual(studentFiles(whole.out));

    // The course page of the merged folder is the unsharded one's (but for the folder name in its title), and nobody moved.
    const page = async (out: string, name: string) => readFileSync(await writeCoursePage(out), 'utf8').replaceAll(`Course results: ${name}`, 'Course results: OUT');
    expect(await page(merged.out, 'merged')).toBe(await page(whole.out, 'whole'));
    expect(diffCourses(readBatchFolder(whole.out).entries, readBatchFolder(merged.out).entries)).toStrictEqual({ compared: 5, changed: [], added: [], removed: [] });

  }, 300_000);

  it('refuses overlapping, missing and differently graded shards, with what to do', async () => {
    const s1 = join(work, 'shard1');
    const s2 = join(work, 'shard2');
    await expect(mergeBatches({ inputs: [s1, s2, s1], out: join(work, 'm-overlap') })).rejects.toThrow(/both hold student ana .*the shards overlap/);
    await expect(mergeBatches({ inputs: [s1, s2], out: join(work, 'm-missing') })).rejects.toThrow(/hold 4 of the 5 submissions: shard 3\/3 missing/);
    await expect(mergeBatches({ inputs: [s1, join(work, 'whole')], out: join(work, 'm-count') })).rejects.toThrow(/different shard counts/);
    // A shard graded with another configuration (the kit defaults) does not merge with the others.
    const other = await runBatch({ ...base, configPath: undefined, out: join(work, 'other3'), shard: { index: 3, count: 3 } });
    await expect(mergeBatches({ inputs: [s1, s2, other.out], out: join(work, 'm-config') })).rejects.toThrow(/do not belong together: .*another configuration/);
    // Through the CLI: a usage error, exit 2, no stack.
    const cli = await execa('node', [BIN, 'merge', s1, s1, '--out', join(work, 'm-cli')], { cwd: ROOT, reject: false });
    expect(cli.exitCode).toBe(2);
    expect(cli.stderr).toMatch(/^heapgrade: .*overlap/);
    expect(cli.stderr).not.toMatch(/at .*\.ts:\d+/);
    const ok = await execa('node', [BIN, 'merge', s1, s2, join(work, 'shard3'), '--out', join(work, 'm-cli-ok')], { cwd: ROOT, reject: false });
    expect(ok.exitCode, ok.stderr).toBe(0);
    expect(ok.stdout).toContain('merged 3 folders: 5 submissions, 2 pass, 3 fail, 0 error');
  }, 300_000);

  it('resuming a folder with another --shard keeps the rows it had', async () => {
    const out = join(work, 'together');
    await runBatch({ ...base, out, shard: { index: 1, count: 3 } });
    await runBatch({ ...base, out, shard: { index: 2, count: 3 }, resume: true });
    const ids = parseCsv(gradebook(out)).slice(1).map((r) => r[0]);
    expect(ids).toStrictEqual(['ana', 'bo', 'dee', 'eli']);
    const manifest = JSON.parse(readFileSync(join(out, 'batch.json'), 'utf8')) as { shard: { indices: number[] } };
    expect(manifest.shard.indices).toStrictEqual([1, 2]);
    // Another split of the course into the same folder is refused, not mixed in.
    await expect(runBatch({ ...base, out, shard: { index: 1, count: 2 }, resume: true })).rejects.toThrow(/holds shards of 3 \(1, 2\).*Resume with --shard i\/3/);
  }, 300_000);

  it('an empty batch folder is an error that says so (exit 2)', async () => {
    const empty = join(work, 'empty');
    mkdirSync(empty);
    writeFileSync(join(empty, '.DS_Store'), '');
    const r = await execa('node', [BIN, 'batch', empty, '--out', join(work, 'empty-out')], { cwd: ROOT, reject: false });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain(`${empty}: the folder is empty`);
  }, 60_000);
});
