/**
 * The compile service's limits: a compile past its CPU-time or memory limit
 * is the submission's load failure with the reason; past the wall-clock
 * backstop it is the kit's error (the clock never fails a student); the
 * process is replaced for the next request, and a source that cannot be read
 * is reported as the loader words it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CompileService } from '../../harness/isolation/compile-service.ts';

const LAB = fileURLToPath(new URL('../fixtures/batch/c-subs/lab', import.meta.url));
const MISSING = join(tmpdir(), 'heapgrade-no-such-submission', 'mm.c');

describe('CompileService', () => {
  let saved: string | undefined;
  let cache: string;
  beforeAll(() => {
    // An empty cache: the lab fixture really needs the compiler, which takes longer than 0.2 s to start.
    saved = process.env.HEAPGRADE_CACHE_DIR;
    cache = mkdtempSync(join(tmpdir(), 'heapgrade-cs-cache-'));
    process.env.HEAPGRADE_CACHE_DIR = cache;
  });
  afterAll(() => {
    rmSync(cache, { recursive: true, force: true });
    if (saved === undefined) delete process.env.HEAPGRADE_CACHE_DIR;
    else process.env.HEAPGRADE_CACHE_DIR = saved;
  });

  it('a compile past its CPU-time limit is the student\'s load failure, saying so, and a new process takes the next request', async () => {
    // 0.2 s of CPU per compile, but 60 s more for the first request of a fresh process (its start-up).
    // The real compiler on the lab (empty cache) needs seconds of CPU however idle the machine is.
    const service = new CompileService({ cpuLimitMs: 200, startupCpuMs: 60_000, pollMs: 20 });
    try {
      const first = await service.compile(MISSING);
      expect(first).toMatchObject({ kind: 'load-failed', message: expect.stringContaining('Cannot read') });
      const slow = await service.compile(LAB);
      expect(slow).toMatchObject({ kind: 'load-failed', message: `compiling ${LAB} used more than 0.2 s of CPU; the compiler was stopped` });
      // Answered at all only if a fresh process (with its start-up allowance) took over.
      expect(await service.compile(MISSING)).toMatchObject({ kind: 'load-failed', message: expect.stringContaining('Cannot read') });
    } finally {
      service.close();
    }
  }, 120_000);

  it('past the wall-clock backstop, under its CPU limit, the compile is a kit error with the CPU it used, never the student\'s failure', async () => {
    // A backstop of 0.2 s of wall clock (standing in for a machine too busy to run the compiler) and CPU to spare.
    const service = new CompileService({ timeoutMs: 200, startupMs: 60_000, cpuLimitMs: 600_000 });
    try {
      const first = await service.compile(MISSING);
      expect(first).toMatchObject({ kind: 'load-failed', message: expect.stringContaining('Cannot read') });
      const slow = await service.compile(LAB);
      expect(slow.kind).toBe('kit-error');
      expect(slow.kind === 'kit-error' && slow.message).toMatch(
        new RegExp(`^compiling ${LAB.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} took more than 0\\.2 s of wall-clock time \\(it had used [0-9.]+ s of CPU, under its limit of 600 s\\): .*not the submission's fault`),
      );
      // Answered at all only if a fresh process (with its start-up allowance) took over.
      expect(await service.compile(MISSING)).toMatchObject({ kind: 'load-failed', message: expect.stringContaining('Cannot read') });
    } finally {
      service.close();
    }
  }, 60_000);

  it('stops a compile past its memory limit', async () => {
    const service = new CompileService({ memoryMb: 20, pollMs: 20 });
    try {
      const r = await service.compile(LAB);
      expect(r).toMatchObject({ kind: 'load-failed', message: `compiling ${LAB} took more than 20 MB of memory; the compiler was stopped` });
    } finally {
      service.close();
    }
  }, 60_000);

  it('a process already over the memory limit at the first reading is stopped, not a crash (the reading comes before the watch is returned)', async () => {
    // 1 KiB: any process is over it when the first, synchronous reading is taken.
    const service = new CompileService({ memoryMb: 1 / 1024, pollMs: 20 });
    try {
      const r = await service.compile(MISSING);
      expect(r).toMatchObject({ kind: 'load-failed', message: expect.stringContaining('took more than') });
    } finally {
      service.close();
    }
    // The next request gets a new process, which answers.
    const fresh = new CompileService();
    try {
      expect(await fresh.compile(MISSING)).toMatchObject({ kind: 'load-failed', message: expect.stringContaining('Cannot read') });
    } finally {
      fresh.close();
    }
  }, 60_000);
});
