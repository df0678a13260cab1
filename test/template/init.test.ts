/** `heapgrade init ts|c DIR`: a self-contained student folder, and a clear refusal to overwrite one. */
import { execa } from 'execa';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const BIN = new URL('../../scripts/heapgrade.mjs', import.meta.url).pathname;
const KIT_VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
const cli = (args: string[], cwd?: string) => execa('node', [BIN, ...args], { reject: false, cwd, env: { NO_COLOR: '1' } });

describe('heapgrade init', () => {
  it.each([
    ['ts', 'allocator.ts', 'allocator.test.ts'],
    ['c', 'mm.c', 'mm.test.ts'],
  ])('%s: the allocator, its tests, the Classroom workflow, .gitignore and an installable kit dependency', async (language, main, test) => {
    const dir = join(mkdtempSync(join(tmpdir(), 'hg-init-')), 'student');
    const r = await cli(['init', language, dir]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('npm install');
    for (const f of [main, test, 'package.json', 'vitest.config.ts', 'README.md', '.github/workflows/classroom.yml']) expect(existsSync(join(dir, f)), f).toBe(true);
    expect(readFileSync(join(dir, '.gitignore'), 'utf8').split('\n')).toEqual(expect.arrayContaining(['node_modules/', '.heapgrade/']));
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    expect(manifest.devDependencies.heapgrade).toBe(`^${KIT_VERSION}`);
    expect(manifest.allowScripts).toEqual({ esbuild: true });
    // Students' vitest loads the compiled kit as it is: no vite inlining of heapgrade.
    expect(readFileSync(join(dir, 'vitest.config.ts'), 'utf8')).not.toContain('inline');
  });

  it('--tarball copies the packed kit into vendor/ and depends on it there', async () => {
    const work = mkdtempSync(join(tmpdir(), 'hg-init-tgz-'));
    const tgz = join(work, 'heapgrade-9.9.9.tgz');
    writeFileSync(tgz, 'not really a tarball: init only copies it');
    const r = await cli(['init', 'ts', join(work, 'student'), '--tarball', tgz]);
    expect(r.exitCode).toBe(0);
    expect(existsSync(join(work, 'student', 'vendor', 'heapgrade-9.9.9.tgz'))).toBe(true);
    expect(JSON.parse(readFileSync(join(work, 'student', 'package.json'), 'utf8')).devDependencies.heapgrade).toBe('file:vendor/heapgrade-9.9.9.tgz');
  });

  it('refuses a folder that is not empty, names it, and writes nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hg-init-full-'));
    writeFileSync(join(dir, 'notes.txt'), 'mine');
    const r = await cli(['init', 'c', dir]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain(`${dir} is not empty`);
    expect(existsSync(join(dir, 'mm.c'))).toBe(false);
  });

  it('refuses a file in place of the folder', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'hg-init-file-')), 'student');
    writeFileSync(file, 'not a folder');
    const r = await cli(['init', 'ts', file]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain(`${file} is a file`);
  });

  it('names the languages it knows', async () => {
    mkdirSync(join(tmpdir(), 'hg-init-x'), { recursive: true });
    const r = await cli(['init', 'rust', join(tmpdir(), 'hg-init-x', 'a')]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/Choices: "ts", "c"/);
  });
});
