/**
 * Turns what the parent observed about one isolated run into an outcome.
 * Only flags, signals, exit codes and the validated channel verdict are
 * used: never the text the child printed, which the submission controls.
 */
import type { GradeReport, Status, TestReport } from '../report/types.ts';
import type { ChannelVerdict } from './protocol.ts';

export type Outcome =
  | 'graded' // the kit finished and reported; the report's status says pass or fail
  | 'load-failed' // the submission did not load (compile error, no factory, factory threw)
  | 'crashed' // died from a signal (process.abort, native crash, a killed parent shell)
  | 'timeout' // wall-clock limit (or the CPU-time backstop)
  | 'out-of-memory' // RSS over the limit, or V8's heap limit
  | 'output-limit' // printed more than the output cap
  | 'process-limit' // started more processes/threads than its cgroup allows, and did not finish
  | 'tampered' // forged or extra channel messages, or patched the kit's globals
  | 'exited' // ended the process (process.exit) before the kit reported
  | 'kit-error'; // the kit failed: never the student's zero

export interface Observation {
  verdict: ChannelVerdict;
  timedOut: boolean;
  memoryExceeded: boolean;
  /** Node wrote a fatal-error report whose trigger is OOMError (V8 heap limit). */
  heapOutOfMemory: boolean;
  isMaxBuffer: boolean;
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

export function classify(o: Observation, limits: { timeoutMs: number; memoryMb: number }): Classified {
  if (o.spawnFailed) return kitError('the grading process could not be started');
  // No ready message: the kit stopped before any student code ran, so it cannot be the student's fault.
  if (o.verdict.kind === 'silent') {
    const how = o.timedOut ? `did not start within ${limits.timeoutMs} ms` : o.signal ? `died from ${o.signal}` : `exited with code ${o.exitCode}`;
    return kitError(`the grading process ${how} before loading the submission`);
  }
  if (o.timedOut) return fail('timeout', `did not finish within ${limits.timeoutMs} ms (wall clock); the process tree was killed`);
  if (o.signal === 'SIGXCPU') return fail('timeout', 'used up its CPU-time allowance; the process was killed');
  if (o.memoryExceeded || o.heapOutOfMemory) {
    return fail('out-of-memory', `used more than the ${limits.memoryMb} MB memory limit; the process was killed`);
  }
  if (o.isMaxBuffer) return fail('output-limit', 'printed more than the output limit; the process was killed');
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
