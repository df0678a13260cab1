import { readFileSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SimHeap } from '../../harness/heap/sim-heap.ts';
import { createHeapPort } from '../../harness/heap/heap-port.ts';
import { readTraceFile } from '../../harness/trace/parse.ts';
import { traceStats } from '../../harness/trace/stats.ts';
import { findReference } from '../../reference/index.ts';
import { generateWorkloadTexts, TRACE_DIR } from '../../suites/workloads/generate.ts';
import { findWorkload, WORKLOADS } from '../../suites/workloads/index.ts';

const MiB = 1024 * 1024;

describe('synthetic workloads', () => {
  const texts = generateWorkloadTexts();

  it('are deterministic: two runs give identical text', () => {
    expect(generateWorkloadTexts()).toEqual(texts);
  });

  it('match the committed files (rerun suites/workloads/generate.ts after changing a generator)', () => {
    for (const [name, text] of texts) expect(readFileSync(`${TRACE_DIR}${name}.rep`, 'utf8'), name).toBe(text);
  });

  it('all appear in WORKLOADS, and stay modest in size', () => {
    for (const name of texts.keys()) expect(findWorkload(name), name).toBeDefined();
    const total = [...texts.values()].reduce((sum, t) => sum + t.length, 0);
    expect(total).toBeLessThan(3 * MiB);
  });
});

describe('WORKLOADS', () => {
  it.each(WORKLOADS.map((w) => [w.name, w] as const))('%s parses and fits its heap limit', async (_name, w) => {
    expect(statSync(w.file).isFile()).toBe(true);
    expect(w.description).toMatch(/^[A-Z].*\.$/);
    const trace = await readTraceFile(w.file);
    const stats = traceStats(trace);
    if (w.defaultWeight > 0) {
      expect(stats.ops).toBeGreaterThanOrEqual(5000);
      expect(stats.ops).toBeLessThanOrEqual(120_000);
    }
    expect(stats.oversized).toBe(0);
    expect(stats.peakPayload).toBeLessThan((w.limit ?? 64 * MiB) * 0.8);
  });

  it('has unique names', () => {
    expect(new Set(WORKLOADS.map((w) => w.name)).size).toBe(WORKLOADS.length);
  });
});

describe('placement-64k', () => {
  /** Replays the trace directly and reports where the last three mallocs landed (offset from base, or NULL). */
  async function placements(allocator: string): Promise<(number | null)[]> {
    const w = findWorkload('placement-64k')!;
    const trace = await readTraceFile(w.file);
    const heap = new SimHeap({ seed: 1, limit: w.limit });
    const a = findReference(allocator)!.factory(createHeapPort(heap));
    const ptrs = new Map<number, number>();
    const mallocs: (number | null)[] = [];
    for (const op of trace.ops) {
      if (op.kind === 'a') {
        const p = a.malloc(op.size);
        ptrs.set(op.id, p);
        mallocs.push(p === 0 ? null : p - heap.base);
      } else if (op.kind === 'f') a.free(ptrs.get(op.id) ?? 0);
    }
    return mallocs.slice(-3);
  }

  it('lets best fit serve all three requests while first and worst fit each get one NULL', async () => {
    const best = await placements('best-fit');
    const first = await placements('first-fit');
    const worst = await placements('worst-fit');
    expect(best.every((p) => p !== null)).toBe(true);
    expect(first[2]).toBeNull(); // the 16 KB hole was split for 2048
    expect(worst[1]).toBeNull(); // the 30 KB hole was split for 2048
    expect(new Set([best[0], first[0], worst[0]]).size).toBe(3); // three different places for malloc(2048)
  });
});
