/**
 * The one place that makes untrusted text (student ids taken from folder
 * names, what a submission printed, compiler messages about its source) safe
 * to show: in a terminal, a text report, a CSV cell, a file name, HTML or
 * Markdown. Every writer calls these instead of its own regex, so a new
 * attack is fixed once.
 *
 * Why each rule:
 * - Terminal escape sequences (CSI/OSC/DCS, C0 and C1 controls) can recolour,
 *   hide or rewrite what a TA reads, retitle the window or (OSC 8/52) plant
 *   links and clipboard contents: removed whole, not just their ESC byte.
 * - A lone carriage return rewrites the start of the line in a terminal, so
 *   "pass\r fail" would hide a word: it becomes a line break.
 * - Bidirectional overrides (U+202A-202E, U+2066-2069) reorder what is shown
 *   ("Trojan Source"): removed.
 */

/** ESC-introduced sequences: CSI (ESC [ ... final, or 8-bit CSI), OSC/DCS/SOS/PM/APC (ESC ] ... BEL or ST, at most to the line's end), two-byte escapes. */
const ESCAPE_SEQUENCE =
  // eslint-disable-next-line no-control-regex
  /\x1b\[[0-?]*[ -/]*[@-~]|\x1b[\]PX^_][^\x07\x1b\n]*(?:\x07|\x1b\\)?|\x9b[0-?]*[ -/]*[@-~]|\x1b[ -~]?/g;
/** What is left after the sequences: C0 except tab and line feed, DEL, C1, bidi controls. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/g;
/** Shown where a control character was, so a TA sees that something was removed. */
export const REPLACEMENT = '\uFFFD';

/** Untrusted multi-line text for a terminal or a text file: escape sequences and controls out, line breaks kept as \n. */
export function cleanText(text: string): string {
  return text
    .replace(/\r\n/g, '\n')
    .replace(/\r/g, '\n')
    .replace(ESCAPE_SEQUENCE, '')
    .replace(CONTROL, REPLACEMENT);
}

/** Untrusted text that must stay on one line (a terminal line, a CSV cell, a log line): also no line breaks or tabs. */
export function cleanLine(text: string): string {
  return cleanText(text).replace(/\s*\n\s*/g, ' ').replace(/\t/g, ' ');
}

/** Longest id kept whole: with `.html` and a 9-character hash it stays far below the 255-byte file name limit even in 4-byte UTF-8. */
const MAX_ID_CHARS = 48;

/**
 * A student id made from a folder or file name that the student chose: safe
 * as a file name (no separators, no leading dot, no `..`, bounded length), as
 * a CSV cell and as a terminal line. Names that need no change stay exactly
 * as they are, so ordinary ids are untouched. A changed or shortened name
 * gets a short hash of the original, so two different names never collapse
 * into one id.
 */
export function safeId(name: string): string {
  let id = cleanLine(name)
    .replace(/[/\\]/g, '_')
    .replace(REPLACEMENT_RE, '_')
    .replace(/^[.\s]+/, '_')
    .trim();
  if (id === '' || id === '.' || id === '..') id = '_';
  if (id === name && [...id].length <= MAX_ID_CHARS) return id;
  return `${[...id].slice(0, MAX_ID_CHARS).join('')}~${fnv1a(name)}`;
}
const REPLACEMENT_RE = new RegExp(REPLACEMENT, 'g');

/** 32-bit FNV-1a of the UTF-16 code units, as 8 hex digits: stable across runs and machines, which a shard merge relies on. */
function fnv1a(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

const HTML_ENTITY: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' };

/** HTML text or attribute value: controls cleaned, then every character with a meaning in HTML escaped. */
export function escapeHtml(text: string): string {
  return cleanText(text).replace(/[&<>"'`]/g, (c) => HTML_ENTITY[c]!);
}

/**
 * Untrusted text as a Markdown code block: a fence longer than any backtick
 * run inside, so nothing inside can close it, and nothing inside is read as
 * Markdown or HTML. Column alignment (a compiler's caret under the error) is
 * kept because code blocks are monospaced and not reflowed.
 */
export function markdownFence(text: string, info = 'text'): string {
  const body = cleanText(text).replace(/\n+$/, '');
  const longest = Math.max(0, ...[...body.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${info}\n${body}\n${fence}`;
}

/**
 * Untrusted text inline in Markdown (a table cell, a list item, a heading):
 * one line, and every character Markdown or HTML could read as syntax
 * backslash-escaped or entity-encoded, so a student's `# heading`,
 * `[link](url)`, `![img](url)` or `<script>` shows as the characters it is.
 */
export function markdownInline(text: string): string {
  return cleanLine(text)
    .replace(/[\\`*_{}[\]()#+\-.!|~>]/g, (c) => `\\${c}`)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;');
}
