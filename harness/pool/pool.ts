/**
 * The ONE pool: runs typed tasks on a fixed number of lanes. The check
 * runner's worker threads (runner/run-tests.ts), the workload lanes of a
 * grade (grade/grade.ts) and a batch's submissions (batch/run-batch.ts) are
 * all this loop; what a lane holds (a watched worker, a replayer, a CPU) is
 * the caller's, found by the lane's number.
 *
 * - Lanes: at most `lanes` tasks run at once; a lane takes its next task as
 *   soon as its last one settles, and the number it gives the task is the
 *   same for every task that lane takes (0 to lanes - 1).
 * - Order: tasks start in `order` (indexes into the task list, default the
 *   list's own order); outcomes always come back in the list's order.
 * - Errors: a task that throws is that task's `failed` outcome; the others
 *   go on, unless `stopOnError`, when no further task starts.
 * - Stop: `signal` aborted (or a failure under `stopOnError`) starts no
 *   further task; those are `not-run`. Tasks already running see the same
 *   signal in their context and finish as they see fit.
 */

export type TaskOutcome<R> = { status: 'done'; value: R } | { status: 'failed'; error: unknown } | { status: 'not-run' };

export interface TaskContext {
  /** The task's index in the list. */
  index: number;
  /** The lane running it (0 to lanes - 1). */
  lane: number;
  /** Lanes the pool has (after capping to the number of tasks). */
  lanes: number;
  /** Tasks not yet started when this one started. */
  waiting: number;
  /** Aborted when the pool stops (its caller's signal, or a failure under `stopOnError`). */
  signal: AbortSignal;
}

export interface PoolOptions<T, R> {
  /** Tasks at once; capped to the number of tasks, at least 1. */
  lanes: number;
  /**
   * Runs one task. Called at once when a lane takes the task, so work it
   * does before its first `await` sees the pool as it is at that moment
   * (e.g. a batch's share of the cores).
   */
  run(task: T, context: TaskContext): Promise<R>;
  /** Indexes into the task list, in the order they start (a permutation). @default the list's order */
  order?: readonly number[];
  /** Called as each task settles, in the order they settle. */
  onOutcome?(outcome: TaskOutcome<R>, index: number): void;
  /** Called when a lane takes no more tasks (to close what it held). The pool waits for it. */
  onLaneEnd?(lane: number): Promise<void> | void;
  /** The first failure stops the pool. @default false */
  stopOnError?: boolean;
  signal?: AbortSignal;
}

export interface PoolResult<R> {
  /** One per task, in the task list's order. */
  outcomes: TaskOutcome<R>[];
  /** The first task to fail, in time. */
  firstFailure?: { index: number; error: unknown };
  /** True when the pool stopped before every task started. */
  stopped: boolean;
}

/** The lanes a pool of `tasks` tasks runs on when asked for `wanted`: 1 to `tasks` (1 for an empty list), whole. */
export function laneCount(wanted: number, tasks: number): number {
  const whole = Number.isFinite(wanted) ? Math.floor(wanted) : 1;
  return Math.max(1, Math.min(whole, tasks));
}

export async function runPool<T, R>(tasks: readonly T[], options: PoolOptions<T, R>): Promise<PoolResult<R>> {
  const order = options.order ?? tasks.map((_, i) => i);
  checkOrder(order, tasks.length);
  const lanes = laneCount(options.lanes, tasks.length);
  const outcomes: TaskOutcome<R>[] = tasks.map(() => ({ status: 'not-run' }));
  const stop = new AbortController();
  const outer = options.signal;
  const onAbort = (): void => stop.abort(outer?.reason);
  if (outer?.aborted) onAbort();
  else outer?.addEventListener('abort', onAbort, { once: true });
  let next = 0;
  let firstFailure: PoolResult<R>['firstFailure'];

  const lane = async (n: number): Promise<void> => {
    try {
      while (next < order.length && !stop.signal.aborted) {
        const index = order[next++]!;
        let outcome: TaskOutcome<R>;
        try {
          outcome = { status: 'done', value: await options.run(tasks[index]!, { index, lane: n, lanes, waiting: order.length - next, signal: stop.signal }) };
        } catch (error) {
          outcome = { status: 'failed', error };
          firstFailure ??= { index, error };
          if (options.stopOnError) stop.abort(error);
        }
        outcomes[index] = outcome;
        options.onOutcome?.(outcome, index);
      }
    } finally {
      await options.onLaneEnd?.(n);
    }
  };
  try {
    await Promise.all(Array.from({ length: tasks.length === 0 ? 0 : lanes }, (_, n) => lane(n)));
  } finally {
    outer?.removeEventListener('abort', onAbort);
  }
  return { outcomes, ...(firstFailure && { firstFailure }), stopped: next < order.length };
}

/** The values of a pool's outcomes, in task order; the first failure (in time) is thrown, and a task not run is an error. */
export function valuesOf<R>(result: PoolResult<R>): R[] {
  if (result.firstFailure) throw result.firstFailure.error;
  return result.outcomes.map((o, i) => {
    if (o.status !== 'done') throw new Error(`pool: task ${i} did not run (the pool was stopped)`);
    return o.value;
  });
}

function checkOrder(order: readonly number[], n: number): void {
  const seen = new Set<number>();
  for (const i of order) {
    if (!Number.isInteger(i) || i < 0 || i >= n || seen.has(i)) throw new RangeError(`pool: order must list each task index 0..${n - 1} once; got ${JSON.stringify(order)}`);
    seen.add(i);
  }
  if (seen.size !== n) throw new RangeError(`pool: order lists ${seen.size} of ${n} tasks`);
}
