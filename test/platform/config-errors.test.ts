/**
 * A configuration that names a trace file that is not there (the kit's own
 * example names traces/my-hidden-trace.rep) stops `gradescope pack`,
 * `gradescope` and `batch` with the key and the file, exit 2, no stack:
 * never an internal error, and never a hidden workload silently skipped for
 * every student.
 */
import { execa } from 'execa';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(ROOT, 'scripts/heapgrade.mjs');
let work: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'heapgrade-config-'));
  copyFileSync(join(ROOT, 'heapgrade.config.example.json'), join(work, 'heapgrade.config.json'));
  mkdirSync(join(work, 'subs'));
  // Never loaded: the configuration is refused first.
  writeFileSync(join(work, 'subs', 'ana.ts'), "export default () => { throw new Error('not reached'); };\n");
});

const run = (args: string[]) => execa('node', [BIN, ...args], { cwd: work, reject: false });
const NAMED = /heapgrade\.config\.json: workloads\.my-hidden-trace\.file names traces\/my-hidden-trace\.rep, which does not exist/;

describe('a configuration naming a missing trace file', () => {
  it.each([
    ['gradescope pack', ['gradescope', 'pack']],
    ['gradescope', ['gradescope', '--submission', 'subs/ana.ts', '--config', 'heapgrade.config.json']],
    ['batch', ['batch', 'subs', '--config', 'heapgrade.config.json', '--out', 'out']],
  ])('stops %s with the key and the file (exit 2)', async (_, args) => {
    const r = await run(args);
    expect(r.exitCode, r.stderr).toBe(2);
    expect(r.stderr).toMatch(NAMED);
    expect(r.stderr).not.toMatch(/internal error|at .*\.ts:\d+/);
  }, 60_000);

  it('gradescope outside /autograder needs --submission, and says so', async () => {
    const r = await run(['gradescope']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/outside Gradescope give `--submission DIR`/);
  }, 60_000);
});
