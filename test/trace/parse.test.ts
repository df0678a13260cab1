import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SIZE_MAX } from '../../harness/contract/types.ts';
import { parseRep, readTraceFile, splitWhitespace } from '../../harness/trace/parse.ts';
import fc from 'fast-check';
import { UsageError } from '../../harness/util/errors.ts';

const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

/** The message of the UsageError parseRep throws for `text`. */
function problemsOf(text: string, options: Parameters<typeof parseRep>[2] = {}): string {
  try {
    parseRep(text, 'traces/x.rep', options);
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    return (e as UsageError).message;
  }
  throw new Error('expected parseRep to reject the trace');
}

describe('parseRep: header generations', () => {
  it('reads a 2002 header (suggested heap, ids, ops, weight)', async () => {
    const t = await readTraceFile(fixture('gen2002.rep'));
    expect(t).toMatchObject({ generation: '2002', suggestedHeap: 20000, weight: 1 });
    expect(t.ops).toHaveLength(12);
    expect(t.ops[0]).toEqual({ kind: 'a', id: 0, size: 2040 });
    expect(t.ops[2]).toEqual({ kind: 'f', id: 1 });
    expect(t.headerPeak).toBeUndefined();
  });

  it('reads the 2-line variant (ids, ops) as 2002 without weight', async () => {
    const t = await readTraceFile(fixture('short-header.rep'));
    expect(t.generation).toBe('2002');
    expect(t.weight).toBeUndefined();
    expect(t.ops).toHaveLength(12);
  });

  it('reads a 2010 header with f -1, realloc of an unseen id and r id 0', async () => {
    const t = await readTraceFile(fixture('gen2010-corners.rep'));
    expect(t).toMatchObject({ generation: '2010', weight: 0, suggestedHeap: 0 });
    expect(t.ops[0]).toEqual({ kind: 'f', id: -1 });
    expect(t.ops[6]).toEqual({ kind: 'r', id: 6, size: 10 });
    expect(t.ops[14]).toEqual({ kind: 'r', id: 10, size: 0 });
  });

  it('reads a 2016 header whose fourth value is the peak', async () => {
    const t = await readTraceFile(fixture('gen2016.rep'));
    expect(t).toMatchObject({ generation: '2016', weight: 1, headerPeak: 896 });
    expect(t.suggestedHeap).toBeUndefined();
  });

  it('keeps requests beyond a 32-bit size_t and lists them as oversized', async () => {
    const t = await readTraceFile(fixture('gen2016-largemem.rep'));
    expect(t.generation).toBe('2016');
    expect(t.headerPeak).toBe(38654727202);
    expect(t.ops[7]).toEqual({ kind: 'a', id: 4, size: 36507238400 });
    expect(t.oversizedOps).toEqual([1, 2, 3, 7]);
  });

  it('reads a one-line header, comments, blank lines and c', async () => {
    const t = await readTraceFile(fixture('oneline-calloc.rep'));
    expect(t).toMatchObject({ generation: '2002', suggestedHeap: 20000, weight: 1 });
    expect(t.ops[1]).toEqual({ kind: 'c', id: 1, count: 4, size: 8 });
    // calloc's product overflows size_t: kept, marked oversized.
    expect(t.ops[3]).toEqual({ kind: 'c', id: 2, count: 65536, size: 65536 });
    expect(t.oversizedOps).toEqual([3]);
    // id 0 reused after its free
    expect(t.ops[5]).toEqual({ kind: 'a', id: 0, size: 5 });
  });

  it('takes the generation from the option', () => {
    const text = '1\n1\n2\n8\na 0 8\nf 0\n';
    expect(parseRep(text, 'x').generation).toBe('2016');
    expect(parseRep(text, 'x', { generation: '2010' })).toMatchObject({ generation: '2010', suggestedHeap: 8 });
    expect(parseRep(text, 'x', { generation: '2002' })).toMatchObject({ suggestedHeap: 1, weight: 8 });
  });

  it('handles CRLF line ends and tabs', () => {
    const t = parseRep('20000\r\n1\r\n2\r\n1\r\na\t0\t8\r\nf 0\r\n', 'x');
    expect(t.ops).toEqual([
      { kind: 'a', id: 0, size: 8 },
      { kind: 'f', id: 0 },
    ]);
  });

  it('accepts fewer ids than num_ids says, as mdriver does', () => {
    expect(parseRep('20000\n50\n1\n1\na 0 8\n', 'x').ops).toHaveLength(1);
  });
});

