/** Small number formatters shared by the heap map, the comparison table and the HTML report. */

/**
 * An address in hex. A negative number (a pointer computed below 0, e.g.
 * `p - size` with a garbage size) keeps its sign in front, `-0x3ad7f498`,
 * never `0x-3ad7f498`; anything that is not an integer is shown as it is.
 */
export const hex = (n: number): string => (Number.isInteger(n) ? `${n < 0 ? '-' : ''}0x${Math.abs(n).toString(16)}` : String(n));

/**
 * A byte count the way the seed's tables write it: `24B`, `1.5KB`, `16KB`,
 * `2.3MB` (binary units, one decimal only when it is not whole).
 */
export function formatBytes(n: number): string {
  const units = ['B', 'KB', 'MB', 'GB'] as const;
  let v = n;
  let u = 0;
  while (Math.abs(v) >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  if (u === 0) return `${n}B`;
  const s = Number.isInteger(v) ? String(v) : v.toFixed(1).replace(/\.0$/, '');
  return `${s}${units[u]}`;
}

/** 0.913 -> `91.3%`. */
export function formatPercent(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}

/** Pads to a width, on the left (numbers) or on the right (text). */
export function padLeft(s: string, w: number): string {
  return s.length >= w ? s : ' '.repeat(w - s.length) + s;
}
export function padRight(s: string, w: number): string {
  return s.length >= w ? s : s + ' '.repeat(w - s.length);
}

/** Removes ANSI colour codes (for width computations and tests). */
export function stripAnsi(s: string): string {
  // eslint-disable-next-line no-control-regex -- matching the escape character is the point
  return s.replace(/\u001b\[[0-9;]*m/g, '');
}

/** `1 block`, `3 blocks`. */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
