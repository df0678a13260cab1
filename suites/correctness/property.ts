import type { CorrectnessCheck } from '../../harness/checker/check.ts';

/** The search's name and what it does, as its check result and the suite say. */
export const PROPERTY_CHECK = {
  name: 'property-search',
  description: 'random traces with edge sizes (0, 15, 16, 17, 4096, huge, overflowing calloc) under the full checker',
} as const;

/**
 * Random traces the scripted checks do not write, under the full checker,
 * for a few seconds; a failure is shrunk to a handful of calls. Worth no
 * points by default (the named checks grade; this one finds what they miss),
 * but a failure still fails `heapgrade test`.
 */
export const propertySearch: CorrectnessCheck = {
  name: PROPERTY_CHECK.name,
  description: `Property-based search: ${PROPERTY_CHECK.description}.`,
  points: 0,
  targets: ['overlap', 'payload-corrupted', 'realloc-data-lost', 'calloc-not-zeroed', 'calloc-overflow', 'spurious-null', 'segfault', 'threw'],
  type: 'property',
};
