/**
 * [slow] `heapgrade diff OLD NEW` and the course page's "what changed" on two
 * real batches (tests only, two checks, to stay cheap) whose configurations
 * differ in one weight: the `alignment` check is worth 10 points, then 20.
 * Exactly the students who pass `alignment` move, by +10, and the check is
 * named as the cause; the failing and the not-loading do not move.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { runBatch } from '../../harness/batch/run-batch.ts';
import { GRADING_SANDBOX } from '../helpers/sandbox.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(ROOT, 'scripts', 'heapgrade.mjs');
const fixture = (name: string): string =>
  readFileSync(fileURLToPath(new URL(`../fixtures/batch/subs/${name}`, import.meta.url)), 'utf8')
    .replace(/'(\.\.\/)+reference\//g, `'${ROOT}reference/`)
    .replace(/'(\.\.\/)+harness\//g, `'${ROOT}harness/`);
const slow = process.env.HEAPGRADE_SKIP_SLOW === '1';

async function heapgrade(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [BIN, ...args], { cwd: ROOT });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

let work: string;
let before: string;
let after: string;
let batchRun: { code: number; stdout: string; stderr: string };

beforeAll(async () => {
  if (slow) return;
  work = await mkdtemp(join(tmpdir(), 'heapgrade-diff-'));
  const dir = join(work, 'subs');
  mkdirSync(dir);
  writeFileSync(join(dir, 'amy.ts'), fixture('pass.ts'));
  writeFileSync(join(dir, 'bob.ts'), fixture('fail-misaligned.ts'));
  writeFileSync(join(dir, 'cat.ts'), fixture('no-factory.ts'));
  writeFileSync(join(dir, 'dee.ts'), fixture('pass.ts'));
  const grade = async (points: number, out: string): Promise<string> => {
    const config = join(work, `config-${points}.json`);
    writeFileSync(config, JSON.stringify({ checks: { alignment: points } }));
    await runBatch({ dir, out, configPath: config, mode: 'test', jobs: 2, sandbox: GRADING_SANDBOX, timeoutMs: 240_000, choices: { checks: ['alignment', 'churn'] }, progress: { write: () => {}, isTTY: false } });
    return out;
  };
  before = await grade(10, join(work, 'before'));
  // The second run through the command line, as a TA would: --html --compare-to puts "what changed" on its page.
  after = join(work, 'after');
  writeFileSync(join(work, 'config-20.json'), JSON.stringify({ checks: { alignment: 20 } }));
  batchRun = await heapgrade('batch', dir, '--out', after, '--config', join(work, 'config-20.json'), '--tests-only', '--check', 'alignment,churn', '--jobs', '2', '--sandbox', GRADING_SANDBOX, '--html', '--compare-to', before);
}, 600_000);

describe.skipIf(slow)('[slow] heapgrade diff on two batches that differ in one weight', () => {
  it('lists exactly the students whose totals moved, by how much, and the check that moved them (--json)', async () => {
    const r = await heapgrade('diff', before, after, '--json');
    expect(r.code, r.stderr).toBe(0);
    const d = JSON.parse(r.stdout) as { compared: number; changed: { id: string; delta: number; causes: unknown[] }[]; added: string[]; removed: string[] };
    expect(d.compared).toBe(4);
    expect(d.changed.map((c) => c.id).sort()).toStrictEqual(['amy', 'dee']);
    for (const c of d.changed) {
      expect(c.delta).toBe(10);
      expect(c.causes).toStrictEqual([{ kind: 'check', name: 'alignment', old: { points: 10, status: 'pass' }, new: { points: 20, status: 'pass' } }]);
    }
    expect(d.added).toStrictEqual([]);
    expect(d.removed).toStrictEqual([]);
  }, 60_000);

  it('batch --html names the course page in its summary line', () => {
    expect(batchRun.code, batchRun.stderr).toBe(0); // failing students are not a failed batch
    expect(batchRun.stdout.split('\n')[0]).toBe(`4 submissions: 2 pass, 2 fail, 0 error; course page: ${join(after, 'index.html')}`);
    const page = readFileSync(join(after, 'index.html'), 'utf8');
    expect(/<table class="changes">(.*?)<\/table>/s.exec(page)?.[1]?.match(/<tr>/g)).toHaveLength(3);
  });

  it('says the same as text, and on the course page given --compare-to', async () => {
    const text = await heapgrade('diff', before, after);
    expect(text.stdout).toContain('2 of 4 students moved (2 up, 0 down, 0 status only); 0 added, 0 removed');
    expect(text.stdout).toMatch(/amy\s+pass \d+\.00 → pass \d+\.00\s+\(\+10\.00\)\n\s+check alignment: 10 \(pass\) → 20 \(pass\)/);
    expect(text.stdout).not.toMatch(/\b(bob|cat)\b/);

    const report = await heapgrade('report', after, '--compare-to', before);
    expect(report.code, report.stderr).toBe(0);
    expect(report.stdout).toBe(`course page: ${join(after, 'index.html')}\n`);
    const page = readFileSync(join(after, 'index.html'), 'utf8');
    const changes = /<table class="changes">(.*?)<\/table>/s.exec(page)?.[1] ?? '';
    expect(changes.match(/<tr>/g)).toHaveLength(3); // the header and amy, dee
    expect(changes).toContain('check alignment: 10 (pass) → 20 (pass)');
  }, 60_000);

  it('refuses a folder that is not a batch output, naming it and the fix', async () => {
    const r = await heapgrade('diff', before, work);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${work}: not a batch output folder (it has no journal.jsonl); give the --out folder of \`heapgrade batch\` or \`heapgrade merge\``);
    const missing = await heapgrade('report', join(work, 'nope'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`${join(work, 'nope')}: no such folder`);
  }, 60_000);
});
