import { cleanText } from '../report/sanitize.ts';

/** XML 1.0 text and attribute escaping: terminal escapes removed (sanitize.ts), characters XML cannot carry at all replaced. */
export function xmlEscape(text: string): string {
  return cleanText(text)
    .replace(/[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}
