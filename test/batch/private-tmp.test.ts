/**
 * [slow] Any temp folder works: a TA grades in a private workspace
 * (`mktemp -d`, mode 0700) with TMPDIR inside it, and the submissions and
 * the output there too. The sandboxed children run as nobody, who cannot
 * enter that folder: the kit stages what they must reach under a temp folder
 * they can, so every submission is graded (it used to be one kit error per
 * submission: `bwrap: Can't find source path ...: Permission denied`).
 */
import { execa } from 'execa';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseCsv } from './helpers/csv-parse.ts';
import { GRADING_SANDBOX } from '../helpers/sandbox.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI = fileURLToPath(new URL('./helpers/cli.ts', import.meta.url));
const PASS = fileURLToPath(new URL('../fixtures/batch/subs/pass.ts', import.meta.url));
const MISALIGNED = fileURLToPath(new URL('../fixtures/batch/subs/fail-misaligned.ts', import.meta.url));

describe.skipIf(process.env.HEAPGRADE_SKIP_SLOW === '1')('[slow] a batch with TMPDIR inside a private (0700) folder', () => {
  it('grades every submission', async () => {
    const workspace = mkdtempSync(join(tmpdir(), 'heapgrade-private-'));
    chmodSync(workspace, 0o700);
    const tmp = join(workspace, 'tmp');
    const subs = join(workspace, 'subs');
    mkdirSync(tmp);
    mkdirSync(subs);
    const absolute = (f: string) => readFileSync(f, 'utf8').replace(/'(\.\.\/)+reference\//g, `'${ROOT}reference/`);
    for (const id of ['s1', 's2']) writeFileSync(join(subs, `${id}.ts`), absolute(PASS));
    writeFileSync(join(subs, 's3.ts'), absolute(MISALIGNED));
    const out = join(workspace, 'out');
    const r = await execa('node', ['--import', 'tsx', CLI, 'batch', subs, '--out', out, '--jobs', '1', '--tests-only', '--check', 'alignment', '--timeout', '60', '--memory', '384', '--sandbox', GRADING_SANDBOX], {
      cwd: ROOT, reject: false, env: { TMPDIR: tmp },
    });
    expect(r.exitCode, `${r.stdout}\n${r.stderr}`).toBe(0); // a failing student is not an error; a kit error would be 3
    expect(r.stderr).not.toMatch(/Permission denied|kit-error/);
    const [, ...rows] = parseCsv(readFileSync(join(out, 'gradebook.csv'), 'utf8'));
    expect(rows.map((row) => `${row[0]}:${row[1]}`)).toStrictEqual(['s1:pass', 's2:pass', 's3:fail']);
  }, 300_000);
});
