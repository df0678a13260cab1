/**
 * [slow] A batch killed with SIGKILL midway resumes without losing or
 * repeating a graded submission. Skip with HEAPGRADE_SKIP_SLOW=1.
 */
import { execa } from 'execa';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readJournal } from '../../harness/batch/journal.ts';
import { parseCsv } from './helpers/csv-parse.ts';
import { GRADING_SANDBOX } from '../helpers/sandbox.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI = fileURLToPath(new URL('./helpers/cli.ts', import.meta.url));
const PASS = fileURLToPath(new URL('../fixtures/batch/subs/pass.ts', import.meta.url));
const IDS = ['s1', 's2', 's3', 's4'];

/** Lines of the journal that are a submission's final entry (not the header, not a streamed check result). */
function finalCount(path: string): number {
  if (!existsSync(path)) return 0;
  return readFileSync(path, 'utf8').split('\n').filter((l) => l.startsWith('{"id"') && !l.includes('"progress"')).length;
}

describe.skipIf(process.env.HEAPGRADE_SKIP_SLOW === '1')('[slow] resuming a killed batch', () => {
  it('skips what the journal has, grades the rest, and loses nothing', async () => {
    // Arrange: four copies of a passing submission, importing the reference by absolute path.
    const work = await mkdtemp(join(tmpdir(), 'heapgrade-resume-'));
    const dir = join(work, 'subs');
    const out = join(work, 'out');
    mkdirSync(dir);
    const source = readFileSync(PASS, 'utf8').replace(/'(\.\.\/)+reference\//, `'${ROOT}reference/`);
    for (const id of IDS) writeFileSync(join(dir, `${id}.ts`), source);
    copyFileSync(fileURLToPath(new URL('../fixtures/batch/config.json', import.meta.url)), join(work, 'config.json'));
    const args = [CLI, 'batch', dir, '--out', out, '--jobs', '1', '--tests-only', '--check', 'alignment,churn', '--timeout', '30', '--memory', '384', '--config', join(work, 'config.json'), '--sandbox', GRADING_SANDBOX];
    const journal = join(out, 'journal.jsonl');

    // Act 1: start, and kill the batch (SIGKILL: no cleanup at all) once one submission is journaled.
    const first = execa('node', ['--import', 'tsx', ...args], { cwd: ROOT, reject: false });
    while (finalCount(journal) < 1) {
      await new Promise((r) => setTimeout(r, 50));
      if (first.exitCode !== null) break;
    }
    first.kill('SIGKILL');
    const killed = await first;
    const before = readJournal(journal);

    // Act 2: resume.
    const second = await execa('node', ['--import', 'tsx', ...args, '--resume'], { cwd: ROOT, reject: false });

    // Assert: it was killed midway, the resumed run graded only the rest, every id appears exactly once.
    expect(killed.signal).toBe('SIGKILL');
    expect(before.entries.size).toBeGreaterThanOrEqual(1);
    expect(before.entries.size).toBeLessThan(IDS.length);
    expect(second.exitCode, second.stderr).toBe(0);
    expect(second.stderr).toContain(`resuming: ${before.entries.size} already graded`);
    const ids = readFileSync(journal, 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('{"id"') && !l.includes('"progress"'))
      .map((l) => (JSON.parse(l) as { id: string }).id);
    expect(ids.sort()).toStrictEqual(IDS);
    const [, ...rows] = parseCsv(readFileSync(join(out, 'gradebook.csv'), 'utf8'));
    expect(rows.map((r) => `${r[0]}:${r[1]}`)).toStrictEqual(IDS.map((id) => `${id}:pass`));
  });

  it('refuses to overwrite a journal without --resume or --fresh', async () => {
    const work = await mkdtemp(join(tmpdir(), 'heapgrade-resume-'));
    mkdirSync(join(work, 'subs'));
    writeFileSync(join(work, 'subs', 's1.ts'), readFileSync(PASS, 'utf8')); // not graded: refused before (an empty folder is its own error)
    mkdirSync(join(work, 'out'));
    writeFileSync(join(work, 'out', 'journal.jsonl'), '');
    const r = await execa('node', ['--import', 'tsx', CLI, 'batch', join(work, 'subs'), '--out', join(work, 'out')], { cwd: ROOT, reject: false });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/Pass --resume to continue it, or --fresh/);
  });
});
