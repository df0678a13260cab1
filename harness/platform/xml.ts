/**
 * A small XML writer: documents are built as data (`el(name, attributes,
 * children)`) and written by `xmlDocument`, which is the only place text and
 * attribute values are escaped. No writer builds XML from string templates,
 * so a hostile name (a student id, a check message, what a submission
 * printed) can only ever become character data.
 *
 * Escaping: terminal escapes and controls are removed first (sanitize.ts),
 * characters XML 1.0 cannot carry at all become U+FFFD, then the five markup
 * characters become entities. Element and attribute names are the kit's own;
 * one that is not an XML name is a kit bug and throws.
 */
import { cleanText } from '../report/sanitize.ts';

export type XmlAttributeValue = string | number | boolean | undefined;

export interface XmlElement {
  readonly name: string;
  /** Written in insertion order; `undefined` values are left out. */
  readonly attributes: Readonly<Record<string, XmlAttributeValue>>;
  /** Elements, or text (character data). */
  readonly children: readonly (XmlElement | string)[];
}

/** One element; children that are `undefined` or `false` are dropped, so optional parts can be written inline. */
export function el(name: string, attributes: Record<string, XmlAttributeValue> = {}, children: readonly (XmlElement | string | undefined | false)[] = []): XmlElement {
  return { name, attributes, children: children.filter((c): c is XmlElement | string => c !== undefined && c !== false) };
}

/** XML 1.0 text and attribute escaping: terminal escapes removed (sanitize.ts), characters XML cannot carry at all replaced. */
function xmlEscape(text: string): string {
  return cleanText(text)
    .replace(/[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** An XML document with its declaration; elements with element children are indented two spaces a level, text is written as is. */
export function xmlDocument(root: XmlElement): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${write(root, '')}\n`;
}

// The XML 1.0 Name production, restricted to the ASCII the kit uses.
const NAME = /^[A-Za-z_][\w.-]*$/;

function checkName(name: string): string {
  if (!NAME.test(name)) throw new Error(`xml.ts: "${name}" is not an XML name (element and attribute names are the kit's own)`);
  return name;
}

function write(e: XmlElement, indent: string): string {
  const attrs = Object.entries(e.attributes)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${checkName(k)}="${xmlEscape(String(v))}"`)
    .join('');
  const open = `${indent}<${checkName(e.name)}${attrs}`;
  if (e.children.length === 0) return `${open}/>`;
  // Only text: on one line with the tags, so the text is exactly what was given.
  if (e.children.every((c) => typeof c === 'string')) return `${open}>${e.children.map((c) => xmlEscape(c as string)).join('')}</${e.name}>`;
  const inner = e.children.map((c) => (typeof c === 'string' ? `${indent}  ${xmlEscape(c)}` : write(c, `${indent}  `)));
  return `${open}>\n${inner.join('\n')}\n${indent}</${e.name}>`;
}
