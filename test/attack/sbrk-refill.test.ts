/**
 * Red team of the TypeScript heap's cost: memory given back with a negative
 * sbrk and taken again comes back zeroed, which was charged as one step per
 * call, so 64 MiB cleared cost 128 steps against 8,388,672 for heap.fill
 * doing the same (and a loop of such calls spent seconds where the meter saw
 * nothing, until the wall-clock backstop called it the kit's error). The
 * zeroing of memory below the heap's peak is now charged as a fill. C the
 * same: the kit zeroed what mem_sbrk(-n) gave back, 64 MiB for 367
 * instructions against 67,109,311 for memset; now charged per byte. And
 * every C sbrk scans the memory past the break: after a 60 MiB shrink, 1000
 * sbrk pairs took 13 s of the kit's time for 33,013 instructions (a loop
 * that long is the wall-clock backstop's, i.e. a kit error); the scan past
 * the first page is charged, so the loop is the call's timeout. The full
 * scan the kit makes every 64 calls reads the same slack: charged the same
 * way to the call it follows (no sbrk needed to make the kit read 60 MiB).
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadSubmission } from '../../harness/loader/load.ts';
import { BudgetExceededError } from '../../harness/meter/budget.ts';

const FIXTURE = fileURLToPath(new URL('../fixtures/attack/sbrk-refill.ts', import.meta.url));
const C_FIXTURE = fileURLToPath(new URL('../fixtures/attack/sbrk-refill.c', import.meta.url));
const C_SCAN = fileURLToPath(new URL('../fixtures/attack/sbrk-scan.c', import.meta.url));

describe('clearing the heap by shrinking and growing it', () => {
  it('costs no less than heap.fill doing the same clearing / 2', async () => {
    const sub = await loadSubmission(FIXTURE);
    const cost = (mode: number): number => {
      const inst = sub.instantiate({ seed: 1, limit: 64 << 20 });
      inst.allocator.malloc(mode);
      return inst.heap.meter!.lastCall;
    };
    const hostile = cost(1);
    const control = cost(2);
    console.log({ hostile, control });
    expect(control).toBeGreaterThan(64 * (4 << 20) / 8);
    expect(hostile).toBeGreaterThanOrEqual(control / 2);
  }, 60_000);
});

describe('C: clearing the heap with mem_sbrk(-n) and mem_sbrk(n)', () => {
  it('costs no less than memset doing the same clearing / 2', async () => {
    const sub = await loadSubmission(C_FIXTURE);
    const cost = (mode: number): number => {
      const inst = sub.instantiate({ seed: 1, limit: 64 << 20 });
      inst.allocator.malloc(mode);
      return inst.heap.meter!.lastCall;
    };
    const hostile = cost(1);
    const control = cost(2);
    console.log({ hostile, control });
    expect(control).toBeGreaterThan(16 * (4 << 20));
    expect(hostile).toBeGreaterThanOrEqual(control / 2);
  }, 300_000);
});

describe('C: the scan past the break that every sbrk makes', () => {
  it('is charged once the heap was shrunk: a loop of sbrk pairs over 60 MiB of slack is the call\'s timeout', async () => {
    const sub = await loadSubmission(C_SCAN);
    const inst = sub.instantiate({ seed: 1, limit: 64 << 20 });
    expect(() => inst.allocator.malloc(1000)).toThrow(BudgetExceededError);
    // A heap that only grows leaves less than a page past the break: its sbrk costs what it did.
    const r = (await loadSubmission('ref:reference-c')).instantiate({ seed: 1, limit: 64 << 20 });
    for (let i = 0; i < 200; i++) r.allocator.malloc(4000);
    expect(r.heap.meter!.maxCall).toBeLessThan(100_000);
  }, 300_000);

  it('the periodic full scan is charged too: after a 60 MiB shrink, calls that never sbrk pay for the scan every 64 calls', async () => {
    const sub = await loadSubmission(C_SCAN);
    const inst = sub.instantiate({ seed: 1, limit: 64 << 20 });
    // malloc(0) makes no sbrk: before, every call cost a few instructions while every 64th made the kit read 60 MiB.
    const costs: number[] = [];
    for (let i = 0; i < 200; i++) {
      inst.allocator.malloc(0);
      costs.push(inst.heap.meter!.lastCall);
    }
    const scans = costs.filter((c) => c > 10_000_000);
    expect(scans.length).toBeGreaterThanOrEqual(3); // 200 calls: at least three full scans, each ~15.7M (60 MiB / 4)
    expect(costs.filter((c) => c < 1000).length).toBeGreaterThan(150); // the other calls cost what they did
    // Control: the reference's heap only grows; its scans find less than a page past the break and cost nothing.
    const r = (await loadSubmission('ref:reference-c')).instantiate({ seed: 1, limit: 64 << 20 });
    for (let i = 0; i < 200; i++) r.allocator.malloc(24);
    expect(r.heap.meter!.maxCall).toBeLessThan(100_000);
  }, 300_000);

  it('a course budget smaller than the scan makes the scanning call a timeout, not a free call', async () => {
    const sub = await loadSubmission(C_SCAN);
    const inst = sub.instantiate({ seed: 1, limit: 64 << 20 });
    inst.heap.meter!.setBudget({ c: 1_000_000, ts: 1_000_000 });
    let thrown: unknown;
    for (let i = 0; i < 200 && thrown === undefined; i++) {
      try {
        inst.allocator.malloc(0);
      } catch (e) {
        thrown = e;
      }
    }
    expect(thrown).toBeInstanceOf(BudgetExceededError);
  }, 300_000);
});
