/**
 * Import direction (layers.json): checked over the real import graph of
 * every harness/, scripts/, suites/ and reference/ file, and shown to fail
 * on a copy of the tree with an upward import planted.
 */
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs build script, without declarations
import { checkLayers, importGraph, SOURCE_ROOTS } from '../../scripts/build/check-layers.mjs';
import { REPO_ROOT } from '../helpers/source-files.ts';

type Check = (root: string) => { problems: string[]; ranks: Map<string, number> };
const check = checkLayers as Check;

/** A copy of the sources and layers.json, to plant imports in. */
function copyOfTree(): string {
  const dir = mkdtempSync(join(tmpdir(), 'hg-layers-'));
  for (const r of SOURCE_ROOTS as string[]) cpSync(join(REPO_ROOT, r), join(dir, r), { recursive: true, filter: (src) => !src.includes('node_modules') });
  cpSync(join(REPO_ROOT, 'layers.json'), join(dir, 'layers.json'));
  return dir;
}

describe('import direction', () => {
  it('the real tree imports only down or sideways, apart from the listed upward imports', () => {
    const { problems } = check(REPO_ROOT);
    expect(problems).toStrictEqual([]);
  });

  it('reads a real graph: static, type-only and dynamic imports are all seen', () => {
    const edges = (importGraph as (root: string) => { from: string; to: string }[])(REPO_ROOT);
    const has = (from: string, to: string) => edges.some((e) => e.from === from && e.to === to);
    expect(edges.length).toBeGreaterThan(500);
    expect(has('scripts/cli.ts', 'harness/util/errors.ts')).toBe(true); // static
    expect(has('harness/contract/instance.ts', 'harness/contract/types.ts')).toBe(true); // import type
    expect(has('scripts/cli.ts', 'scripts/commands/emit-report.ts')).toBe(true); // await import()
  });

  it('fails on an upward import planted in a copy: grading-child code importing the host', () => {
    const dir = copyOfTree();
    appendFileSync(join(dir, 'harness/runner/worker.ts'), "\nimport type { IsolatedResult } from '../isolation/run-isolated.ts';\n");
    const { problems } = check(dir);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('harness/runner/worker.ts imports harness/isolation/run-isolated.ts');
    expect(problems[0]).toContain('harness/isolation (host) is above harness/runner (child)');
  });

  it('fails on a core module importing up, on a folder placed nowhere, and on a listed upward import that is gone', () => {
    const dir = copyOfTree();
    appendFileSync(join(dir, 'harness/util/errors.ts'), "\nexport { formatTestReport } from '../report/test-text.ts';\n");
    mkdirSync(join(dir, 'harness/newfolder'));
    writeFileSync(join(dir, 'harness/newfolder/a.ts'), "import { hex } from '../util/format.ts';\nexport const b = hex(1);\n");
    const spec = JSON.parse(readFileSync(join(dir, 'layers.json'), 'utf8')) as { knownUpward: { from: string; to: string }[] };
    spec.knownUpward.push({ from: 'harness/util/rng.ts', to: 'harness/grade/grade.ts' });
    writeFileSync(join(dir, 'layers.json'), JSON.stringify(spec));
    const { problems } = check(dir);
    expect(problems).toHaveLength(3);
    expect(problems.some((p) => p.startsWith('harness/util/errors.ts imports harness/report/test-text.ts'))).toBe(true);
    expect(problems).toContain('harness/newfolder is in no layer: place it in layers.json');
    expect(problems.some((p) => p.includes('"harness/util/rng.ts -> harness/grade/grade.ts", which no longer exists'))).toBe(true);
  });
});
