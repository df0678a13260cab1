/**
 * Reads the log that heapgrade-trace.c writes: one call a line, pointers in
 * hex (kept as strings, so 64-bit addresses never lose precision).
 *
 *   m <size> <ptr> | c <count> <size> <ptr> | r <old> <size> <ptr> | f <ptr>
 */
import { UsageError } from '../../harness/util/errors.ts';

/** A pointer as the log wrote it, normalised; '0' is NULL. */
export type LogPtr = string;

export type LogEvent =
  | { readonly kind: 'm'; readonly size: number; readonly ptr: LogPtr }
  | { readonly kind: 'c'; readonly count: number; readonly size: number; readonly ptr: LogPtr }
  | { readonly kind: 'r'; readonly old: LogPtr; readonly size: number; readonly ptr: LogPtr }
  | { readonly kind: 'f'; readonly ptr: LogPtr };

export interface ParsedLog {
  events: LogEvent[];
  /** 1 when the last line was cut short (the process died mid-write) and was skipped. */
  truncated: number;
}

const FIELDS: Record<string, number> = { m: 3, c: 4, r: 4, f: 2 };
const DEC = /^\d+$/;
const HEX = /^(0x)?[0-9a-fA-F]+$/;

export function parseTraceLog(text: string, file: string): ParsedLog {
  const events: LogEvent[] = [];
  const lines = text.split('\n');
  // A final line without its newline may be cut short; drop it if it does not parse.
  const lastComplete = text.endsWith('\n') ? lines.length : lines.length - 1;
  let truncated = 0;
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n]!.trim();
    if (line === '' || line.startsWith('#')) continue;
    const event = parseLine(line.split(/\s+/));
    if (typeof event !== 'string') {
      events.push(event);
      continue;
    }
    if (n >= lastComplete) {
      truncated = 1;
      continue;
    }
    throw new UsageError(`${file} line ${n + 1}: ${event}; is this a log written by heapgrade-trace.c?`);
  }
  return { events, truncated };
}

/** The event, or a description of what is wrong with the line. */
function parseLine(t: string[]): LogEvent | string {
  const kind = t[0]!;
  const fields = FIELDS[kind];
  if (fields === undefined) return `unknown call '${kind}' (expected m, c, r or f)`;
  if (t.length !== fields) return `'${t.join(' ')}' has ${t.length - 1} values, '${kind}' takes ${fields - 1}`;
  const dec = (s: string): number | undefined => (DEC.test(s) ? Number(s) : undefined);
  const ptr = (s: string): LogPtr | undefined => (HEX.test(s) ? BigInt(s.startsWith('0x') ? s : `0x${s}`).toString(16) : undefined);
  switch (kind) {
    case 'm': {
      const size = dec(t[1]!);
      const p = ptr(t[2]!);
      return size === undefined || p === undefined ? `bad numbers in '${t.join(' ')}'` : { kind, size, ptr: p };
    }
    case 'c': {
      const count = dec(t[1]!);
      const size = dec(t[2]!);
      const p = ptr(t[3]!);
      return count === undefined || size === undefined || p === undefined
        ? `bad numbers in '${t.join(' ')}'`
        : { kind, count, size, ptr: p };
    }
    case 'r': {
      const old = ptr(t[1]!);
      const size = dec(t[2]!);
      const p = ptr(t[3]!);
      return old === undefined || size === undefined || p === undefined
        ? `bad numbers in '${t.join(' ')}'`
        : { kind, old, size, ptr: p };
    }
    default: {
      const p = ptr(t[1]!);
      return p === undefined ? `bad pointer in '${t.join(' ')}'` : { kind: 'f', ptr: p };
    }
  }
}
