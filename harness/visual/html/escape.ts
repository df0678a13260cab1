/** Escaping for the report: text into HTML (harness/report/sanitize.ts), data into an inline <script>. */
import { escapeHtml } from '../../report/sanitize.ts';

export { escapeHtml };

/**
 * JSON that is safe inside <script type="application/json">: `<` is escaped
 * so that no string in the data (a student's file name, a message) can close
 * the script element; U+2028/2029 for old parsers.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** Tagged template that escapes every interpolated value unless it is marked raw. */
export class Raw {
  constructor(readonly html: string) {}
}
export const raw = (html: string): Raw => new Raw(html);

export function html(strings: TemplateStringsArray, ...values: unknown[]): Raw {
  let out = strings[0]!;
  values.forEach((v, i) => {
    out += piece(v) + strings[i + 1]!;
  });
  return new Raw(out);
}

function piece(v: unknown): string {
  if (v instanceof Raw) return v.html;
  if (Array.isArray(v)) return v.map(piece).join('');
  if (v === undefined || v === null || v === false) return '';
  return escapeHtml(String(v));
}
