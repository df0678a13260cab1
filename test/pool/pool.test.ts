/**
 * The one pool (harness/pool/pool.ts) that checks, workload lanes and batch
 * submissions run on: outcomes in task order whatever the finishing order,
 * never more than `lanes` at once, starts in the given order, a lane runs one
 * task at a time, a throwing task is its own failure, and a stop starts
 * nothing more. Tasks take random numbers of microtask turns, so every
 * interleaving fast-check draws is reproducible from its seed.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { laneCount, runPool, valuesOf, type TaskContext } from '../../harness/pool/pool.ts';

const turns = async (n: number): Promise<void> => {
  for (let i = 0; i < n; i++) await Promise.resolve();
};

/** A task list (each task's delay in turns), a lane count and a start order. */
const arbRun = fc
  .array(fc.nat({ max: 20 }), { maxLength: 25 })
  .chain((delays) =>
    fc.record({
      delays: fc.constant(delays),
      lanes: fc.integer({ min: 1, max: 8 }),
      order: fc.shuffledSubarray(
        delays.map((_, i) => i),
        { minLength: delays.length, maxLength: delays.length },
      ),
    }),
  );

describe('runPool', () => {
  it('outcomes come back in task order, every task once, whatever order they finish in', async () => {
    await fc.assert(
      fc.asyncProperty(arbRun, async ({ delays, lanes, order }) => {
        // Act
        const result = await runPool(delays, { lanes, order, run: async (d, c) => (await turns(d), c.index * 10 + d) });
        // Assert
        expect(valuesOf(result)).toEqual(delays.map((d, i) => i * 10 + d));
        expect(result.stopped).toBe(false);
      }),
    );
  });

  it('never more than `lanes` at once, and exactly min(lanes, tasks) at the start; a lane runs one task at a time', async () => {
    await fc.assert(
      fc.asyncProperty(arbRun, async ({ delays, lanes, order }) => {
        let running = 0;
        let most = 0;
        const busy = new Set<number>();
        const at: TaskContext[] = [];
        await runPool(delays, {
          lanes,
          order,
          run: async (d, c) => {
            expect(busy.has(c.lane)).toBe(false);
            busy.add(c.lane);
            at.push(c);
            running++;
            most = Math.max(most, running);
            await turns(d + 1);
            running--;
            busy.delete(c.lane);
          },
        });
        expect(most).toBe(Math.min(lanes, delays.length));
        for (const c of at) {
          expect(c.lane).toBeGreaterThanOrEqual(0);
          expect(c.lane).toBeLessThan(laneCount(lanes, delays.length));
          expect(c.lanes).toBe(laneCount(lanes, delays.length));
        }
      }),
    );
  });

  it('tasks start in `order`, and each is told how many wait behind it', async () => {
    await fc.assert(
      fc.asyncProperty(arbRun, async ({ delays, lanes, order }) => {
        const started: number[] = [];
        const waiting: number[] = [];
        await runPool(delays, { lanes, order, run: async (d, c) => (started.push(c.index), waiting.push(c.waiting), await turns(d)) });
        expect(started).toEqual(order);
        expect(waiting).toEqual(order.map((_, k) => order.length - k - 1));
      }),
    );
  });

  it('a throwing task is its own failure; the others finish', async () => {
    await fc.assert(
      fc.asyncProperty(arbRun, fc.nat(), async ({ delays, lanes, order }, pick) => {
        fc.pre(delays.length > 0);
        const bad = pick % delays.length;
        const seen: number[] = [];
        const result = await runPool(delays, {
          lanes,
          order,
          run: async (d, c) => {
            await turns(d);
            if (c.index === bad) throw new Error(`task ${bad}`);
            return d;
          },
          onOutcome: (_, i) => seen.push(i),
        });
        result.outcomes.forEach((o, i) => expect(o).toEqual(i === bad ? { status: 'failed', error: new Error(`task ${bad}`) } : { status: 'done', value: delays[i] }));
        expect(result.firstFailure?.index).toBe(bad);
        expect([...seen].sort((a, b) => a - b)).toEqual(delays.map((_, i) => i));
        expect(() => valuesOf(result)).toThrow(`task ${bad}`);
      }),
    );
  });

  it('stopOnError: the first failure stops the pool; nothing starts after it, what ran before keeps its outcome', async () => {
    await fc.assert(
      fc.asyncProperty(arbRun, fc.nat(), async ({ delays, lanes, order }, pick) => {
        fc.pre(delays.length > 0);
        const bad = order[pick % order.length]!;
        const started: number[] = [];
        let failedAt = -1;
        const result = await runPool(delays, {
          lanes,
          order,
          stopOnError: true,
          run: async (d, c) => {
            // Started after the failure: the pool did not stop.
            expect(failedAt).toBe(-1);
            started.push(c.index);
            await turns(d);
            if (c.index === bad) throw new Error('bad');
            return d;
          },
          onOutcome: (o) => {
            if (o.status === 'failed') failedAt = started.length;
          },
        });
        expect(result.firstFailure?.index).toBe(bad);
        result.outcomes.forEach((o, i) => {
          if (!started.includes(i)) expect(o.status).toBe('not-run');
          else expect(o.status).toBe(i === bad ? 'failed' : 'done');
        });
        expect(result.stopped).toBe(started.length < delays.length);
      }),
    );
  });

  it('an aborted signal starts nothing more; running tasks see it; the rest are not-run', async () => {
    const stop = new AbortController();
    const seenAborted: boolean[] = [];
    const result = await runPool([0, 1, 2, 3, 4, 5], {
      lanes: 2,
      signal: stop.signal,
      run: async (t, c) => {
        if (t === 1) stop.abort();
        await turns(3);
        seenAborted.push(c.signal.aborted);
        return t;
      },
    });
    expect(result.outcomes.map((o) => o.status)).toEqual(['done', 'done', 'not-run', 'not-run', 'not-run', 'not-run']);
    expect(seenAborted).toEqual([true, true]);
    expect(result.stopped).toBe(true);
    // Aborted before it starts: nothing runs.
    const none = await runPool([1, 2], { lanes: 1, signal: AbortSignal.abort(), run: async () => expect.unreachable() });
    expect(none.outcomes).toEqual([{ status: 'not-run' }, { status: 'not-run' }]);
    expect(() => valuesOf(none)).toThrow('did not run');
  });

  it('onLaneEnd once per lane, after that lane has taken its last task', async () => {
    await fc.assert(
      fc.asyncProperty(arbRun, async ({ delays, lanes, order }) => {
        const ended: number[] = [];
        await runPool(delays, {
          lanes,
          order,
          run: async (d, c) => {
            expect(ended).not.toContain(c.lane);
            await turns(d);
          },
          onLaneEnd: async (lane) => {
            await turns(1);
            ended.push(lane);
          },
        });
        const n = delays.length === 0 ? 0 : laneCount(lanes, delays.length);
        expect([...ended].sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
      }),
    );
  });

  it('refuses an order that is not a permutation of the tasks, naming it', async () => {
    const run = async (): Promise<void> => {};
    await expect(runPool([1, 2, 3], { lanes: 2, order: [0, 1], run })).rejects.toThrow('lists 2 of 3 tasks');
    await expect(runPool([1, 2, 3], { lanes: 2, order: [0, 1, 1], run })).rejects.toThrow('each task index 0..2 once');
    await expect(runPool([1, 2], { lanes: 2, order: [0, 2], run })).rejects.toThrow(RangeError);
  });

  it('laneCount: whole, at least 1, at most the tasks', () => {
    expect(laneCount(4, 2)).toBe(2);
    expect(laneCount(2.7, 10)).toBe(2);
    expect(laneCount(0, 10)).toBe(1);
    expect(laneCount(Number.NaN, 10)).toBe(1);
    expect(laneCount(3, 0)).toBe(1);
  });
});
