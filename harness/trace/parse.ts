/**
 * Reads CMU malloclab `.rep` traces of every generation as they are (see
 * header.ts for the header layouts), plus our one extension, `c id count size`
 * (calloc). Blank lines and `#` comments are ignored anywhere.
 *
 * What is an error (UsageError, every problem listed with its line):
 * - an unknown operation, a wrong number of fields, a value that is not a
 *   whole number, a negative id other than `f -1`;
 * - an operation count different from the header's, or ids at or above
 *   num_ids (fewer ids than num_ids is tolerated: mdriver just sizes an array);
 * - free of an id that was never allocated, a double free, and allocating
 *   (`a`/`c`) into an id that is still live (see validate.ts).
 *
 * What is tolerated, as mdriver does: `f -1` (free(NULL)) in any generation,
 * `r` on an unseen or freed id (realloc(NULL, n)), reusing an id after its
 * free, and a/r sizes beyond a 32-bit size_t. Those are kept as numbers and
 * listed in `Trace.oversizedOps`: the only correct answer to them is NULL.
 * calloc's count and size must each fit a size_t; their product may overflow
 * (that is the calloc-overflow check).
 *
 * `reading: 'mdriver'` (the 2010-2016 malloclab profiles) reads two more
 * things as the handout's driver does, each kind with one warning naming the
 * file and its first line: `a 7` or `r 7` with the size missing keeps the
 * previous size (mdriver's `fscanf("%u %u", &index, &size)` leaves `size` as
 * it was), and lines past the header's op count are ignored (mdriver stops
 * reading at num_ops). 'mdriver-2002' keeps a missing size only: the 2002
 * driver asserts the count. The kit's own profile reads strictly.
 */
import { readFile } from 'node:fs/promises';
import { SIZE_MAX } from '../contract/types.ts';
import { UsageError } from '../util/errors.ts';
import { interpretHeader, type HeaderValue } from './header.ts';
import { ProblemList } from './problems.ts';
import type { Op, RepGeneration, Trace } from './types.ts';
import { validateOps } from './validate.ts';

export interface ParseRepOptions {
  /** Header layout; 'auto' detects it. @default 'auto' */
  generation?: RepGeneration | 'auto';
  /** 'mdriver'/'mdriver-2002': what the handout's driver reads, read as it does (with warnings); 'strict': an error. @default 'strict' */
  reading?: TraceReading;
}

/**
 * 'mdriver': the 2010-2016 drivers (a missing size keeps the previous one; reading stops at num_ops).
 * 'mdriver-2002': the 2002 driver keeps a missing size too, but reads on past num_ops and then
 * fails `assert(trace->num_ops == op_index)`: extra lines stay an error.
 */
export type TraceReading = 'strict' | 'mdriver' | 'mdriver-2002';

const SHAPES: Record<string, { arity: number; usage: string }> = {
  a: { arity: 3, usage: 'a <id> <bytes>' },
  f: { arity: 2, usage: 'f <id>' },
  r: { arity: 3, usage: 'r <id> <bytes>' },
  c: { arity: 4, usage: 'c <id> <count> <bytes>' },
};

const UNSIGNED = /^\d+$/;
const SIGNED = /^-?\d+$/;
/** Header lines start with a digit; a malformed number there is a header problem, not an unknown op. */
const LOOKS_NUMERIC = /^[-+]?\d/;

/**
 * `body.split(/\s+/)` for a trimmed line, without a regular expression:
 * after lockdown (the grading threads run under SES) splitting on a RegExp
 * goes through the tamed RegExp constructor for every line, which made a
 * grade's trace parsing 4x slower (bench: 179 against 731 ms for the
 * built-in traces).
 */
