import type { CorrectnessCheck } from '../../harness/checker/check.ts';

export const offHeapMetadata: CorrectnessCheck = {
  name: 'off-heap-metadata',
  description: 'Per-block bookkeeping must live in the heap: the allocator\'s own JavaScript memory may not grow with the number of live or free blocks.',
  points: 6,
  targets: ['off-heap-metadata'],
  type: 'off-heap',
};
