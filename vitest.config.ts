import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Worker-thread and child-process tests run real student code under real limits.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Two cores: more test files at once only makes the timing-based watchdogs slower.
    maxWorkers: 2,
  },
});