describe('parseRep: malformed files', () => {
  const H = '20000\n10\n';
  it.each([
    [H + '1\n1\nx 1 2\n', "traces/x.rep line 5: unknown operation 'x' (expected a, f, r or c)"],
    [
      '20000\n1\n5694\n1\na 0 1\n',
      'traces/x.rep line 3: header says 5694 operations, file has 1: set the operation count to 1 or restore the missing lines',
    ],
    [
      H + '2\n1\na 0 8\nf 7\n',
      'traces/x.rep line 6: free of id 7 which was never allocated: allocate it first or remove this line',
    ],
    ['20000\n10\n1\n1\na 12 8\n', 'traces/x.rep line 2: num_ids says 10 but ids go up to 12: set it to 13'],
    [
      H + '3\n1\na 0 8\nf 0\nf 0\n',
      'traces/x.rep line 7: double free: id 0 was already freed on line 6; remove one of the frees',
    ],
    [
      H + '2\n1\na 3 8\nc 3 1 8\n',
      'traces/x.rep line 6: allocation into id 3, which is still live (allocated on line 5): free it first or use an unused id',
    ],
    [H + '1\n1\na 0\n', "traces/x.rep line 5: missing values: 'a 0' should be 'a <id> <bytes>' (a malloclab profile reads it as mdriver does, with the previous size)"],
    [H + '1\n1\nf 0 8\n', "traces/x.rep line 5: too many values: 'f 0 8' should be 'f <id>'"],
    [H + '1\n1\na 0 1.5\n', "traces/x.rep line 5: size '1.5' is not a non-negative whole number"],
    [H + '1\n1\na 0 -4\n', "traces/x.rep line 5: size '-4' is not a non-negative whole number"],
    [H + '1\n1\na zero 4\n', "traces/x.rep line 5: id 'zero' is not a whole number"],
    [
      H + '1\n1\na -1 4\n',
      "traces/x.rep line 5: id -1 is only allowed in 'f -1' (free(NULL)); use an id of 0 or more",
    ],
    [
      H + '1\n1\nf -3\n',
      "traces/x.rep line 5: id -3 is negative; ids are 0 or more (only 'f -1', free(NULL), uses -1)",
    ],
    [
      H + '1\n1\nc 0 4294967296 1\n',
      'traces/x.rep line 5: count 4294967296 is larger than 4294967295, the most a calloc count can be in a 32-bit size_t',
    ],
    [H + '1\n1x\na 0 1\n', "traces/x.rep line 4: header value '1x' is not a non-negative whole number"],
    [
      '20000\n1\n1\na 0 1\n',
      'traces/x.rep line 1: the header has 3 numbers; expected 4 numbers (2002: heap ids ops weight; 2010/2016: weight ids ops heap-or-peak) or 2 (ids ops)',
    ],
    [
      'a 0 1\n',
      'traces/x.rep: no header before the first operation: expected 4 numbers (2002: heap ids ops weight; 2010/2016: weight ids ops heap-or-peak) or 2 (ids ops)',
    ],
    [H + '1\n1\na 0 99999999999999999999\n', "traces/x.rep line 5: size '99999999999999999999' is not a non-negative whole number"],
  ])('rejects %j', (text, message) => {
    expect(problemsOf(text)).toBe(message);
  });

  it('rejects a 2016 weight that is a heap size', () => {
    expect(problemsOf('20000\n1\n1\n8\na 0 8\n', { generation: '2016' })).toBe(
      "traces/x.rep line 1: weight 20000 is not 0-3, as a 2016 header's first value must be; " +
        "if it is a suggested heap size, the file is a 2002 trace: use generation '2002' or 'auto'",
    );
  });

  it('lists every problem in file order', () => {
    const message = problemsOf('20000\n3\n4\n1\na 0 5\nf 7\nf 0\nf 0\n');
    expect(message.split('\n')).toEqual([
      'traces/x.rep line 2: num_ids says 3 but ids go up to 7: set it to 8',
      'traces/x.rep line 6: free of id 7 which was never allocated: allocate it first or remove this line',
      'traces/x.rep line 8: double free: id 0 was already freed on line 7; remove one of the frees',
    ]);
  });

  it('reports no id problems caused by a line that did not parse', () => {
    // Line 5 is dropped, so the free on line 6 would look like a free of a never-allocated id.
    const message = problemsOf('20000\n3\n4\n1\na 0 3 4\nf 0\nx 1 2\n');
    expect(message.split('\n')).toEqual([
      "traces/x.rep line 5: too many values: 'a 0 3 4' should be 'a <id> <bytes>'",
      "traces/x.rep line 7: unknown operation 'x' (expected a, f, r or c)",
    ]);
  });

  it('caps the list at 20 problems', () => {
    const body = Array.from({ length: 25 }, () => 'q 1\n').join('');
    const lines = problemsOf(`20000\n1\n25\n1\n${body}`).split('\n');
    expect(lines).toHaveLength(21);
    expect(lines[20]).toBe('traces/x.rep: ... and 5 more problems');
  });

  it('reports a missing file as a UsageError naming it', async () => {
    await expect(readTraceFile('/nonexistent/t.rep')).rejects.toThrow(
      'cannot read trace file /nonexistent/t.rep: no such file; pass the path of a .rep file',
    );
  });

  it('accepts every op shape near SIZE_MAX', () => {
    const t = parseRep(`20000\n1\n2\n1\nc 0 ${SIZE_MAX} 1\nf 0\n`, 'x');
    expect(t.ops[0]).toEqual({ kind: 'c', id: 0, count: SIZE_MAX, size: 1 });
    expect(t.oversizedOps).toBeUndefined();
  });
});

