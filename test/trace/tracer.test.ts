import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRep } from '../../harness/trace/parse.ts';
import { writeRep } from '../../harness/trace/write.ts';
import { convertLog } from '../../scripts/tracer/convert.ts';
import { parseTraceLog } from '../../scripts/tracer/log.ts';
import { ensureFreshDist } from '../helpers/fresh-dist.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const hasCc = spawnSync('cc', ['--version']).status === 0;

describe.skipIf(!hasCc)('heapgrade-trace.c (end to end, needs cc)', () => {
  let dir = '';
  let lib = '';
  let program = '';

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'heapgrade-tracer-'));
    lib = join(dir, 'libheapgrade-trace.so');
    program = join(dir, 'calls');
    await execa('cc', ['-shared', '-fPIC', '-O2', '-Wall', '-Werror', '-o', lib, join(root, 'scripts/tracer/heapgrade-trace.c'), '-ldl', '-lpthread']);
    await execa('cc', ['-O0', '-fno-builtin', '-pthread', '-o', program, join(root, 'test/trace/fixtures/tracer/calls.c')]);
  }, 60_000);

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('logs every call of the main process in order, and a forked child separately', async () => {
    const logs = join(dir, 'direct');
    await execa(program, [], { env: { HEAPGRADE_TRACE_FILE: logs, LD_PRELOAD: lib } });
    const files = readdirSync(dir).filter((f) => f.startsWith('direct.'));
    expect(files).toHaveLength(2); // parent and forked child
    const parsed = files.map((f) => parseTraceLog(readFileSync(join(dir, f), 'utf8'), f));
    const [child, parent] = [...parsed].sort((x, y) => x.events.length - y.events.length) as [
      (typeof parsed)[0],
      (typeof parsed)[0],
    ];
    expect(child.events).toEqual([
      { kind: 'm', size: 77, ptr: expect.any(String) },
      { kind: 'f', ptr: (child.events[0] as { ptr: string }).ptr },
    ]);

    const { trace, summary } = convertLog(parent.events, { name: 'calls' });
    expect(trace.ops.slice(0, 8)).toEqual([
      { kind: 'a', id: 0, size: 10 },
      { kind: 'c', id: 1, count: 3, size: 7 },
      { kind: 'r', id: 0, size: 1000 },
      { kind: 'f', id: -1 },
      { kind: 'a', id: 2, size: 200 }, // posix_memalign
      { kind: 'a', id: 3, size: 64 }, // aligned_alloc
      { kind: 'a', id: 4, size: 48 }, // memalign
      { kind: 'a', id: 5, size: 10 }, // strdup
    ]);
    // 1000 thread mallocs and frees, interleaved, yet never out of order.
    expect(summary.missedFrees).toBe(0);
    expect(summary.droppedFrees).toBe(0);
    expect(trace.ops.filter((op) => op.kind === 'a' && op.size >= 17 && op.size <= 24).length).toBeGreaterThanOrEqual(1000);
    const back = parseRep(writeRep(trace), 'calls.rep');
    expect(back.ops).toHaveLength(trace.ops.length);
  });

  it('passes calls straight through without HEAPGRADE_TRACE_FILE', async () => {
    const before = readdirSync(dir).length;
    const { exitCode } = await execa(program, [], { env: { LD_PRELOAD: lib } });
    expect(exitCode).toBe(0);
    expect(readdirSync(dir)).toHaveLength(before);
  });

  // The repo's script runs convert.ts through tsx; the installed kit's (dist/) runs the compiled convert.js.
  it.each(['scripts', 'dist/scripts'])('%s/tracer/record.sh builds, runs and converts in one step, with a window', async (tree) => {
    if (tree === 'dist/scripts') ensureFreshDist();
    const out = join(dir, `recorded-${tree.replace('/', '-')}.rep`);
    const { stderr } = await execa('bash', [join(root, tree, 'tracer/record.sh'), '-o', out, '--start', '2', '--count', '6', '--name', 'calls', '--', program]);
    expect(stderr).toMatch(/pid \d+: 2 calls/); // the forked child
    expect(stderr).toMatch(/converting pid \d+/);
    const trace = parseRep(readFileSync(out, 'utf8'), out);
    expect(trace.ops).toEqual([
      { kind: 'a', id: 0, size: 1000 }, // realloc of a block from before the window
      { kind: 'f', id: -1 },
      { kind: 'a', id: 1, size: 200 },
      { kind: 'a', id: 2, size: 64 },
      { kind: 'a', id: 3, size: 48 },
      { kind: 'a', id: 4, size: 10 },
    ]);
  }, 60_000);
});
