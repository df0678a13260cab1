/**
 * Errors with stable codes. The CLI's one catch maps them to exit codes:
 * user errors (bad input, a submission that does not load) exit 2 with the
 * message alone; anything else is a kit bug and prints its stack.
 */
export class HeapgradeError extends Error {
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'HeapgradeError';
  }
}

/** The submission could not be loaded or initialised: the student's failure, exit 2. */
export class LoadError extends HeapgradeError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('HEAPGRADE_LOAD', message, options);
    this.name = 'LoadError';
  }
}

/** Bad command-line input, configuration or trace file: the user's to fix, exit 2. */
export class UsageError extends HeapgradeError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('HEAPGRADE_USAGE', message, options);
    this.name = 'UsageError';
  }
}

export function toError(e: unknown): Error {
  return e instanceof Error ? e : new Error(String(e));
}
