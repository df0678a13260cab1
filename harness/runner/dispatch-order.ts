/**
 * The order checks start in (results keep the table's order). With two or
 * more workers the two long checks start early, so that they run beside the
 * short ones instead of after them: off-heap-metadata first (it makes an
 * O(n) allocator pay for thousands of live blocks), property-search right
 * after the first few cheap checks (it searches until its time budget or
 * run count is spent), so rows still appear at once. With one worker the
 * table's order stands (cheap checks first).
 */
const FIRST = 'off-heap-metadata';
const EARLY = 'property-search';
/** Cheap checks that start before EARLY, so their rows are on screen within the first second. */
const CHEAP_BEFORE_EARLY = 3;

/** Indexes into `names`, in dispatch order. */
export function dispatchOrder(names: readonly string[], jobs: number): number[] {
  const all = names.map((_, i) => i);
  if (jobs < 2) return all;
  const first = all.filter((i) => names[i] === FIRST);
  const early = all.filter((i) => names[i] === EARLY);
  const rest = all.filter((i) => names[i] !== FIRST && names[i] !== EARLY);
  return [...first, ...rest.slice(0, CHEAP_BEFORE_EARLY), ...early, ...rest.slice(CHEAP_BEFORE_EARLY)];
}
