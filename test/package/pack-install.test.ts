/**
 * [slow] The kit as a course gets it: `npm pack` of the built kit (dist/, rebuilt
 * first if older than the sources), the tarball installed into a fresh student folder written by
 * `heapgrade init --tarball`, then the student's `npm test` and
 * `npx heapgrade test` there. This is the only test that exercises the
 * `files` field, the exports map and the compiled tree: tsx is a development
 * dependency, so it is not installed, and anything in the package that still
 * needs it fails here. One install per file: it is the slow part. Skip with
 * HEAPGRADE_SKIP_SLOW=1.
 */
import { execa } from 'execa';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureFreshDist } from '../helpers/fresh-dist.ts';
import { GRADING_SANDBOX } from '../helpers/sandbox.ts';

const KIT = new URL('../../', import.meta.url).pathname;
const KIT_VERSION = (JSON.parse(readFileSync(join(KIT, 'package.json'), 'utf8')) as { version: string }).version;
const env = { NO_COLOR: '1', CI: 'true', npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' };

const SKIP = process.env.HEAPGRADE_SKIP_SLOW === '1';
let work: string;
let student: string;
let install: { stdout: string; stderr: string };

beforeAll(async () => {
  if (SKIP) return;
  work = mkdtempSync(join(tmpdir(), 'hg-pack-'));
  // Built here only when stale (as `prepare` would), never rebuilt under another test reading dist/.
  ensureFreshDist();
  const pack = await execa('npm', ['pack', '--ignore-scripts', '--pack-destination', work, '--json'], { cwd: KIT, env });
  const tarball = join(work, (JSON.parse(pack.stdout) as { filename: string }[])[0]!.filename);
  // The repo's init writes the folder (init.test.ts covers it); the installed kit's own init is tested below.
  student = join(work, 'student');
  await execa('node', [join(KIT, 'scripts', 'heapgrade.mjs'), 'init', 'ts', student, '--tarball', tarball], { env });
  install = await execa('npm', ['install', '--prefer-offline'], { cwd: student, env });
}, 600_000);

describe.skipIf(SKIP)('[slow] the packed kit in a student folder', () => {
  it('installs with no lifecycle script of the kit: nothing for npm to warn about or run (the build script is not shipped)', () => {
    const manifest = JSON.parse(readFileSync(join(student, 'node_modules', 'heapgrade', 'package.json'), 'utf8')) as { scripts?: Record<string, string> };
    const install_scripts = ['preinstall', 'install', 'postinstall', 'prepare'].filter((s) => manifest.scripts?.[s] !== undefined);
    expect(install_scripts).toEqual([]);
    // npm 11 lists a dependency's install scripts that allowScripts does not cover ("heapgrade@0.1.0 (prepare: npm run build)").
    expect(`${install.stdout}\n${install.stderr}`).not.toMatch(/install-scripts|heapgrade@[\d.]+ \(/);
  });

  it('installs without tsx and ships compiled JavaScript with declarations', () => {
    const installed = join(student, 'node_modules', 'heapgrade');
    expect(existsSync(join(student, 'node_modules', 'tsx'))).toBe(false);
    expect(existsSync(join(installed, 'dist', 'harness', 'index.js'))).toBe(true);
    expect(existsSync(join(installed, 'dist', 'harness', 'index.d.ts'))).toBe(true);
    // Only the compiled tree: no TypeScript sources of the kit outside the student templates.
    const sources = readdirSync(join(installed, 'dist'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts') && !f.startsWith('student-template'));
    expect(sources).toEqual([]);
    expect(existsSync(join(student, '.gitignore'))).toBe(true);
    expect(existsSync(join(student, '.github', 'workflows', 'classroom.yml'))).toBe(true);
  });

  it("the installed kit's init writes a complete C folder (the packed templates, .gitignore included)", async () => {
    const dir = join(work, 'c-student');
    const r = await execa('npx', ['heapgrade', 'init', 'c', dir], { cwd: student, env });
    expect(r.stdout).toContain('npm install');
    for (const f of ['mm.c', 'mm.test.ts', '.gitignore', '.github/workflows/classroom.yml']) expect(existsSync(join(dir, f)), f).toBe(true);
    expect(existsSync(join(dir, 'gitignore.template'))).toBe(false);
    expect(JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).devDependencies.heapgrade).toBe(`^${KIT_VERSION}`);
  });

  it('is importable from plain node, both entry points', async () => {
    const r = await execa('node', ['--input-type=module', '-e', "const k = await import('heapgrade'); const v = await import('heapgrade/vitest'); console.log(typeof k.SimHeap, typeof v.allocatorSuite)"], { cwd: student, env });
    expect(r.stdout).toBe('function function');
  });

  it("npx heapgrade --version prints the kit's version", async () => {
    const r = await execa('npx', ['heapgrade', '--version'], { cwd: student, env });
    expect(r.stdout.trim()).toBe(KIT_VERSION);
  });

  it("npm test: the student's vitest runs every check on the template, and it passes", async () => {
    const r = await execa('npm', ['test', '--', '--reporter=json'], { cwd: student, env, reject: false });
    const json = JSON.parse(r.stdout.slice(r.stdout.indexOf('{'))) as { numPassedTests: number; numFailedTests: number };
    expect(r.exitCode, r.stderr).toBe(0);
    expect(json.numFailedTests).toBe(0);
    expect(json.numPassedTests).toBeGreaterThan(10);
  }, 600_000);

  it('npx heapgrade test: the compiled CLI, its worker threads, exit 0', async () => {
    const r = await execa('npx', ['heapgrade', 'test', '--check', 'alignment,realloc'], { cwd: student, env, reject: false });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toContain('heapgrade test allocator.ts');
    expect(r.stdout).toContain('all checks pass');
  }, 300_000);

  it('npx heapgrade grade: the compiled kit measures against its built-in TypeScript reference (bundled from dist/, no .ts there)', async () => {
    const r = await execa('npx', ['heapgrade', 'grade', '--workloads', 'coalescing', '--json'], { cwd: student, env, reject: false });
    expect(r.stdout, r.stderr).toMatch(/^\{/);
    const report = JSON.parse(r.stdout) as { error?: string; workloads: { name: string; status: string }[] };
    expect(report.error).toBeUndefined();
    expect(report.workloads.map((w) => [w.name, w.status])).toEqual([['coalescing', 'pass']]);
  }, 300_000);

  it('npx heapgrade batch: each submission graded in its own child process started from the compiled kit', async () => {
    const subs = join(work, 'subs');
    mkdirSync(join(subs, 'alice'), { recursive: true });
    copyFileSync(join(student, 'allocator.ts'), join(subs, 'alice', 'allocator.ts'));
    const r = await execa('npx', ['heapgrade', 'batch', subs, '--out', join(work, 'out'), '--tests-only', '--check', 'alignment', '--jobs', '1', '--sandbox', GRADING_SANDBOX], { cwd: student, env, reject: false });
    expect(r.exitCode, `${r.stdout}\n${r.stderr}`).toBe(0);
    expect(readFileSync(join(work, 'out', 'gradebook.csv'), 'utf8')).toMatch(/^alice,/m);
  }, 300_000);
});
