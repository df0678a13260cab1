/** How the CLI reads its command line: unknown flags, list flags next to the submission, the version. */
import { execa } from 'execa';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const BIN = new URL('../../scripts/heapgrade.mjs', import.meta.url).pathname;
const KIT_VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
const cli = (args: string[], cwd?: string) => execa('node', [BIN, ...args], { reject: false, cwd, env: { NO_COLOR: '1' } });

describe('CLI parsing', () => {
  it('an unknown flag is named once, as typed, with exit 2', async () => {
    const r = await cli(['test', '--bogus-flag']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('Unknown argument: --bogus-flag');
    expect(r.stderr).not.toContain('bogusFlag');
    expect(r.stderr.match(/bogus/g)).toHaveLength(1);
  });

  it('a list flag takes one value and leaves the submission after it alone', async () => {
    // Swallowed, "ref:nope" would be an unknown workload and the bundled example the submission.
    const r = await cli(['grade', '--workloads', 'binary', 'ref:nope']);
    expect(r.exitCode).toBe(2);
    expect(`${r.stdout}${r.stderr}`).toContain('no built-in allocator named "nope"');
  });

  it('--check takes comma-separated names, repeated or not, before the submission', async () => {
    const r = await cli(['test', '--check', 'alignment,calloc-overflow', '--check', 'realloc', 'ref:reference', '--json']);
    expect(r.exitCode).toBe(0);
    const report = JSON.parse(r.stdout) as { submission: string; checks: { name: string }[] };
    expect(report.submission).toBe('ref:reference');
    expect(report.checks.map((c) => c.name).sort()).toEqual(['alignment', 'calloc-overflow', 'realloc']);
  });

  it("--version prints the kit's version in a folder with a package.json of its own", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hg-version-'));
    writeFileSync(join(dir, 'package.json'), '{ "name": "my-allocator", "private": true }\n');
    const r = await cli(['--version'], dir);
    expect(r.exitCode).toBe(0);
    expect(r.stdout.trim()).toBe(KIT_VERSION);
  });
});
