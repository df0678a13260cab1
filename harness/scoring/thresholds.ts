/** A malloclab-style threshold: the score is 0 at or below `min`, 1 at or above `max`, linear between. */
export interface Range {
  min: number;
  max: number;
}

/**
 * malloclab's score component: 0 at or below `min`, 1 at or above `max`,
 * linear between (config.h's MIN_SPACE/MAX_SPACE, MIN_SPEED/MAX_SPEED).
 * NaN counts as 0, so a measurement that failed never earns points.
 */
export function linearScore(value: number, range: Range): number {
  if (!(value > range.min)) return 0;
  if (value >= range.max) return 1;
  return (value - range.min) / (range.max - range.min);
}
