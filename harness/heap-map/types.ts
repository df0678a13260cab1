/**
 * What a heap map draws: the checker's view of the heap at one moment. It
 * lives here, below the reports that carry it (`CheckResult.snapshot`), so
 * the text of a violation can draw its map without importing upward.
 */
export interface HeapSnapshot {
  base: number;
  brk: number;
  /** Live blocks in address order, as the checker knows them (requested sizes). */
  blocks: { id: number; ptr: number; size: number }[];
  /** The last operations before the violation, as C calls, oldest first. */
  recent: string[];
}