describe('splitWhitespace', () => {
  it('splits a trimmed line exactly as split(/\\s+/) does, without a RegExp (slow after lockdown)', () => {
    const spaces = [' ', '\t', '\r', '\v', '\f', '\u00a0', '\u1680', '\u2000', '\u200a', '\u2028', '\u2029', '\u202f', '\u205f', '\u3000', '\ufeff'];
    const piece = fc.oneof(fc.constantFrom(...spaces), fc.string({ minLength: 1, maxLength: 4 }), fc.constantFrom('a', '12', '-3', 'x\u200b'));
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), (parts) => {
        const body = parts.join('').trim();
        if (body === '') return;
        expect(splitWhitespace(body)).toEqual(body.split(/\s+/));
      }),
      { numRuns: 2000, seed: 14 },
    );
  });
});

describe("reading: 'mdriver' (the malloclab profiles) reads what the handout's driver reads", () => {
  const H4 = '1\n3\n';
  it('a missing size keeps the previous a/r size, with one warning naming the file and the first such line', () => {
    const t = parseRep(`${H4}5\n0\na 0 110\na 1\nr 1 200\na 2\nf 0\n`, 'traces/alaska.rep', { reading: 'mdriver' });
    expect(t.ops).toEqual([
      { kind: 'a', id: 0, size: 110 },
      { kind: 'a', id: 1, size: 110 },
      { kind: 'r', id: 1, size: 200 },
      { kind: 'a', id: 2, size: 200 },
      { kind: 'f', id: 0 },
    ]);
    expect(t.warnings).toEqual(["traces/alaska.rep line 6: 'a 1' has no size; read as mdriver reads it, with the previous size (110), as is 1 more such line"]);
    // Strict (the kit's own profile): an error naming the line and the way out.
    expect(problemsOf(`${H4}5\n0\na 0 110\na 1\nr 1 200\na 2\nf 0\n`)).toMatch(/line 6: missing values: 'a 1'.*malloclab profile reads it as mdriver does/);
  });

  it('with no earlier size there is nothing to keep: still an error', () => {
    expect(problemsOf(`${H4}1\n0\na 0\n`, { reading: 'mdriver' })).toMatch(/line 5: missing values: 'a 0'/);
  });

  it('lines past the header\'s op count are ignored, with one warning naming the first', () => {
    const text = '1\n2\n2\n0\na 0 16\nf 0\na 1 8\nf 1\n';
    const t = parseRep(text, 'traces/lrucd.rep', { reading: 'mdriver' });
    expect(t.ops).toEqual([{ kind: 'a', id: 0, size: 16 }, { kind: 'f', id: 0 }]);
    expect(t.warnings).toEqual(['traces/lrucd.rep line 7: the header says 2 operations; this line and 1 more are ignored, as mdriver ignores them']);
    expect(problemsOf(text)).toMatch(/header says 2 operations, file has 4: set the operation count to 4 or remove the extra lines/);
    // The 2002 driver reads on past the count, then asserts it: an error there too (it still keeps a missing size).
    expect(problemsOf(text, { reading: 'mdriver-2002' })).toMatch(/header says 2 operations, file has 4/);
    expect(parseRep('1\n2\n3\n0\na 0 16\na 1\nf 0\n', 'x.rep', { reading: 'mdriver-2002' }).ops[1]).toEqual({ kind: 'a', id: 1, size: 16 });
    // Fewer lines than the count: mdriver's assert fails too, so it stays an error.
    expect(problemsOf('1\n2\n5\n0\na 0 16\nf 0\n', { reading: 'mdriver' })).toMatch(/header says 5 operations, file has 2/);
  });

  it('a well-formed trace reads the same either way, with no warnings', () => {
    const text = '1\n1\n2\n0\na 0 16\nf 0\n';
    expect(parseRep(text, 'x.rep', { reading: 'mdriver' })).toEqual(parseRep(text, 'x.rep'));
    expect(parseRep(text, 'x.rep', { reading: 'mdriver' }).warnings).toBeUndefined();
  });
});