export function splitWhitespace(body: string): string[] {
  const out: string[] = [];
  let start = -1;
  for (let i = 0; i < body.length; i++) {
    const c = body.charCodeAt(i);
    const space = c === 32 || (c >= 9 && c <= 13) || (c > 127 && isUnicodeSpace(c));
    if (space) {
      if (start >= 0) out.push(body.slice(start, i));
      start = -1;
    } else if (start < 0) start = i;
  }
  if (start >= 0) out.push(body.slice(start));
  return out;
}

const SPACE = (c: number): boolean => c === 32 || (c >= 9 && c <= 13);
/** Up to 15 digits a value stays under 2^53, a safe integer, as the general path requires (sizes of a and r may exceed a 32-bit size_t). */
const QUICK_DIGITS = 15;

/**
 * The lines a trace is made of (`a 12 4096`, `f 12`, `r 12 100`: a, f or r
 * at the start, then whole numbers of up to 15 digits, ASCII blanks between
 * and after), read without making a string per field: the general path
 * costs most of a grade's parsing (a workload trace has 60,000 lines).
 * Anything else (a comment, a header, calloc, `f -1`, a missing or extra
 * field, a leading blank) is undefined here and read by the general path,
 * with its errors and warnings: both give the same op for every line this
 * one reads (test/trace/quick-op.test.ts).
 */
export function quickOp(line: string): Op | undefined {
  return quickOpAt(line, 0, line.length);
}

/**
 * quickOp of text[start, end), read in place: parseRep walks the file's
 * text without a string per line. Never reads past `end` (a read past a
 * string's end is NaN, and made the optimised parser deoptimise).
 */
function quickOpAt(text: string, start: number, end: number): Op | undefined {
  if (start >= end) return undefined;
  const k = text.charCodeAt(start);
  const arity = k === 97 || k === 114 ? 2 : k === 102 ? 1 : 0;
  if (arity === 0) return undefined;
  let i = start + 1;
  let v0 = 0;
  let v1 = 0;
  for (let f = 0; f < arity; f++) {
    if (i >= end || !SPACE(text.charCodeAt(i))) return undefined;
    while (i < end && SPACE(text.charCodeAt(i))) i++;
    const from = i;
    let v = 0;
    for (; i < end; i++) {
      const c = text.charCodeAt(i);
      if (c < 48 || c > 57) break;
      v = v * 10 + (c - 48);
    }
    if (i === from || i - from > QUICK_DIGITS) return undefined;
    if (f === 0) v0 = v;
    else v1 = v;
  }
  for (; i < end; i++) if (!SPACE(text.charCodeAt(i))) return undefined;
  if (k === 102) return { kind: 'f', id: v0 };
  return k === 97 ? { kind: 'a', id: v0, size: v1 } : { kind: 'r', id: v0, size: v1 };
}

