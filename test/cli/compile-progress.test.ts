/**
 * `heapgrade test` on a C file says it is compiling from the start, only
 * when the compiler really runs, and with true words: through a pipe one
 * plain line before any check's row (the checks start once the compile has
 * ended), through a pseudo-terminal a status line; a second run, served by
 * the compile cache, says nothing of compiling.
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
});
