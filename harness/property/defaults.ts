/**
 * The property search's defaults (a configuration's `property` overrides
 * them): 1000 runs take 0.3-25 M steps on the built-in allocators (bench:
 * npx tsx bench/property-steps.ts); the clock is a backstop only. Kept apart
 * from search.ts so that reading them (the configuration, the check pool on
 * the main thread) does not load fast-check, which only the worker running
 * the search needs.
 */
export const DEFAULT_PROPERTY_SEARCH: Readonly<{ timeLimitMs: number; numRuns: number; stepBudget: number }> = { timeLimitMs: 20000, numRuns: 1000, stepBudget: 100_000_000 };
