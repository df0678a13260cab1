/**
 * The compile service's limits: a compile past its time or memory limit is
 * the submission's load failure, the process is replaced for the next
 * request, and a source that cannot be read is reported as the loader words it.
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

  it('stops a compile past its time limit and starts a new process for the next request', async () => {
    // 0.2 s per compile, but 30 s more for the first request of a fresh process (its start-up).
    const service = new CompileService({ timeoutMs: 200, startupMs: 30_000 });
    try {
      const first = await service.compile(MISSING);
      expect(first).toMatchObject({ kind: 'load-failed', message: expect.stringContaining('Cannot read') });
      const slow = await service.compile(LAB);
      expect(slow).toMatchObject({ kind: 'load-failed', message: `${LAB} did not compile within 0.2 s; the compiler was stopped` });
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
