/** One output cap, one marker: the head is kept, the rest counted, wherever output is cut. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { capText, OutputCap, truncationMarker } from '../../harness/util/output-cap.ts';
import { OutputSink } from '../../harness/confine/output.ts';
import { OutputCapture } from '../../harness/wasm/output.ts';
import { sourceFiles } from '../helpers/source-files.ts';

describe('capText', () => {
  it('returns text that fits unchanged', () => {
    expect(capText('a\nb\n', 100, 10)).toBe('a\nb\n');
    expect(capText('', 0)).toBe('');
  });
  it('cuts by characters and says how many more there were', () => {
    expect(capText('abcdefghij', 4)).toBe(`abcd\n${truncationMarker(6)}`);
  });
  it('cuts by lines, keeping whole lines', () => {
    expect(capText('1\n2\n3\n4\n', 100, 2)).toBe(`1\n2\n${truncationMarker(4)}`);
  });
});

describe('OutputCap (streaming)', () => {
  it('keeps the first cap characters across writes, counts the rest, and starts over after take', () => {
    const c = new OutputCap(5);
    c.write('abc');
    c.write('defg');
    c.write('hi');
    expect(c.take()).toBe(`abcde\n${truncationMarker(4)}`);
    c.write('xy');
    expect(c.take()).toBe('xy');
  });
  it('the confined print sink and the C printf buffer end with the same marker', () => {
    const sink = new OutputSink(8);
    sink.write('hello world');
    expect(sink.take()).toBe(`hello wo\n${truncationMarker(4)}`);
    const c = new OutputCapture(8);
    c.write(new TextEncoder().encode('hello world\n'));
    expect(c.take()).toBe(`hello wo\n${truncationMarker(4)}`);
  });
  it('C output past the cap is counted without being decoded; a character split across writes survives', () => {
    const c = new OutputCapture(4);
    const euro = new TextEncoder().encode('€'); // 3 bytes
    c.write(euro.subarray(0, 2));
    c.write(euro.subarray(2));
    c.write(new Uint8Array(1_000_000).fill(65));
    const out = c.take();
    expect(out.startsWith('€AAA\n')).toBe(true);
    expect(out).toBe(`€AAA\n${truncationMarker(1_000_000 - 3)}`);
  });
});

describe('no second cap', () => {
  it('no harness module writes its own truncation marker', () => {
    const offenders = sourceFiles(['harness']).filter((p) => !p.endsWith('output-cap.ts') && /\[[^\]\n]*truncated/.test(readFileSync(p, 'utf8')));
    expect(offenders).toStrictEqual([]);
  });
});
