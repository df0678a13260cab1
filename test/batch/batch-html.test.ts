/** `heapgrade batch --html`: each graded student also gets a self-contained HTML report. */
import { mkdtemp, readFile, writeFile, copyFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runBatch } from '../../harness/batch/run-batch.ts';
import { GRADING_SANDBOX } from '../helpers/sandbox.ts';

const TEMPLATE = fileURLToPath(new URL('../../student-template/ts/allocator.ts', import.meta.url));

describe.skipIf(process.env.HEAPGRADE_SKIP_SLOW === '1')('[slow] batch --html', () => {
  it('writes <out>/students/<id>.html with every workload', async () => {
    const root = await mkdtemp(join(tmpdir(), 'hg-batch-html-'));
    const dir = join(root, 'subs');
    await mkdir(dir);
    await copyFile(TEMPLATE, join(dir, 'amy.ts'));
    const config = join(root, 'config.json');
    await writeFile(config, JSON.stringify({ onlyListedWorkloads: true, workloads: { coalescing: {}, binary: {} }, speed: 'cost' }));
    const out = join(root, 'out');
    const summary = await runBatch({ dir, out, configPath: config, jobs: 1, html: true, timeoutMs: 120_000, choices: { skipChecks: true }, progress: { write: () => {}, isTTY: false }, sandbox: GRADING_SANDBOX });
    expect(summary.counts.pass).toBe(1);
    const html = await readFile(join(out, 'students', 'amy.html'), 'utf8');
    expect(html).toMatch(/^<!doctype html>/i);
    expect(html).toContain('coalescing');
    expect(html).toContain('binary');
  });
});
