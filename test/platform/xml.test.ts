/**
 * The XML writer keeps any text inside the document as character data: a
 * hostile name or message, parsed back by a strict XML parser (saxes), is
 * well-formed and reads back as the text that was given (controls shown as
 * U+FFFD), and no element or attribute appears that the kit did not write.
 */
import { SaxesParser } from 'saxes';
import { describe, expect, it } from 'vitest';
import { toJUnit } from '../../harness/platform/junit.ts';
import { el, xmlDocument } from '../../harness/platform/xml.ts';
import type { TestReport } from '../../harness/report/types.ts';
import { RESULT_VERSION } from '../../harness/report/types.ts';

interface Parsed {
  elements: { name: string; attributes: Record<string, string> }[];
  text: string;
}

/** Parses strictly; throws on the first well-formedness error. */
function parse(xml: string): Parsed {
  const parser = new SaxesParser();
  const out: Parsed = { elements: [], text: '' };
  let error: Error | undefined;
  parser.on('error', (e) => (error ??= e));
  parser.on('opentag', (t) => out.elements.push({ name: t.name, attributes: Object.fromEntries(Object.entries(t.attributes).map(([k, v]) => [k, String(v)])) }));
  parser.on('text', (t) => (out.text += t));
  parser.write(xml).close();
  if (error) throw error;
  return out;
}

// Markup breakouts, a CDATA end, entities, quotes of both kinds, a terminal escape, C0 controls, a lone surrogate, a non-character.
const HOSTILE = `evil"/><testcase name='x'>]]><![CDATA[&amp;&#0;<!-- --><?pi?>\x1b[31mred\x1b[0m\x00\x07\uD800\uFFFE end`;

describe('the XML writer', () => {
  it('writes hostile text and attributes well-formed, and they read back as themselves', () => {
    const xml = xmlDocument(el('root', { name: HOSTILE, n: 3, flag: true, gone: undefined }, [el('child', {}, [HOSTILE]), el('empty')]));
    const parsed = parse(xml);
    expect(parsed.elements.map((e) => e.name)).toStrictEqual(['root', 'child', 'empty']);
    const root = parsed.elements[0]!.attributes;
    expect(Object.keys(root)).toStrictEqual(['name', 'n', 'flag']);
    const shown = `evil"/><testcase name='x'>]]><![CDATA[&amp;&#0;<!-- --><?pi?>red\uFFFD\uFFFD\uFFFD\uFFFD end`;
    expect(root.name).toBe(shown);
    expect(parsed.text.trim()).toBe(shown);
  });

  it('refuses an element or attribute name that is not an XML name (a kit bug, never student text)', () => {
    expect(() => xmlDocument(el('a b'))).toThrow(/not an XML name/);
    expect(() => xmlDocument(el('a', { 'x="1" y': 'v' }))).toThrow(/not an XML name/);
  });

  it('a JUnit report whose submission, check name, message and output are hostile parses, with only the kit\'s elements', () => {
    const report: TestReport = {
      version: RESULT_VERSION,
      submission: HOSTILE,
      status: 'fail',
      durationMs: 12,
      checks: [
        {
          name: HOSTILE,
          description: HOSTILE,
          status: 'fail',
          points: 0,
          maxPoints: 5,
          durationMs: 3,
          output: HOSTILE,
          violations: [{ kind: 'overlap', op: 1, message: HOSTILE, hint: HOSTILE }],
        },
      ],
    } as unknown as TestReport;
    const parsed = parse(toJUnit(report));
    const names = new Set(parsed.elements.map((e) => e.name));
    expect([...names].sort()).toStrictEqual(['failure', 'properties', 'property', 'system-out', 'testcase', 'testsuite', 'testsuites']);
    const testcase = parsed.elements.find((e) => e.name === 'testcase')!;
    expect(testcase.attributes.name).toContain('<testcase name=\'x\'>]]>');
    expect(parsed.elements.find((e) => e.name === 'testsuites')!.attributes.name).toBe(`heapgrade ${testcase.attributes.name}`);
  });
});
