/**
 * RFC 4180 CSV: fields with a comma, quote or line break are quoted, quotes
 * doubled. Text cells are cleaned of terminal escapes and control characters
 * first (a TA may `cat` or `column` the file).
 */
import { cleanText } from '../report/sanitize.ts';

export function csvField(v: string | number | undefined | null): string {
  if (v === undefined || v === null) return '';
  const s = typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toFixed(4).replace(/0+$/, '').replace(/\.$/, '')) : cleanText(v);
  // A leading = + - @ makes spreadsheets evaluate the cell; a quote-prefixed apostrophe keeps it text.
  const safe = typeof v === 'string' && /^[=+\-@\t]/.test(s) ? `'${s}` : s;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function csvRow(fields: readonly (string | number | undefined | null)[]): string {
  return fields.map(csvField).join(',');
}
