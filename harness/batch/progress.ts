/**
 * Batch progress. On a terminal: one status line, redrawn every second and
 * on every event, naming who is being graded, with counts and an ETA that
 * only moves towards the end: "estimating…" until a submission has finished
 * (before, any figure is a guess that grows with the first one's time). Otherwise (CI logs, files): one plain line per finished
 * submission, nothing redrawn.
 */
import type { Status } from '../report/types.ts';

export interface ProgressSink {
  write(text: string): void;
  isTTY?: boolean;
  columns?: number;
}

/** Erase from the cursor to the end of the line: a shorter line leaves no tail of the longer one (`ETA 4m31ss`). */
const CLEAR_TO_END = '\x1b[K';

export class BatchProgress {
  private done = 0;
  private readonly counts: Record<Status, number> = { pass: 0, fail: 0, error: 0 };
  private readonly started: number;
  /** Submissions being graded, with the time each started. */
  private readonly running = new Map<string, number>();
  /** Sum of the durations of finished submissions (for the average). */
  private finishedMs = 0;
  /** Most submissions graded at once so far: the batch's parallelism. */
  private parallel = 1;
  private timer?: NodeJS.Timeout;
  /** The last ETA shown after the first finished submission, and when. */
  private lastEta?: { seconds: number; at: number };

  constructor(
    private readonly total: number,
    private readonly skipped: number,
    private readonly sink: ProgressSink,
    private readonly now: () => number = Date.now,
  ) {
    this.started = now();
    if (skipped) this.sink.write(`resuming: ${skipped} already graded, ${total} to go\n`);
    if (this.sink.isTTY) {
      this.timer = setInterval(() => this.redraw(), 1000);
      this.timer.unref();
    }
  }

  /** A submission's grading began. */
  begin(id: string): void {
    this.running.set(id, this.now());
    this.parallel = Math.max(this.parallel, this.running.size);
    if (this.sink.isTTY) this.redraw();
  }

  finished(id: string, status: Status, outcome: string, score: number | undefined, ms: number): void {
    this.done++;
    this.counts[status]++;
    this.running.delete(id);
    this.finishedMs += ms;
    if (this.sink.isTTY) {
      this.redraw();
      return;
    }
    const what = score === undefined ? outcome : `${outcome}, ${Number(score.toFixed(2))}`;
    this.sink.write(`[${this.done}/${this.total}] ${id}: ${status} (${what}) ${(ms / 1000).toFixed(1)}s\n`);
  }

  end(): void {
    clearInterval(this.timer);
    if (this.sink.isTTY) this.sink.write(`\r${CLEAR_TO_END}`);
    const s = ((this.now() - this.started) / 1000).toFixed(1);
    this.sink.write(`graded ${this.done} in ${s}s: ${this.counts.pass} pass, ${this.counts.fail} fail, ${this.counts.error} error\n`);
  }

  /**
   * Seconds left, or undefined until a submission has finished (no figure
   * before: one taken from the first submission's time so far would climb
   * while it runs). The work left is the submissions not started times the
   * mean time of one, plus what the running ones still need, spread over the
   * batch's parallelism.
   */
  eta(): number | undefined {
    if (this.done === 0) return undefined;
    const now = this.now();
    const elapsed = [...this.running.values()].map((t) => now - t);
    const mean = this.finishedMs / this.done;
    const notStarted = Math.max(0, this.total - this.done - this.running.size);
    // A running one past the mean is not done: half a mean more stands in (0 would show "0s" for as long as the tail takes).
    const left = notStarted * mean + elapsed.reduce((a, e) => a + Math.max(mean / 2, mean - e), 0);
    return left / this.parallel / 1000;
  }

  /** The status line, without colour or control characters. */
  line(): string {
    const width = 20;
    const filled = this.total ? Math.round((this.done / this.total) * width) : width;
    const bar = `${'#'.repeat(filled)}${'.'.repeat(width - filled)}`;
    const now = this.now();
    const who = [...this.running].map(([id, t]) => `${id} ${formatSeconds((now - t) / 1000)}`);
    const grading = who.length ? `  grading ${who.slice(0, 3).join(', ')}${who.length > 3 ? ` +${who.length - 3}` : ''}` : '';
    const shown = this.shownEta();
    const eta = this.done === this.total ? '' : `  ETA ${shown === undefined ? 'estimating…' : formatSeconds(shown)}`;
    return `[${bar}] ${this.done}/${this.total}  pass ${this.counts.pass} fail ${this.counts.fail} error ${this.counts.error}${eta}${grading}`;
  }

  /** The ETA as shown: once estimated, it only moves towards the end (never up again, counting down between estimates). */
  private shownEta(): number | undefined {
    const est = this.eta();
    if (est === undefined) return undefined;
    const now = this.now();
    const seconds = this.lastEta ? Math.min(est, Math.max(0, this.lastEta.seconds - (now - this.lastEta.at) / 1000)) : est;
    this.lastEta = { seconds, at: now };
    return seconds;
  }

  private redraw(): void {
    const cols = this.sink.columns || 80; // 0 on a terminal with no size
    this.sink.write(`\r${this.line().slice(0, cols - 1)}${CLEAR_TO_END}`);
  }
}

export function formatSeconds(s: number): string {
  if (!Number.isFinite(s)) return '--';
  const whole = Math.round(s);
  if (whole < 60) return `${whole}s`;
  const m = Math.floor(whole / 60);
  return m < 60 ? `${m}m${String(whole % 60).padStart(2, '0')}s` : `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}
