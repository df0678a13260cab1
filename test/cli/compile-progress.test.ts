/**
 * `heapgrade test` on a C file says it is compiling from the start, only
 * when the compiler really runs, and with true words: through a pipe one
 * plain line before any check's row (the checks start once the compile has
 * ended), through a pseudo-terminal a status line; a second run, served by
 * the compile cache, says nothing of compiling. The same for a folder
 * submission (naming the folder's file), and for `grade` (on stderr, so the
 * report on stdout stays the record).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../../scripts/heapgrade.mjs', import.meta.url));
const TEMPLATE = readFileSync(fileURLToPath(new URL('../../student-template/c/mm.c', import.meta.url)), 'utf8');

/** The template with a comment no other run has: its module is not in the shared compile cache. */
function freshMmC(): string {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'hg-progress-')), 'mm.c');
  writeFileSync(file, `/* ${randomBytes(8).toString('hex')} */\n${TEMPLATE}`);
  return file;
}

/** A fresh template as the only .c file of a folder. */
function freshFolder(): string {
  return path.dirname(freshMmC());
}

describe('progress while a C file compiles', () => {
  it('through a pipe: "compiling mm.c with ... clang" once, before any row; cached, no such line', async () => {
    const file = freshMmC();
    const child = execa('node', [BIN, 'test', file, '--check', 'alignment'], { reject: false, env: { NO_COLOR: '1' } });
    let seen = '';
    let runningWhenSaid: boolean | undefined;
    child.stdout!.on('data', (d: Buffer) => {
      seen += d.toString();
      if (runningWhenSaid === undefined && seen.includes('compiling mm.c')) runningWhenSaid = child.exitCode === null;
    });
    const r = await child;
    expect(r.exitCode).toBe(0);
    expect(runningWhenSaid).toBe(true);
    const lines = r.stdout.split('\n');
    const said = lines.findIndex((l) => /^compiling mm\.c with the (bundled|system) clang/.test(l));
    const row = lines.findIndex((l) => /✓ alignment/.test(l));
    expect(said).toBeGreaterThan(0);
    expect(row).toBeGreaterThan(said);
    expect(lines.filter((l) => l.startsWith('compiling')).length).toBe(1);
    // The cache exists (this suite compiled before): no claim of a first run.
    expect(lines[said]).not.toContain('first run');
    expect(r.stdout).not.toMatch(/[\r\x1b]/);

    const again = await execa('node', [BIN, 'test', file, '--check', 'alignment'], { reject: false, env: { NO_COLOR: '1' } });
    expect(again.exitCode).toBe(0);
    expect(again.stdout).not.toContain('compiling');
  });

  it('through a pseudo-terminal: a status line naming the compile, erased before the report', async () => {
    const file = freshMmC();
    const r = await execa('script', ['-qfec', `node ${BIN} test ${file} --check alignment`, '/dev/null'], { reject: false, env: { NO_COLOR: '1', TERM: 'xterm' } });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/\r\x1b\[K. compiling mm\.c with the (bundled|system) clang[^\n]*… \d+\.\d s/);
    expect(r.stdout).not.toContain('first run only');
  });

  it('a folder submission: "compiling FOLDER/mm.c" through a pipe, before any row, while the run goes on', async () => {
    const dir = freshFolder();
    const child = execa('node', [BIN, 'test', dir, '--check', 'alignment'], { reject: false, env: { NO_COLOR: '1' } });
    let runningWhenSaid: boolean | undefined;
    let seen = '';
    child.stdout!.on('data', (d: Buffer) => {
      seen += d.toString();
      if (runningWhenSaid === undefined && seen.includes('compiling')) runningWhenSaid = child.exitCode === null;
    });
    const r = await child;
    expect(r.exitCode, r.stderr).toBe(0);
    expect(runningWhenSaid).toBe(true);
    const lines = r.stdout.split('\n');
    const said = lines.findIndex((l) => l.startsWith(`compiling ${path.basename(dir)}/mm.c with the `));
    expect(said, r.stdout).toBeGreaterThan(0);
    expect(lines.findIndex((l) => /✓ alignment/.test(l))).toBeGreaterThan(said);
    expect(lines.filter((l) => l.startsWith('compiling')).length).toBe(1);
  });

  it('grade: the compile said on stderr through a pipe, once, while it runs; the report on stdout unchanged; cached, nothing', async () => {
    const file = freshMmC();
    const args = [BIN, 'grade', file, '--workloads', 'coalescing'];
    const child = execa('node', args, { reject: false, env: { NO_COLOR: '1' } });
    let runningWhenSaid: boolean | undefined;
    let seen = '';
    child.stderr!.on('data', (d: Buffer) => {
      seen += d.toString();
      if (runningWhenSaid === undefined && seen.includes('compiling mm.c')) runningWhenSaid = child.exitCode === null;
    });
    const r = await child;
    expect(r.exitCode, r.stderr).toBeLessThan(2);
    expect(runningWhenSaid).toBe(true);
    expect(r.stderr.split('\n').filter((l) => /^compiling mm\.c with the (bundled|system) clang/.test(l)).length).toBe(1);
    expect(r.stderr).not.toMatch(/[\r\x1b]/);
    expect(r.stdout).not.toContain('compiling');
    expect(r.stdout).toMatch(/coalescing/);

    const again = await execa('node', args, { reject: false, env: { NO_COLOR: '1' } });
    expect(again.stderr).not.toContain('compiling');
    // --json: the output is read by programs; nothing is said while it runs.
    const json = await execa('node', [...args, '--json'], { reject: false, env: { NO_COLOR: '1' } });
    expect(json.stderr).not.toContain('compiling');
  });

  it('grade through a pseudo-terminal: a status line naming the compile, erased before the report', async () => {
    const file = freshMmC();
    const r = await execa('script', ['-qfec', `node ${BIN} grade ${file} --workloads coalescing`, '/dev/null'], { reject: false, env: { NO_COLOR: '1', TERM: 'xterm' } });
    expect(r.stdout).toMatch(/\r\x1b\[K. compiling mm\.c with the (bundled|system) clang[^\n]*… \d+\.\d s/);
    expect(r.stdout).toMatch(/coalescing/);
  });
});
