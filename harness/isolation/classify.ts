/**
 * Turns what the parent observed about one isolated run into an outcome.
 * Only flags, signals, exit codes and the validated channel verdict are
 * used: never the text the child printed, which the submission controls.
 */
import type { GradeReport, Status, TestReport } from '../report/types.ts';
import type { ChannelVerdict } from './protocol.ts';
import { judge, type Limit, type StopReason, type SupervisionLimits } from './supervise.ts';

export type Outcome =
  | 'graded' // the kit finished and reported; the report's status says pass or fail
  | 'load-failed' // the submission did not load (compile error, no factory, factory threw)
  | 'crashed' // died from a signal (process.abort, native crash, a killed parent shell)
  | 'timeout' // its CPU-time limit (the whole process tree), or the CPU rlimit backstop
  | 'out-of-memory' // RSS over the limit, or V8's heap limit
  | 'output-limit' // printed more than the output cap
  | 'process-limit' // started more processes/threads than its cgroup allows, and did not finish
  | 'tampered' // forged or extra channel messages, or patched the kit's globals
  | 'exited' // ended the process (process.exit) before the kit reported
  | 'kit-error'; // the kit failed (or the wall-clock backstop stopped it under its CPU limit): never the student's zero

export interface Observation {
  verdict: ChannelVerdict;
  /** Why the supervisor stopped the child (supervise.ts watchChild), or the cgroup's OOM kill ('memory'). */
  stoppedBy?: StopReason;
  /** CPU time of the child's tree, ms; undefined where it cannot be read. */
  cpuMs?: number;
  /** Node wrote a fatal-error report whose trigger is OOMError (V8 heap limit). */
  heapOutOfMemory: boolean;
  signal?: string;
  exitCode?: number;
  /** The child could not be started at all (execa's spawn failure, wrapper exit 125-127). */
  spawnFailed: boolean;
}

export interface Classified {
  outcome: Outcome;
  status: Status;
  detail: string;
  report?: TestReport | GradeReport;
}

const fail = (outcome: Outcome, detail: string): Classified => ({ outcome, status: 'fail', detail });
const kitError = (detail: string): Classified => ({ outcome: 'kit-error', status: 'error', detail });
const LIMIT_OUTCOME: Record<Limit, Outcome> = { cpu: 'timeout', memory: 'out-of-memory', output: 'output-limit' };
export const CHILD_WORDS = { what: 'the grading process', stopped: 'the process tree was killed', before: 'loading the submission' };

/**
 * The grading child's outcome: its limits, the wall-clock backstop and a
 * start that failed are judged by the one supervisor's rules (supervise.ts,
 * as the compile service's are); what it said over its channel decides the
 * rest.
 */
export function classify(o: Observation, limits: SupervisionLimits): Classified {
  const supervised = judge(
    {
      ...(o.spawnFailed && { spawnFailed: true }),
      ...(o.stoppedBy && { stoppedBy: o.stoppedBy }),
      ...(o.cpuMs !== undefined && { cpuMs: o.cpuMs }),
      ...(o.signal && { signal: o.signal }),
      ...(o.exitCode !== undefined && { exitCode: o.exitCode }),
      heapOutOfMemory: o.heapOutOfMemory,
      // No ready message: the kit stopped before any student code ran.
      student: o.verdict.kind === 'silent' ? 'nothing' : 'code',
      answered: o.verdict.kind === 'final',
    },
    limits,
    CHILD_WORDS,
  );
  if (supervised.fault === 'kit') return kitError(supervised.detail);
  if (supervised.fault === 'limit') return fail(LIMIT_OUTCOME[supervised.limit], supervised.detail);
  if (o.verdict.kind === 'forged') return fail('tampered', `tampered with the result channel: ${o.verdict.why}`);
  const final = o.verdict.kind === 'final' ? o.verdict.message : undefined;
  if (final?.kind === 'kit-error') return kitError(`the kit failed: ${final.message}`);
  if (o.signal) return fail('crashed', `crashed: killed by ${o.signal}`);
  if (final?.kind === 'tampered') return fail('tampered', `changed the kit's built-in objects: ${final.changed.join(', ')}`);
  if (!final) return fail('exited', `ended the process (exit code ${o.exitCode}) before the kit could report`);
  if (o.exitCode !== 0) return fail('exited', `the process exited with code ${o.exitCode} after reporting; the result is not trusted`);
  if (final.kind === 'load-failed') return fail('load-failed', final.message);
  // runTests reports a submission that does not load as data: a failed report with an error and no checks.
  const r = final.report;
  if (r.status === 'fail' && r.error !== undefined && r.checks.length === 0) return { ...fail('load-failed', r.error), report: r };
  return { outcome: 'graded', status: final.report.status, detail: `graded: ${final.report.status}`, report: final.report };
}
