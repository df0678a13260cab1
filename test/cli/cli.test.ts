/** The CLI end to end, as a student or a CI job runs it: real processes, exit codes, --json. */
import { execa } from 'execa';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const BIN = new URL('../../scripts/heapgrade.mjs', import.meta.url).pathname;
const zoo = (name: string): string => new URL(`../fixtures/zoo/${name}.ts`, import.meta.url).pathname;
const cli = (args: string[], cwd?: string) => execa('node', [BIN, ...args], { reject: false, cwd, env: { NO_COLOR: '1' } });

describe('heapgrade CLI', () => {
  it('test --json on a passing allocator: exit 0 and the stable fields', async () => {
    const r = await cli(['test', 'ref:reference', '--json', '--check', 'alignment', '--check', 'realloc']);
    expect(r.exitCode).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({ version: 1, submission: 'ref:reference', status: 'pass' });
    expect(report.checks.map((c: { name: string }) => c.name)).toEqual(['alignment', 'realloc']);
    for (const c of report.checks) expect(c).toMatchObject({ status: 'pass', points: c.maxPoints, violations: [] });
  });

  it('test on a failing allocator: exit 1, the kind in --json, a repro file that `trace` replays to the same violation', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hg-cli-'));
    const r = await cli(['test', zoo('overlap-contain'), '--json', '--check', 'churn', '--repro', join(dir, 'repro')]);
    expect(r.exitCode).toBe(1);
    const check = JSON.parse(r.stdout).checks[0];
    expect(check.status).toBe('fail');
    expect(check.violations[0]).toMatchObject({ kind: 'overlap' });
    expect(typeof check.violations[0].op).toBe('number');
    expect(check.replay).toContain('heapgrade trace');
    const rep = readFileSync(check.reproFile, 'utf8');
    expect(rep.trim().split('\n').length).toBeLessThanOrEqual(4 + 2);
    const replay = await cli(['trace', check.reproFile, zoo('overlap-contain'), '--json']);
    expect(replay.exitCode).toBe(1);
    expect(JSON.parse(replay.stdout).violations[0].kind).toBe('overlap');
  });

  it('text output names the rule, the calls, the heap and the replay command', async () => {
    const r = await cli(['test', zoo('realloc-half-copy'), '--check', 'realloc', '--repro', join(mkdtempSync(join(tmpdir(), 'hg-')), 'r')]);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain('realloc-data-lost');
    expect(r.stdout).toContain('realloc must keep the first min(old, new) bytes');
    expect(r.stdout).toContain('The shortest sequence of calls');
    expect(r.stdout).toContain('The heap at that moment');
    expect(r.stdout).toContain('Replay it: npx heapgrade trace');
  });

  it.each([
    ['a missing file', ['test', 'no/such/allocator.ts'], 'no such file or folder'],
    ['no factory export', ['test', '__NOEXPORT__'], 'no allocator factory found'],
    ['a syntax error', ['test', '__SYNTAX__'], 'does not compile'],
    ['a factory that throws', ['test', '__THROWS__'], 'the allocator factory threw'],
    ['an unknown built-in', ['test', 'ref:nope'], 'no built-in allocator named'],
    ['an unknown check', ['test', 'ref:naive', '--check', 'nope'], 'unknown check'],
    ['an unknown command', ['tset'], 'Did you mean test?'],
    // Confined: the module has no `process`, so the call throws while loading.
    ['process.exit while loading', ['test', '__EXIT__'], 'loading the module threw'],
  ])('%s is a clear error with exit 2', async (_name, args, message) => {
    const dir = mkdtempSync(join(tmpdir(), 'hg-load-'));
    writeFileSync(join(dir, 'noexport.ts'), 'export const x = 1;\n');
    writeFileSync(join(dir, 'syntax.ts'), 'export default function (h) { return { malloc( } }\n');
    writeFileSync(join(dir, 'throws.ts'), 'export default function () { throw new Error("init failed"); }\n');
    writeFileSync(join(dir, 'exit.ts'), 'process.exit(0);\nexport default function () { return {}; }\n');
    const real = args.map((a) => a.replace('__NOEXPORT__', join(dir, 'noexport.ts')).replace('__SYNTAX__', join(dir, 'syntax.ts')).replace('__THROWS__', join(dir, 'throws.ts')).replace('__EXIT__', join(dir, 'exit.ts')));
    const r = await cli(real);
    expect(r.exitCode).toBe(2);
    expect(`${r.stdout}\n${r.stderr}`).toContain(message);
    expect(r.stderr).not.toContain('internal error');
  });

  it('--reporter junit prints JUnit XML with points as properties', async () => {
    const r = await cli(['test', zoo('calloc-wrap'), '--check', 'calloc-overflow', '--check', 'alignment', '--reporter', 'junit']);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toMatch(/^<\?xml/);
    expect(r.stdout).toContain('name="calloc-overflow"');
    expect(r.stdout).toContain('<failure');
    expect(r.stdout).toContain('name="points"');
  });

  it('list names every built-in allocator of DESIGN.md and every check', async () => {
    const r = await cli(['list', '--json']);
    expect(r.exitCode).toBe(0);
    const out = JSON.parse(r.stdout);
    const names = out.allocators.map((a: { name: string }) => a.name);
    for (const n of ['reference', 'naive', 'first-fit', 'next-fit', 'best-fit', 'worst-fit']) expect(names).toContain(n);
    expect(out.checks.length).toBeGreaterThan(10);
  });

  it('test with no argument uses ./allocator.ts when there is one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hg-local-'));
    writeFileSync(join(dir, 'allocator.ts'), `export { default } from ${JSON.stringify(zoo('calloc-wrap'))};\n`);
    const r = await cli(['test', '--json', '--check', 'calloc-overflow'], dir);
    expect(r.exitCode).toBe(1);
    expect(JSON.parse(r.stdout).submission).toBe('allocator.ts');
  });
});
