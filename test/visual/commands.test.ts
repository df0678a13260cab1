/**
 * `heapgrade show` and `heapgrade compare` as yargs command modules, parsed
 * in process (the CLI's own entry registers the same modules).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import yargs from 'yargs';
import { afterEach, describe, expect, it } from 'vitest';
import { writeRep } from '../../harness/trace/write.ts';
import { compareCommand } from '../../scripts/commands/compare.ts';
import { showCommand } from '../../scripts/commands/show.ts';
import { OVERLAP_TRACE } from '../fixtures/visual/traces.ts';

async function run(argv: string[]): Promise<string> {
  let out = '';
  const write = process.stdout.write;
  process.stdout.write = ((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  }) as typeof process.stdout.write;
  try {
    await yargs(argv).command(showCommand).command(compareCommand).strict().exitProcess(false).fail((msg, err) => {
      throw err ?? new Error(msg);
    }).parseAsync();
  } finally {
    process.stdout.write = write;
  }
  return out;
}

afterEach(() => {
  process.exitCode = undefined;
});

const broken = fileURLToPath(new URL('../fixtures/visual/reuse-without-unlink.ts', import.meta.url));

describe('heapgrade show', () => {
  it('draws the heap after op N of a workload, without colour when not a terminal', async () => {
    const out = await run(['show', 'placement-64k', 'ref:best-fit', '--at', '12']);
    expect(out).toContain('Heap of ref:best-fit after op #12 of placement-64k');
    expect(out).toMatch(/^ ! .*b0 = malloc\(2048\)$/m);
    expect(out).not.toContain('\u001b[');
    expect(process.exitCode).toBeUndefined();
  });

  it('stops at the violation of a broken allocator on a trace file and sets exit code 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'heapgrade-show-'));
    const file = join(dir, 'overlap.rep');
    writeFileSync(file, writeRep(OVERLAP_TRACE));
    const out = await run(['show', file, broken, '--at', '-1', '--color']);
    expect(out).toContain('\u001b[');
    expect(out).toContain('Stopped at op #5, before op #6: overlap');
    expect(process.exitCode).toBe(1);
  });
});

describe('heapgrade compare', () => {
  it('runs the placement demo by default and writes the HTML report', async () => {
    const html = join(mkdtempSync(join(tmpdir(), 'heapgrade-compare-')), 'compare.html');
    const out = await run(['compare', 'ref:reference', '--html', html]);
    for (const name of ['ref:first-fit', 'ref:next-fit', 'ref:best-fit', 'ref:worst-fit', 'ref:reference']) expect(out).toContain(name);
    expect(out).toContain('Trace placement-64k: 22 operations, heap limit 64KB');
    const page = readFileSync(html, 'utf8');
    expect(page).toContain('Placement comparison: placement-64k');
    expect(page.match(/<canvas class="timeline"/g)).toHaveLength(5);
  });

  it('prints JSON without the timelines', async () => {
    const out = await run(['compare', '--json', '--no-placement', 'ref:best-fit']);
    const data = JSON.parse(out) as { rows: { label: string; timeline?: unknown; nulls: number }[] };
    expect(data.rows).toHaveLength(1);
    expect(data.rows[0]).toMatchObject({ label: 'ref:best-fit', nulls: 0 });
    expect(data.rows[0]!.timeline).toBeUndefined();
  });

  it('without an allocator named, compares the student\'s own ./allocator.ts (as show and trace take it)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'heapgrade-compare-own-'));
    writeFileSync(join(dir, 'allocator.ts'), readFileSync(fileURLToPath(new URL('../../student-template/ts/allocator.ts', import.meta.url)), 'utf8'));
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      const out = await run(['compare', '--json', '--no-placement']);
      const data = JSON.parse(out) as { rows: { label: string }[] };
      expect(data.rows.map((r) => r.label)).toEqual(['allocator.ts']);
    } finally {
      process.chdir(cwd);
    }
  });
});