/** The characters beyond ASCII that \s matches (ECMAScript's WhiteSpace and LineTerminator). */
function isUnicodeSpace(c: number): boolean {
  return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

export function parseRep(text: string, file: string, options: ParseRepOptions = {}): Trace {
  const requested = options.generation ?? 'auto';
  const problems = new ProblemList(file);
  const header: HeaderValue[] = [];
  const ops: Op[] = [];
  /** The 1-based line of each op (a number each, not an object: a workload trace has 60,000 of them). */
  const opLines: number[] = [];
  const keepSize = options.reading === 'mdriver' || options.reading === 'mdriver-2002';
  const stopAtCount = options.reading === 'mdriver';
  const warnings: string[] = [];
  const kept: { line: number; text: string; count: number; size: number }[] = [];
  /** The size mdriver's `size` variable holds: the last a/r size read. */
  let prevSize: number | undefined;
  let inHeader = true;
  let headerOk = true;
  // Line by line as text.split('\n') would give them, each read in place; only a line the quick path does not
  // read becomes a string.
  for (let start = 0, n = 0; start <= text.length; n++) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const quick = quickOpAt(text, start, end);
    const lineText = quick ? '' : text.slice(start, end);
    start = end + 1;
    if (quick) {
      inHeader = false;
      ops.push(quick);
      opLines.push(n + 1);
      if (quick.kind !== 'f') prevSize = quick.size;
      continue;
    }
    const hash = lineText.indexOf('#');
    const body = (hash >= 0 ? lineText.slice(0, hash) : lineText).trim();
    if (body === '') continue;
    const tokens = splitWhitespace(body);
    const line = n + 1;
    if (inHeader && LOOKS_NUMERIC.test(tokens[0]!)) {
      headerOk = readHeaderLine(tokens, line, header, problems) && headerOk;
      continue;
    }
    inHeader = false;
    if (keepSize && (tokens[0] === 'a' || tokens[0] === 'r') && tokens.length === 2 && prevSize !== undefined) {
      tokens.push(String(prevSize));
      if (kept.length === 0) kept.push({ line, text: lineText, count: 0, size: prevSize });
      kept[0]!.count++;
    }
    const op = readOp(tokens, line, problems);
    if (op) {
      ops.push(op);
      opLines.push(line);
    }
    if (op && (op.kind === 'a' || op.kind === 'r')) prevSize = op.size;
  }
  if (kept.length > 0) {
    const k = kept[0]!;
    warnings.push(
      `${file} line ${k.line}: '${k.text.trim()}' has no size; read as mdriver reads it, with the previous size (${k.size})` +
        (k.count === 2 ? ', as is 1 more such line' : k.count > 2 ? `, as are ${k.count - 1} more such lines` : ''),
    );
  }
  // mdriver reads num_ops operations and stops: the header's count (the third value of 4, the second of 2).
  const countAt = header.length === 4 ? 2 : header.length === 2 ? 1 : -1;
  if (stopAtCount && headerOk && countAt >= 0 && ops.length > header[countAt]!.value && problems.count === 0) {
    const numOps = header[countAt]!.value;
    const extra = ops.length - numOps;
    const firstExtraLine = opLines[numOps]!;
    ops.length = numOps;
    opLines.length = numOps;
    warnings.push(
      `${file} line ${firstExtraLine}: the header says ${numOps} operations; ${extra === 1 ? 'this line is' : `this line and ${extra - 1} more are`} ignored, as mdriver ignores them`,
    );
  }

  const syntaxProblems = problems.count;
  // A dropped line makes later id checks cascade (its id looks never allocated), so
  // id problems are reported only for files whose every line parsed.
  const checked = validateOps(ops, opLines, syntaxProblems === 0 ? problems : new ProblemList(file));
  // A malformed header value was already reported; counting the rest would only add noise.
  const head = headerOk ? interpretHeader(header, requested, checked.rawPeak, problems) : undefined;
  if (head) {
    // Lines that failed to parse would make the count misleading.
    if (head.numOps.value !== ops.length && syntaxProblems === 0) {
      problems.add(
        head.numOps.line,
        `header says ${head.numOps.value} operations, file has ${ops.length}: ` +
          (ops.length > head.numOps.value
            ? `set the operation count to ${ops.length} or remove the extra lines (a malloclab profile reads the file as mdriver does, ignoring them)`
            : `set the operation count to ${ops.length} or restore the missing lines`),
      );
    }
    if (checked.maxId >= head.numIds.value) {
      problems.add(
        head.numIds.line,
        `num_ids says ${head.numIds.value} but ids go up to ${checked.maxId}: set it to ${checked.maxId + 1}`,
      );
    }
  }
  problems.throwIfAny();
  return {
    name: file,
    ops,
    ...(head?.weight !== undefined && { weight: head.weight }),
    ...(head?.suggestedHeap !== undefined && { suggestedHeap: head.suggestedHeap }),
    ...(head?.headerPeak !== undefined && { headerPeak: head.headerPeak }),
    ...(head && { generation: head.generation }),
    ...(checked.oversized.length > 0 && { oversizedOps: checked.oversized }),
    ...(warnings.length > 0 && { warnings }),
  };
}

