/** No silent fallback: in a folder with no allocator, `test` and `grade` say where they looked and exit 2; the bundled example runs only when asked. */
import { execa } from 'execa';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const BIN = new URL('../../scripts/heapgrade.mjs', import.meta.url).pathname;
const cli = (args: string[], cwd: string) => execa('node', [BIN, ...args], { reject: false, cwd, env: { NO_COLOR: '1' } });

describe('a folder with no submission', () => {
  it.each(['test', 'grade'])('%s exits 2 and says where it looked and how to name one', async (command) => {
    const dir = mkdtempSync(join(tmpdir(), 'hg-empty-'));
    const r = await cli([command], dir);
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`no submission found: looked for allocator.ts, mm.c, alloc.c, index.ts in ${dir}`);
    expect(r.stderr).toContain(`heapgrade ${command} path/to/allocator.ts`);
    expect(r.stderr).toContain(`heapgrade ${command} --example`);
  });

  it('test --example runs the bundled example, and says which file it is', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hg-empty-'));
    const r = await cli(['test', '--example', '--check', 'free-null', '--json'], dir);
    expect(r.exitCode).toBe(0);
    expect(JSON.parse(r.stdout).submission).toMatch(/student-template\/ts\/allocator\.ts$/);
  });

  it('a submission and --example together is a usage error', async () => {
    const r = await cli(['test', 'ref:reference', '--example'], tmpdir());
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('give a submission or --example, not both');
  });
});
