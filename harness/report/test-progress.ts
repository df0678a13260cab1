/**
 * `heapgrade test` while it runs: each check's row as soon as it finishes
 * (as vitest does), and on a terminal a status line under them, redrawn,
 * naming what runs once anything has taken longer than a second
 * ("churn: 3,100 / 6,666 calls"). Not on a terminal: the rows only, as
 * plain lines, nothing redrawn.
 */
import { basename } from 'node:path';
import type { RunProgress } from './types.ts';
import { styler } from './color.ts';
import { formatCheckLine } from './test-text.ts';
import type { CheckResult } from './types.ts';

export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const CLEAR_LINE = '\r\x1b[K';
/** Nothing is drawn for a run shorter than this: a fast run prints its rows only. */
const QUIET_MS = 1000;

export class TestProgress {
  private readonly started: number;
  private drawn = false;
  private compileSaid = false;
  private frame = 0;
  private last?: RunProgress;
  private readonly s: ReturnType<typeof styler>;

  constructor(
    private readonly out: ProgressStream,
    private readonly options: { spec: string; width: number; color?: boolean; now?: () => number },
  ) {
    this.started = this.now();
    this.s = styler(options.color === true);
  }

  /** A check finished: its row, above the status line. */
  result(c: CheckResult): void {
    this.clear();
    this.out.write(`${formatCheckLine(c, this.options.width, this.s)}\n`);
    if (this.last) this.draw(this.last);
  }

  progress(p: RunProgress): void {
    this.last = p;
    if (p.compiling && this.out.isTTY !== true) {
      // Not a terminal: one plain line when the compiler starts, nothing redrawn.
      if (!this.compileSaid) this.out.write(`${compilingText(p.compiling)}\n`);
      this.compileSaid = true;
      return;
    }
    // The compiler is shown from the first second; the checks only once the run has taken longer.
    if (this.out.isTTY !== true || (!p.compiling && this.now() - this.started < QUIET_MS)) return;
    this.draw(p);
  }

  /** Removes the status line before the final report. */
  end(): void {
    this.clear();
    this.last = undefined;
  }

  /** The status line's text, or '' when there is nothing to say. */
  describe(p: RunProgress): string {
    const secs = `${((this.now() - this.started) / 1000).toFixed(1)} s`;
    if (p.compiling) return `${compilingText(p.compiling)} ${secs}`;
    if (p.done === 0 && p.running.length === 0) return `loading ${basename(this.options.spec)}… ${secs}`;
    if (p.running.length === 0) return '';
    const doing = p.running.map((r) => `${r.name}: ${stepText(r)}`).join(' · ');
    return `${p.done}/${p.total} done, ${secs} · ${doing}`;
  }

  private draw(p: RunProgress): void {
    if (this.out.isTTY !== true || (!p.compiling && this.now() - this.started < QUIET_MS)) return;
    const text = this.describe(p);
    if (!text) return this.clear();
    // A pseudo-terminal with no size reports 0 columns.
    const cols = this.out.columns || 80;
    const spin = SPINNER[this.frame++ % SPINNER.length]!;
    this.out.write(`${CLEAR_LINE}${this.s('dim', `${spin} ${text}`.slice(0, cols - 1))}`);
    this.drawn = true;
  }

  private clear(): void {
    if (!this.drawn) return;
    this.out.write(CLEAR_LINE);
    this.drawn = false;
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }
}

const n = (x: number): string => x.toLocaleString('en-US');

/**
 * What the compiler is doing, in true words: which clang, and why the first
 * compile of a run is slow only when it is (the bundled clang starts as
 * WebAssembly in every run; the first run on a machine also fills the cache).
 */
export function compilingText(c: NonNullable<RunProgress['compiling']>): string {
  const bundled = c.compiler.startsWith('yowasp');
  const which = bundled ? 'the bundled clang' : 'the system clang';
  const why = c.firstRun ? ' (first run on this machine: the compile cache is empty)' : bundled ? ' (the bundled clang takes a few seconds to start)' : '';
  return `compiling ${c.file} with ${which}${why}…`;
}

function stepText(r: RunProgress['running'][number]): string {
  if (r.shrinking) return 'failed; shrinking the failure to its shortest calls';
  if (r.name === 'off-heap-metadata') return r.op >= 0 ? `${n(r.op)} live blocks` : 'warming up';
  if (r.ops === 0) return 'searching random traces';
  if (r.ops > 0 && r.op >= 0 && r.op < r.ops) return `${n(r.op + 1)} / ${n(r.ops)} calls`;
  return 'running';
}
