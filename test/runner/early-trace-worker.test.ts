/**
 * `heapgrade trace` starts its replay worker before it has a plan
 * (startTraceWorker): the thread learns how to load the submission from the
 * replayer's first request, and the replays run on it. A 2013 handout file
 * loads only under its own profile (mm_malloc is defined under -DDRIVER),
 * so the replay passes only if the request's profile reached the worker.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { resolveCheckerOptions } from '../../harness/checker/options.ts';
import { IsolatedReplayer, startTraceWorker } from '../../harness/runner/isolated-replayer.ts';
import type { Op } from '../../harness/trace/types.ts';
import { LoadError } from '../../harness/util/errors.ts';

const FILE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/c/handouts/malloclab-2013/mm.c');
const OPS: Op[] = [
  { kind: 'a', id: 0, size: 24 },
  { kind: 'a', id: 1, size: 4000 },
  { kind: 'r', id: 0, size: 300 },
  { kind: 'f', id: 1 },
  { kind: 'f', id: 0 },
];
const request = { seed: 1, limit: 1 << 22, checker: resolveCheckerOptions({ alignment: 8 }) };

describe('a trace worker started before its replayer', () => {
  it('loads with the profile of the first request and replays there; the replayer closes it', async () => {
    const early = startTraceWorker(FILE);
    const replayer = new IsolatedReplayer(FILE, { profile: 'malloclab-2013', worker: early });
    try {
      const r = await replayer.replay(OPS, request);
      expect(r.violation).toBeNull();
      expect(r.ops).toBe(OPS.length);
      // It ran on the early worker, which the replayer now owns: still alive, and closed with the replayer.
      expect(early.isEnded).toBe(false);
    } finally {
      await replayer.close();
    }
    expect(early.isEnded).toBe(true);
  }, 120_000);

  it('control: the same worker told no profile loads the file as the kit profile reads it, and refuses it', async () => {
    const replayer = new IsolatedReplayer(FILE, { worker: startTraceWorker(FILE) });
    try {
      await expect(replayer.replay(OPS, request)).rejects.toThrow(LoadError);
      await expect(replayer.replay(OPS, request)).rejects.toThrow(/does not define mm_malloc/);
    } finally {
      await replayer.close();
    }
  }, 120_000);
});
