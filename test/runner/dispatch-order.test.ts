/** The long checks start early beside the short ones when there are two workers; the table order stands with one. */
import { describe, expect, it } from 'vitest';
import { dispatchOrder } from '../../harness/runner/dispatch-order.ts';
import { CHECKS } from '../../suites/correctness/index.ts';

const names = CHECKS.map((c) => c.name);

describe('dispatch order', () => {
  it('two workers: off-heap-metadata first, property-search after three cheap checks, every check once', () => {
    const order = dispatchOrder(names, 2).map((i) => names[i]);
    expect(order[0]).toBe('off-heap-metadata');
    expect(order.slice(1, 4)).toEqual(['alignment', 'zero-size', 'free-null']);
    expect(order[4]).toBe('property-search');
    expect([...order].sort()).toEqual([...names].sort());
  });

  it('one worker: the table order', () => {
    expect(dispatchOrder(names, 1)).toEqual(names.map((_, i) => i));
  });

  it('a subset without the long checks keeps its order', () => {
    expect(dispatchOrder(['churn', 'realloc'], 2)).toEqual([0, 1]);
  });
});
