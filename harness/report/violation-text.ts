/**
 * A violation explained for a person: what broke, where, the shortest calls
 * that show it, the heap at that moment and the command that replays it.
 * Shared by `heapgrade test`, `heapgrade grade`, the vitest adapter and the
 * per-student batch reports.
 */
import type { Violation } from '../checker/violation.ts';
import { describeCalls, type Op } from '../trace/types.ts';
import { hex } from '../util/format.ts';
import { renderHeapMap } from '../heap-map/heap-map.ts';
import { styler } from './color.ts';
import type { HeapSnapshot } from '../heap-map/types.ts';
import type { CheckResult, TestReport } from './types.ts';
import { cleanText } from './sanitize.ts';

/** What each rule says, in one line, keyed by violation kind. */
export const RULES: Record<Violation['kind'], string> = {
  misaligned: 'every returned pointer must be aligned',
  'out-of-heap': 'every block must lie inside [base, brk)',
  overlap: 'no two live blocks may overlap',
  'payload-corrupted': 'the allocator must never change the bytes of a live block',
  'calloc-not-zeroed': 'calloc must return zeroed memory, also when it reuses freed memory',
  'calloc-overflow': 'calloc(n, size) whose product overflows size_t must return NULL',
  'realloc-data-lost': 'realloc must keep the first min(old, new) bytes',
  'spurious-null': 'NULL only when memory really ran out (an sbrk failed during the call)',
  'out-of-memory': 'a trace fails when the allocator runs out of the heap limit on a request the trace needs (mdriver: "mm_malloc failed")',
  segfault: 'no access outside the heap',
  threw: 'no exception may escape the allocator',
  timeout: 'every call must return within the time limit',
  'off-heap-metadata': 'per-block metadata must live in the heap',
  'heap-check-failed': "the allocator's own check() must stay clean",
  'zero-size-policy': 'zero-size requests must follow the assignment’s policy',
};

const bytes = (b: number[]): string => b.map((x) => x.toString(16).padStart(2, '0')).join(' ');

export interface ViolationTextOptions {
  color?: boolean;
  /** The replay command, when a repro was saved. */
  replay?: string;
  snapshot?: HeapSnapshot;
  /** Show the heap map. @default true */
  heapMap?: boolean;
  indent?: string;
}

export function formatViolation(v: Violation, options: ViolationTextOptions = {}): string {
  const s = styler(options.color === true);
  const ind = options.indent ?? '  ';
  const out: string[] = [];
  const where = v.op < 0 ? '' : v.repro ? ` at call #${v.op} of the repro` : ` at operation #${v.op}`;
  out.push(`${s('bold', s('red', v.kind))}${where}: ${RULES[v.kind]}`);
  out.push(v.message);
  if (v.expected && v.actual && v.address !== undefined) {
    out.push(`  at ${hex(v.address)}  expected: ${bytes(v.expected)}`);
    out.push(`  ${' '.repeat(hex(v.address).length + 3)}     found: ${bytes(v.actual)}`);
  }
  if (v.hint) out.push(s('yellow', `Hint: ${v.hint}`));
  if (v.repro && v.repro.length) {
    const n = v.repro.length;
    const found = v.foundAt !== undefined && v.foundAt !== v.op ? ` (found at operation #${v.foundAt} of the check's ${'trace'})` : '';
    out.push('');
    out.push(`${reproHeading(v.shrink, `${n} call${n === 1 ? '' : 's'}`)}${found}:`);
    const shown = n <= 24 ? v.repro.map((op, i) => [i, op] as const) : [...v.repro.slice(0, 8).map((op, i) => [i, op] as const), ...v.repro.slice(n - 14).map((op, i) => [n - 14 + i, op] as const)];
    const calls = describeCalls(v.repro);
    let prev = -1;
    for (const [i] of shown) {
      if (i !== prev + 1) out.push(s('dim', `     ... ${i - prev - 1} more calls ...`));
      prev = i;
      const line = `${String(i).padStart(4)}  ${calls[i]}`;
      out.push(i === v.op ? s('bold', `${line}   <-- here`) : line);
    }
  }
  if (options.heapMap !== false && options.snapshot && options.snapshot.blocks.length + 1 > 0) {
    out.push('');
    out.push('The heap at that moment:');
    out.push(renderHeapMap(options.snapshot, { focus: v, color: options.color === true, width: 64 }));
  }
  if (options.replay) {
    out.push('');
    out.push(`Replay it: ${s('cyan', options.replay)}`);
  }
  return out.map((l) => (l ? ind + l.split('\n').join(`\n${ind}`) : l)).join('\n');
}

/** Says what the listed calls are: only a finished shrink may call them the shortest. */
export function reproHeading(shrink: Violation['shrink'], count: string): string {
  switch (shrink) {
    case 'out-of-time':
      return `Shrinking ran out of time; the shortest sequence of calls found that shows it (${count}; a shorter one may exist)`;
    case 'not-shrunk':
      return `The calls up to the one that did not return (${count}; not shrunk, since replaying shorter candidates would hang too)`;
    default:
      return `The shortest sequence of calls that shows it (${count})`;
  }
}

export { describeCalls } from '../trace/types.ts';

/** One failing check, in full. */
export function formatCheckFailure(c: CheckResult, options: { color?: boolean } = {}): string {
  const s = styler(options.color === true);
  const head = `${s('red', '✗')} ${s('bold', c.name)} (${c.points}/${c.maxPoints}): ${c.description}`;
  if (c.status === 'error') return `${head}\n  heapgrade itself failed on this check (not your allocator): ${c.error ?? ''}`;
  const parts = [head];
  for (const v of c.violations) parts.push(formatViolation(v, { color: options.color, replay: c.replay, snapshot: c.snapshot }));
  // What the allocator printed reaches a terminal: no escape sequences (harness/report/sanitize.ts).
  if (c.output) parts.push(`  ${outputHeading(c)}\n${quoteOutput(cleanText(c.output))}`);
  return parts.join('\n');
}

/** Under a repro the output comes from replaying the repro, so its addresses match the calls listed. */
function outputHeading(c: CheckResult): string {
  return c.outputOfRepro && c.violations.some((v) => v.repro?.length) ? 'Your allocator printed, replaying the calls above:' : 'Your allocator printed:';
}

/** Output lines quoted with a bar, at most `maxLines` of them (the rest counted). */
export function quoteOutput(output: string, maxLines = Infinity): string {
  const lines = output.replace(/\n+$/, '').split('\n');
  const shown = lines.slice(0, maxLines).map((l) => `    | ${l}`);
  const more = lines.length - maxLines;
  if (more > 0) shown.push(`    | [${more} more line${more === 1 ? '' : 's'}]`);
  return shown.join('\n');
}

/** The allocator's own check() complained (--check-heap): informative, shown once, no points lost. */
export function formatHeapCheckNote(note: NonNullable<TestReport['heapCheck']>, options: { color?: boolean } = {}): string {
  const s = styler(options.color === true);
  const others = note.checks.filter((n) => n !== note.check);
  const where = others.length ? `in ${note.check} (and in ${others.length} other check${others.length === 1 ? '' : 's'}: ${others.join(', ')})` : `in ${note.check}`;
  return [
    `${s('yellow', '?')} ${s('bold', 'heap-check')} (informative, no points lost): your check() complained ${where}; the first complaint:`,
    formatViolation(note.violation, { color: options.color }),
  ].join('\n');
}
