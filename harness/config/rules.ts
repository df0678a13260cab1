/**
 * Small checks for configuration values. Each returns a problem sentence
 * (without the file and key, which the caller adds) or null when the value
 * is fine, so that the validator can collect every problem at once.
 */

export type Rule = (v: unknown) => string | null;

const shown = (v: unknown): string => {
  if (typeof v === 'string') return JSON.stringify(v);
  if (v === undefined) return 'undefined';
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 60 ? `${s.slice(0, 57)}...` : s;
};

export const got = (v: unknown): string => `got ${shown(v)}`;

export const nonNegativeNumber: Rule = (v) =>
  typeof v === 'number' && Number.isFinite(v) && v >= 0 ? null : `must be a non-negative number, ${got(v)}`;

export const fraction: Rule = (v) =>
  typeof v === 'number' && v >= 0 && v <= 1 ? null : `must be a number from 0 to 1, ${got(v)}`;

export const positiveInteger: Rule = (v) =>
  typeof v === 'number' && Number.isInteger(v) && v > 0 ? null : `must be a positive integer, ${got(v)}`;

export const boolean: Rule = (v) => (typeof v === 'boolean' ? null : `must be true or false, ${got(v)}`);

export const nonEmptyString: Rule = (v) =>
  typeof v === 'string' && v.length > 0 ? null : `must be a non-empty string (a path), ${got(v)}`;

export function oneOf(values: readonly (string | number)[]): Rule {
  const list = values.map((x) => (typeof x === 'string' ? `"${x}"` : String(x))).join(', ');
  return (v) => ((values as readonly unknown[]).includes(v) ? null : `must be one of ${list}, ${got(v)}`);
}

export function integerIn(lo: number, hi: number, unit = ''): Rule {
  return (v) =>
    typeof v === 'number' && Number.isInteger(v) && v >= lo && v <= hi
      ? null
      : `must be an integer from ${lo} to ${hi}${unit}, ${got(v)}`;
}

export const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The closest known key, for "did you mean" hints (edit distance <= 2, or a case-only difference). */
export function closest(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = 3;
  for (const k of known) {
    const d = k.toLowerCase() === key.toLowerCase() ? 0 : distance(key, k);
    if (d < bestD) {
      bestD = d;
      best = k;
    }
  }
  return best;
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length]!;
}
