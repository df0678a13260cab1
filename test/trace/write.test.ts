import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseRep } from '../../harness/trace/parse.ts';
import type { Op, Trace } from '../../harness/trace/types.ts';
import { traceStats, writeRep } from '../../harness/trace/write.ts';
import { mulberry32, randInt } from '../../harness/util/rng.ts';

/** A valid random trace: ids reused after free, f -1, realloc of unseen ids, calloc, sparse ids. */
function randomTrace(seed: number, length: number): Trace {
  const rng = mulberry32(seed);
  const live: number[] = [];
  const freed: number[] = [];
  const ops: Op[] = [];
  let next = 0;
  for (let i = 0; i < length; i++) {
    const roll = rng();
    const newId = (): number => (rng() < 0.2 && next > 0 ? freed.pop() ?? next++ * 3 : next++ * 3);
    if (roll < 0.35 || live.length === 0) {
      const id = newId();
      ops.push(
        rng() < 0.3
          ? { kind: 'c', id, count: randInt(rng, 0, 9), size: randInt(rng, 0, 999) }
          : { kind: 'a', id, size: randInt(rng, 0, 5000) },
      );
      live.push(id);
    } else if (roll < 0.6) {
      const id = live.splice(randInt(rng, 0, live.length - 1), 1)[0]!;
      ops.push({ kind: 'f', id });
      freed.push(id);
    } else if (roll < 0.65) {
      ops.push({ kind: 'f', id: -1 });
    } else {
      const fresh = rng() < 0.1;
      const id = fresh ? newId() : live[randInt(rng, 0, live.length - 1)]!;
      ops.push({ kind: 'r', id, size: randInt(rng, 1, 9000) });
      if (fresh) live.push(id);
    }
  }
  return { name: `random-${seed}`, ops, weight: 1 };
}

describe('writeRep', () => {
  it('writes the 2002 layout with c ops', () => {
    const text = writeRep({
      name: 't',
      ops: [
        { kind: 'a', id: 0, size: 10 },
        { kind: 'c', id: 1, count: 3, size: 4 },
        { kind: 'f', id: -1 },
        { kind: 'r', id: 0, size: 20 },
      ],
    });
    expect(text).toBe('32\n2\n4\n1\na 0 10\nc 1 3 4\nf -1\nr 0 20\n');
  });

  it('renumbers sparse ids densely in order of first appearance', () => {
    const text = writeRep({
      name: 't',
      ops: [
        { kind: 'a', id: 40, size: 1 },
        { kind: 'a', id: 7, size: 1 },
        { kind: 'f', id: 40 },
        { kind: 'a', id: 40, size: 2 },
        { kind: 'f', id: 7 },
      ],
    });
    expect(text.split('\n').slice(1, 2)).toEqual(['2']);
    expect(parseRep(text, 't').ops.map((o) => o.id)).toEqual([0, 1, 0, 0, 1]);
  });

  it('keeps a suggested heap that cannot be mistaken for a weight', () => {
    const text = writeRep({ name: 't', ops: [{ kind: 'a', id: 0, size: 1 }], suggestedHeap: 1, weight: 3 });
    expect(text).toBe('4\n1\n1\n3\na 0 1\n');
    expect(parseRep(text, 't')).toMatchObject({ generation: '2002', weight: 3 });
  });

  it('round-trips random traces through parseRep', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 }), fc.integer({ min: 0, max: 300 }), (seed, length) => {
        const trace = randomTrace(seed, length);
        const back = parseRep(writeRep(trace), 'back');
        expect(traceStats(back)).toEqual(traceStats(trace));
        expect(writeRep(back)).toBe(writeRep(trace));
        expect(back.ops.map((o) => o.kind)).toEqual(trace.ops.map((o) => o.kind));
      }),
      { numRuns: 60 },
    );
  });

  it('round-trips a 2016 trace with oversized requests', () => {
    const text = '0\n3\n5\n8589934600\na 0 8\na 1 8589934592\nf 1\nr 0 4294967296\nf 0\n';
    const t = parseRep(text, 't');
    const back = parseRep(writeRep(t), 't');
    expect(back.ops).toEqual(t.ops);
    expect(back.oversizedOps).toEqual([1, 3]);
  });
});

describe('traceStats', () => {
  it('counts peak live bytes with NULL for requests beyond size_t', () => {
    const stats = traceStats({
      name: 't',
      ops: [
        { kind: 'a', id: 0, size: 100 },
        { kind: 'c', id: 1, count: 10, size: 10 },
        { kind: 'a', id: 2, size: 2 ** 33 }, // NULL
        { kind: 'r', id: 0, size: 2 ** 32 }, // NULL, block 0 keeps its 100
        { kind: 'c', id: 3, count: 65536, size: 65537 }, // overflow: NULL
        { kind: 'r', id: 0, size: 300 },
        { kind: 'f', id: 1 },
        { kind: 'f', id: 2 },
        { kind: 'r', id: 4, size: 50 }, // realloc(NULL, 50)
        { kind: 'f', id: -1 },
      ],
    });
    expect(stats).toEqual({
      ops: 10,
      ids: 5,
      peakPayload: 400,
      maxRequest: 2 ** 33,
      oversized: 3,
      counts: { a: 2, f: 3, r: 3, c: 2 },
    });
  });
});