/** Reads and parses a .rep file; a missing or unreadable file is a UsageError. */
/**
 * Traces that reached this process as data (a sandboxed grading child gets
 * the assignment's own and hidden traces over its channel, never a path it
 * could open). Filled by the kit before any submission code is loaded.
 */
const givenTraces = new Map<string, string>();

export function provideTraces(traces: Readonly<Record<string, string>>): void {
  for (const [path, text] of Object.entries(traces)) givenTraces.set(path, text);
}

export function hasTrace(path: string): boolean {
  return givenTraces.has(path);
}

export async function readTraceFile(path: string, options: ParseRepOptions = {}): Promise<Trace> {
  const given = givenTraces.get(path);
  if (given !== undefined) return parseRep(given, path, options);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : String(e);
    throw new UsageError(`cannot read trace file ${path}: ${why}; pass the path of a .rep file`, { cause: e });
  }
  return parseRep(text, path, options);
}

/** Adds the line's header values; false if one of them is malformed. */
function readHeaderLine(tokens: string[], line: number, out: HeaderValue[], problems: ProblemList): boolean {
  let ok = true;
  for (const t of tokens) {
    const value = UNSIGNED.test(t) ? Number(t) : NaN;
    if (!Number.isSafeInteger(value)) {
      problems.add(line, `header value '${t}' is not a non-negative whole number`);
      ok = false;
      continue;
    }
    out.push({ value, line });
  }
  return ok;
}

function readOp(tokens: string[], line: number, problems: ProblemList): Op | undefined {
  const kind = tokens[0]!;
  const shape = SHAPES[kind];
  if (!shape) {
    problems.add(line, `unknown operation '${kind}' (expected a, f, r or c)`);
    return undefined;
  }
  if (tokens.length !== shape.arity) {
    const what = tokens.length > shape.arity ? 'too many values' : 'missing values';
    const mdriver = (kind === 'a' || kind === 'r') && tokens.length === 2 ? ' (a malloclab profile reads it as mdriver does, with the previous size)' : '';
    problems.add(line, `${what}: '${tokens.join(' ')}' should be '${shape.usage}'${mdriver}`);
    return undefined;
  }
  const id = readInt(tokens[1]!, 'id', true, line, problems);
  if (id === undefined) return undefined;
  if (id < 0 && id !== -1) {
    problems.add(line, `id ${id} is negative; ids are 0 or more (only 'f -1', free(NULL), uses -1)`);
    return undefined;
  }
  if (kind === 'f') return { kind, id };
  if (id < 0) {
    problems.add(line, `id -1 is only allowed in 'f -1' (free(NULL)); use an id of 0 or more`);
    return undefined;
  }
  if (kind === 'c') {
    const count = readSize(tokens[2]!, 'count', line, problems, SIZE_MAX);
    const size = readSize(tokens[3]!, 'size', line, problems, SIZE_MAX);
    return count === undefined || size === undefined ? undefined : { kind, id, count, size };
  }
  const size = readSize(tokens[2]!, 'size', line, problems, Number.MAX_SAFE_INTEGER);
  return size === undefined ? undefined : kind === 'a' ? { kind, id, size } : { kind: 'r', id, size };
}

function readInt(t: string, what: string, signed: boolean, line: number, problems: ProblemList): number | undefined {
  const value = (signed ? SIGNED : UNSIGNED).test(t) ? Number(t) : NaN;
  if (Number.isSafeInteger(value)) return value;
  problems.add(line, `${what} '${t}' is not a ${signed ? '' : 'non-negative '}whole number`);
  return undefined;
}

function readSize(t: string, what: string, line: number, problems: ProblemList, max: number): number | undefined {
  const value = readInt(t, what, false, line, problems);
  if (value === undefined || value <= max) return value;
  problems.add(line, `${what} ${t} is larger than ${max}, the most a calloc ${what} can be in a 32-bit size_t`);
  return undefined;
}
