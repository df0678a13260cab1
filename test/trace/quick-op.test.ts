/**
 * The trace parser's quick path (quickOp) reads the common lines without the
 * general path's strings; it must read every line exactly as the general
 * path does. A leading blank sends a line to the general path (quickOp
 * refuses it, the general path trims it), so the same file read with every
 * line indented is the general path's reading: ops, line numbers, header,
 * warnings and errors must be identical, on generated files whose lines mix
 * blanks, tabs, carriage returns, leading zeros, 15- and 16-digit numbers,
 * comments, `f -1`, calloc and malformed lines.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseRep, quickOp, type TraceReading } from '../../harness/trace/parse.ts';

const blank = fc.constantFrom(' ', '  ', '\t', ' \t ', '\u00a0');
const number = fc.oneof(
  fc.integer({ min: 0, max: 40 }).map(String),
  fc.integer({ min: 0, max: 40 }).map((n) => `00${n}`),
  fc.constantFrom('999999999999999', '9999999999999999', '4294967296', '-1', '+3', '1e3', 'x'),
);
const opLine = fc
  .tuple(fc.constantFrom('a', 'f', 'r', 'c', 'A', 'x'), fc.array(fc.tuple(blank, number), { minLength: 0, maxLength: 4 }), fc.constantFrom('', ' ', '\r', ' # note', '#'))
  .map(([k, fields, end]) => `${k}${fields.map(([b, n]) => `${b}${n}`).join('')}${end}`);
/** Mostly well-formed lines (ids reused in order, so files often parse), some generated anyhow. */
const wellFormed = fc.integer({ min: 0, max: 5 }).chain((id) =>
  fc.constantFrom(`a ${id} ${id * 8 + 1}`, `f ${id}`, `r ${id} 24`, `a\t${id}\t16\r`, `f ${id}  `, `c ${id} 2 8`, 'f -1'),
);
const file = fc.tuple(fc.array(fc.oneof(wellFormed, wellFormed, opLine), { minLength: 1, maxLength: 30 }), fc.constantFrom<TraceReading>('strict', 'mdriver', 'mdriver-2002')).map(([lines, reading]) => ({ lines, reading }));

function read(text: string, reading: TraceReading): unknown {
  try {
    return parseRep(text, 'gen.rep', { reading });
  } catch (e) {
    return { error: (e as Error).message };
  }
}

describe('quickOp', () => {
  it('reads the lines it takes as the general path reads them (the same file, indented, goes the general way)', () => {
    fc.assert(
      fc.property(file, ({ lines, reading }) => {
        const header = `20000\n6\n${lines.length}\n1\n`;
        expect(read(header + lines.join('\n'), reading)).toStrictEqual(read(header + lines.map((l) => ` ${l}`).join('\n'), reading));
      }),
      { numRuns: 2000 },
    );
  });

  it('takes the common lines and refuses what it cannot read', () => {
    expect(quickOp('a 1 4096')).toStrictEqual({ kind: 'a', id: 1, size: 4096 });
    expect(quickOp('r\t7\t0012\r')).toStrictEqual({ kind: 'r', id: 7, size: 12 });
    expect(quickOp('f 3  ')).toStrictEqual({ kind: 'f', id: 3 });
    for (const l of ['f -1', 'c 1 2 3', ' a 1 2', 'a 1', 'a 1 2 3', 'a 1 2 # c', 'a 1 9999999999999999', 'a 1 +2', 'a1 2', 'f 1\u00a0', '']) expect(quickOp(l), l).toBeUndefined();
  });
});
