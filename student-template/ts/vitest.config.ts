import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['*.test.ts'],
    // The checks run in heapgrade's own worker threads; one vitest worker is enough.
    maxWorkers: 1,
  },
});
