/**
 * What confined code prints: captured by the trusted side, capped, and
 * drained by whoever owns the run (the check worker attaches it to the
 * result; the sandbox discards it during hidden workloads).
 */
import { OutputCap } from '../util/output-cap.ts';

export const OUTPUT_CAP = 64 * 1024;

/**
 * The thread's printed-bytes cell (progress[1] of the check worker), counted
 * as the submission prints: a call stalled while printing a lot may be slow,
 * not looping, and the watchdog's message says so. Counted even past the
 * cap, since formatting and printing is the time spent.
 */
let printedCell: Int32Array | undefined;

export function countPrintedBytesIn(cell: Int32Array): void {
  printedCell = cell;
}

export class OutputSink {
  private readonly buffer: OutputCap;

  constructor(cap: number = OUTPUT_CAP) {
    this.buffer = new OutputCap(cap);
  }

  write(line: string): void {
    if (printedCell && printedCell[1]! < 0x4000_0000) Atomics.add(printedCell, 1, line.length + 1);
    this.buffer.write(`${line}\n`);
  }

  /** Everything printed since the last take, with the truncation marker when some was dropped. */
  take(): string {
    return this.buffer.take().replace(/\n$/, '');
  }
}

/** Turns console arguments into one line without trusting their toString. */
export function formatPrintArgs(args: readonly unknown[]): string {
  return args.map(formatOne).join(' ');
}

function formatOne(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean' || v === undefined || v === null) return String(v);
  if (typeof v === 'symbol') return v.toString();
  if (typeof v === 'function') return `[Function ${safe(() => String((v as { name?: unknown }).name)) ?? ''}]`;
  // Student objects may have throwing or endless getters; any of that is the
  // student's call, still under the per-call limit, never a kit error.
  return safe(() => (v instanceof Error ? `${v.name}: ${v.message}` : JSON.stringify(v))) ?? '[object]';
}

function safe(f: () => string | undefined): string | undefined {
  try {
    return f();
  } catch {
    return undefined;
  }
}
