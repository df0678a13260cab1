/**
 * Property-based search for failures: fast-check writes random traces
 * (model-based commands, edge sizes included), each replayed under the full
 * checker on a fresh instance; the property is "no violation". On a failure
 * fast-check shrinks the command list, then delta debugging removes what is
 * left to remove, and the result is replayed once more to make sure the short
 * trace still shows the same kind of violation.
 */
import fc from 'fast-check';
import type { CheckerOptions } from '../checker/options.ts';
import type { Violation } from '../checker/violation.ts';
import type { LoadedSubmission } from '../contract/instance.ts';
import { replayChecked } from '../replay/replay.ts';
import { shrinkTrace } from '../replay/shrink.ts';
import type { Op } from '../trace/types.ts';
import { COMMANDS, emptyModel, FREE_NULL } from './commands.ts';
import { renumberIds } from './renumber.ts';

export interface SearchOptions {
  /** fast-check seed: the same seed searches the same traces. */
  seed: number;
  /**
   * Metered work (TypeScript steps, C instructions) the search may spend
   * before it stops, and shrinking a failure as much again. This bound, not
   * the clock, decides how far the search goes: the same submission is
   * searched as far on a busy machine as on an idle one.
   */
  stepBudget: number;
  /** Wall-clock backstop, far above what the step budget takes; a search it stops says so (`stoppedBy: 'clock'`). */
  timeLimitMs: number;
  /** Random traces to try at most. */
  numRuns: number;
  checker: CheckerOptions;
  /** Heap limit of each instance, in bytes. */
  limit: number;
  /** Shared cell the watchdog reads (the op in flight), when the search runs under one. */
  progress?: Int32Array;
  /** Commands per trace at most. @default 40 */
  maxCommands?: number;
  /** fast-check's counterexample path and commands replay path, to replay a failure found before (with the same seed). */
  path?: string;
  replayPath?: string;
}


/** What ended a search that found nothing: all its runs, its step budget, or (backstop only) the clock. */
export type SearchStop = 'runs' | 'steps' | 'clock';

export type PropertyResult =
  | { status: 'pass'; seed: number; runs: number; steps: number; stoppedBy: SearchStop }
  | {
      status: 'fail';
      seed: number;
      /** fast-check's counterexample path: with the seed, replays the search straight to the failure. */
      path: string;
      /** fast-check's replay path of the command list (needed with `path` to replay). */
      replayPath?: string;
      /** The shrunk trace, ids numbered from 0. */
      trace: Op[];
      violation: Violation;
      runs: number;
      /** Ops in the first failing trace, before shrinking. */
      originalLength: number;
    };

interface Failure {
  ops: Op[];
  violation: Violation;
}

/** Wall clock for delta debugging a found failure (the shape of the repro, never the verdict). */
const MINIMISE_MS = 3000;

export function searchForFailure(loaded: LoadedSubmission, options: SearchOptions): PropertyResult {
  let steps = 0;
  const replay = (ops: readonly Op[]): Violation | null => {
    const r = replayChecked(loaded.instantiate({ seed: options.seed, limit: options.limit }), ops, {
      checker: options.checker,
      snapshot: false,
      progress: options.progress,
    });
    steps += r.steps;
    return r.violation;
  };

  const started = Date.now();
  let first: Failure | null = null;
  let firstAt = 0;
  let last: Failure | null = null;
  let searched = 0;
  let stepsAtFirst = 0;
  let stoppedBy: SearchStop = 'runs';
  // A handout that never frees NULL (malloclab 2002) is not searched with free(NULL): the free-null check reports it, beyond the handout.
  const commands = options.checker.freeNullOfFailed ? COMMANDS : COMMANDS.filter((c) => c !== FREE_NULL);
  const property = fc.property(fc.commands(commands, {
    maxCommands: options.maxCommands ?? 40,
    ...(options.replayPath !== undefined ? { replayPath: options.replayPath } : {}),
  }), (cmds) => {
    const now = Date.now();
    // Out of steps (or, as a backstop, of time): report "passes" so that fast-check
    // stops searching, or stops shrinking and keeps the shortest failure found so far.
    const spent = first === null ? steps : steps - stepsAtFirst;
    if (spent > options.stepBudget || now - (first === null ? started : firstAt) > options.timeLimitMs) {
      if (first === null && stoppedBy === 'runs') stoppedBy = spent > options.stepBudget ? 'steps' : 'clock';
      return true;
    }
    if (first === null) searched++;
    const model = emptyModel();
    fc.modelRun(() => ({ model, real: {} }), cmds);
    const violation = replay(model.ops);
    if (violation === null) return true;
    last = { ops: model.ops, violation };
    if (first === null) {
      first = last;
      firstAt = now;
      stepsAtFirst = steps;
    }
    return false;
  });
  const details = fc.check(property, {
    seed: options.seed,
    numRuns: options.numRuns,
    ...(options.path !== undefined ? { path: options.path } : {}),
  });
  const found = last as Failure | null;
  if (!details.failed || found === null || details.counterexamplePath === null) {
    return { status: 'pass', seed: options.seed, runs: searched, steps, stoppedBy };
  }
  // Delta debugging only shortens the repro (the verdict is made): its own short backstop, as before the step budget.
  const trace = minimise(found, replay, Date.now() + Math.min(options.timeLimitMs, MINIMISE_MS));
  const replayPath = /replayPath="([^"]*)"/.exec(String(details.counterexample?.[0]))?.[1];
  return {
    status: 'fail',
    seed: options.seed,
    path: details.counterexamplePath,
    ...(replayPath !== undefined ? { replayPath } : {}),
    trace: trace.ops,
    violation: trace.violation,
    runs: details.numRuns,
    originalLength: (first as Failure | null)?.ops.length ?? found.ops.length,
  };
}

/**
 * Delta debugging on what fast-check left, then ids renumbered from 0. Each
 * step is kept only if the replay shows the same violation kind, so the
 * answer always reproduces; at worst it is fast-check's own trace.
 */
function minimise(found: Failure, replay: (ops: readonly Op[]) => Violation | null, deadline: number): Failure {
  const kind = found.violation.kind;
  const shrunk = shrinkTrace(found.ops, { kind, deadline, run: (ops) => replay(ops)?.kind ?? null });
  const shorter = shrunk.ops;
  for (const candidate of [renumberIds(shorter), shorter]) {
    const v = replay(candidate);
    // A shrink cut short by its deadline is the shortest found, not the shortest: the report must say so.
    if (v?.kind === kind) return { ops: candidate, violation: shrunk.complete ? v : { ...v, shrink: 'out-of-time' } };
  }
  const whole = renumberIds(found.ops);
  const v = replay(whole);
  if (v?.kind === kind) return { ops: whole, violation: { ...v, shrink: 'out-of-time' } };
  return { ...found, violation: { ...found.violation, shrink: 'out-of-time' } };
}
