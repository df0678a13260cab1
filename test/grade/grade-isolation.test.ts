/**
 * A workload replay that never returns must become a `timeout` on that
 * workload, not a hung `heapgrade grade`; and --html writes the heap over
 * time of each workload, with the violation.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../harness/config/load.ts';
import { gradeSubmission } from '../../harness/grade/grade.ts';

const zoo = (name: string): string => fileURLToPath(new URL(`../fixtures/zoo/${name}.ts`, import.meta.url));

describe('grade isolation', () => {
  it('a call that hangs in a workload is a timeout violation on that workload; the others are graded', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'hg-hang-'));
    // zero-size-loop hangs on malloc(0) only.
    writeFileSync(path.join(dir, 'zero.rep'), '4096\n2\n3\n1\na 0 16\na 1 0\nf 0\n');
    const config = resolveConfig({
      speed: 'cost',
      // The step budget decides the timeout; the wall clock (default 30 s) is only a backstop whose firing would be the kit's error.
      onlyListedWorkloads: true,
      workloads: { coalescing: { weight: 1 }, zero: { file: path.join(dir, 'zero.rep'), weight: 1 } },
    });
    const r = await gradeSubmission(zoo('zero-size-loop'), { config, configDir: dir, skipChecks: true });
    const byName = Object.fromEntries(r.workloads.map((w) => [w.name, w]));
    expect(byName.zero!.status).toBe('fail');
    expect(byName.zero!.violations[0]).toMatchObject({ kind: 'timeout', op: 1 });
    expect(byName.coalescing!.status).toBe('pass');
  }, 240_000);

  it('--html writes one self-contained page with each workload and the violation', async () => {
    const out = path.join(mkdtempSync(path.join(tmpdir(), 'hg-html-')), 'report.html');
    const config = resolveConfig({ speed: 'cost' });
    await gradeSubmission(zoo('corrupt-neighbour'), { config, workloads: ['coalescing', 'binary'], skipChecks: true, html: out });
    const html = readFileSync(out, 'utf8');
    expect(html).toContain('coalescing');
    expect(html).toContain('binary');
    expect(html).toMatch(/segfault|payload-corrupted/);
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href="http/);
  });
});
