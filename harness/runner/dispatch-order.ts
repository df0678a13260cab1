/**
 * The order checks start in (results keep the table's order). With two or
 * more workers the longest check starts first, so it runs beside all the
 * short ones instead of after them: off-heap-metadata makes an O(n)
 * allocator pay for thousands of live blocks and is the long pole of the
 * suite. With one worker the table's order stands (cheap checks first, so
 * the first rows appear at once).
 */
const LONG_FIRST = ['off-heap-metadata'];

/** Indexes into `names`, in dispatch order. */
export function dispatchOrder(names: readonly string[], jobs: number): number[] {
  const all = names.map((_, i) => i);
  if (jobs < 2) return all;
  const first = all.filter((i) => LONG_FIRST.includes(names[i]!));
  return [...first, ...all.filter((i) => !first.includes(i))];
}
