/**
 * Batch progress: a redrawn bar with counts and ETA on a terminal, one plain
 * line per finished submission otherwise (CI logs, files).
 */
import type { Status } from '../report/types.ts';

export interface ProgressSink {
  write(text: string): void;
  isTTY?: boolean;
  columns?: number;
}

export class BatchProgress {
  private done = 0;
  private readonly counts: Record<Status, number> = { pass: 0, fail: 0, error: 0 };
  private readonly started = Date.now();

  constructor(
    private readonly total: number,
    private readonly skipped: number,
    private readonly sink: ProgressSink,
  ) {
    if (skipped) this.sink.write(`resuming: ${skipped} already graded, ${total} to go\n`);
  }

  finished(id: string, status: Status, outcome: string, score: number | undefined, ms: number): void {
    this.done++;
    this.counts[status]++;
    if (this.sink.isTTY) {
      this.redraw();
      return;
    }
    const what = score === undefined ? outcome : `${outcome}, ${Number(score.toFixed(2))}`;
    this.sink.write(`[${this.done}/${this.total}] ${id}: ${status} (${what}) ${(ms / 1000).toFixed(1)}s\n`);
  }

  end(): void {
    if (this.sink.isTTY) this.sink.write('\n');
    const s = ((Date.now() - this.started) / 1000).toFixed(1);
    this.sink.write(`graded ${this.done} in ${s}s: ${this.counts.pass} pass, ${this.counts.fail} fail, ${this.counts.error} error\n`);
  }

  private redraw(): void {
    const width = 24;
    const filled = this.total ? Math.round((this.done / this.total) * width) : width;
    const bar = `${'#'.repeat(filled)}${'.'.repeat(width - filled)}`;
    const elapsed = Date.now() - this.started;
    const eta = this.done ? ((elapsed / this.done) * (this.total - this.done)) / 1000 : NaN;
    const line = `[${bar}] ${this.done}/${this.total}  pass ${this.counts.pass}  fail ${this.counts.fail}  error ${this.counts.error}  ETA ${formatSeconds(eta)}`;
    const cols = this.sink.columns ?? 80;
    this.sink.write(`\r${line.slice(0, cols - 1).padEnd(Math.min(cols - 1, line.length))}`);
  }
}

export function formatSeconds(s: number): string {
  if (!Number.isFinite(s)) return '--';
  if (s < 60) return `${Math.round(s)}s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m}m${String(Math.round(s % 60)).padStart(2, '0')}s` : `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}
