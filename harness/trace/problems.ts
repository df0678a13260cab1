/**
 * Collects what is wrong with a trace file so that one run reports every
 * problem (up to a cap), each with its file and line, instead of only the
 * first.
 */
import { UsageError } from '../util/errors.ts';

const MAX_SHOWN = 20;

export interface Problem {
  /** 1-based line in the file; absent for whole-file problems. */
  readonly line?: number;
  readonly message: string;
}

export class ProblemList {
  private readonly problems: Problem[] = [];

  constructor(private readonly file: string) {}

  add(line: number | undefined, message: string): void {
    this.problems.push(line === undefined ? { message } : { line, message });
  }

  get count(): number {
    return this.problems.length;
  }

  /** One problem per line: `file line N: message`. */
  format(): string {
    // In file order (whole-file problems first), whatever order the passes found them in.
    const sorted = [...this.problems].sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
    const shown = sorted.slice(0, MAX_SHOWN).map((p) =>
      p.line === undefined ? `${this.file}: ${p.message}` : `${this.file} line ${p.line}: ${p.message}`,
    );
    const rest = this.problems.length - shown.length;
    if (rest > 0) shown.push(`${this.file}: ... and ${rest} more problem${rest === 1 ? '' : 's'}`);
    return shown.join('\n');
  }

  /** Throws a UsageError listing every problem, if there is any. */
  throwIfAny(): void {
    if (this.problems.length > 0) throw new UsageError(this.format());
  }
}
