/**
 * off-heap-metadata's snapshots are exact only when the worker's isolate
 * started with the optimizing compiler on its own thread
 * (harness/offheap/quiet-compiler.ts): V8's background compiler otherwise
 * installs 100-300 KB in the heap between two snapshots in most runs, well
 * above the 32 KB noise floor. Two fresh workers started the way the check
 * lanes start theirs measure the reference alike, to a few hundred bytes
 * (byte for byte from dist/; tsx's loader adds a little), and under the floor.
 */
import { describe, expect, it } from 'vitest';
import type { AllocatorFactory } from '../../harness/contract/types.ts';
import { submissionFromFactory } from '../../harness/loader/load-ts.ts';
import { measureOffHeap, OFF_HEAP_NOISE_BYTES } from '../../harness/offheap/measure.ts';
import { createAllocator } from '../../reference/reference.ts';
import { loopIsReplaced } from './osr-probe.ts';
import { holdCompilerOnThread, holdOsrOff } from '../../harness/offheap/quiet-compiler.ts';
import { startKitWorker } from '../../harness/util/kit-entry.ts';

interface Growth {
  grewLive: number;
  grewFreed: number;
  reached: number;
}

async function measureInFreshWorker(spec: string): Promise<Growth> {
  const release = holdCompilerOnThread();
  const worker = startKitWorker(new URL('./measure-worker.ts', import.meta.url), { workerData: { spec, to: 3072 } });
  worker.once('online', release);
  worker.once('exit', release);
  try {
    return await new Promise<Growth>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
  } finally {
    await worker.terminate();
  }
}

describe('the growth measurement in a check worker', () => {
  it('repeats across fresh workers to a few hundred bytes, under the noise floor, on an honest allocator', async () => {
    const runs = [await measureInFreshWorker('ref:reference'), await measureInFreshWorker('ref:reference'), await measureInFreshWorker('ref:reference')];
    for (const r of runs) {
      expect(r.reached).toBe(3072);
      expect(Math.abs(r.grewLive), JSON.stringify(runs)).toBeLessThan(OFF_HEAP_NOISE_BYTES);
      expect(Math.abs(r.grewFreed), JSON.stringify(runs)).toBeLessThan(OFF_HEAP_NOISE_BYTES);
    }
    const spread = (k: 'grewLive' | 'grewFreed'): number => Math.max(...runs.map((r) => r[k])) - Math.min(...runs.map((r) => r[k]));
    expect(spread('grewLive'), JSON.stringify(runs)).toBeLessThan(4096);
    expect(spread('grewFreed'), JSON.stringify(runs)).toBeLessThan(4096);
  }, 120_000);
});

describe('on-stack replacement, held off while memory is measured', () => {
  it('is off while any thread of the process holds it, and on again once all have released', async () => {
    // Started as the check lanes start theirs: with the optimizing compiler on the worker's own thread, a loop is
    // replaced at the same iteration however busy the machine is (a background compile could finish after the loop).
    const compilerOnThread = holdCompilerOnThread();
    const worker = startKitWorker(new URL('./osr-probe-worker.ts', import.meta.url), {});
    worker.once('online', compilerOnThread);
    const ask = (what: 'hold' | 'release' | 'probe'): Promise<unknown> =>
      new Promise((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
        worker.postMessage(what);
      });
    let mine: (() => void) | undefined;
    try {
      expect(await ask('probe'), 'V8 replaces a long loop before any hold').toBe(true);
      // A hold on this thread: the worker shares its count (environment data it inherited).
      mine = holdOsrOff();
      expect(await ask('probe')).toBe(false);
      await ask('hold');
      // Released here while the worker still holds: a count per thread would turn it on again for both.
      mine();
      mine(); // once only
      expect(await ask('probe')).toBe(false);
      await ask('release');
      expect(await ask('probe')).toBe(true);
    } finally {
      compilerOnThread();
      mine?.();
      await worker.terminate();
    }
  }, 120_000);

  it("is off while the growth measurement runs, in the allocator's calls too, and on again after it", () => {
    // The reference, whose every 500th free runs the probe (a plain factory: the kit's own tests load it unconfined).
    const seen: boolean[] = [];
    let frees = 0;
    const probing: AllocatorFactory = (heap) => {
      const a = createAllocator(heap);
      return {
        ...a,
        free: (p: number) => {
          if (++frees % 500 === 0) seen.push(loopIsReplaced());
          a.free(p);
        },
      };
    };
    measureOffHeap(submissionFromFactory('reference, probing', probing), { seed: 1, limit: 64 << 20, to: 3072 });
    expect(seen.length).toBeGreaterThan(2);
    expect(seen).not.toContain(true);
    // This thread compiles in the background: a longer loop leaves that compile time to land, however busy the machine.
    expect(loopIsReplaced(5e8), 'V8 replaces a long loop again once the measurement is over').toBe(true);
  }, 120_000);
});
