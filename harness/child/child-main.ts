/**
 * The isolated child's entry point (started by run-isolated.ts through
 * limited-node.sh). Order matters: the result channel (process.send) and process.exit are captured,
 * the job with its secret nonce is received, the kit is imported and the
 * built-ins fingerprinted — all before the submission's code is loaded. The
 * nonce lives only in this module's closure, out of the submission's reach.
 * The kit itself may still touch a fingerprinted property while grading: the
 * C toolchain probe runs execa, whose signal-exit dependency replaces
 * process.emit during the run and restores it by assignment; intrinsics.ts
 * compares what a lookup reaches, so that round trip is not tampering. C
 * submissions arrive compiled (precompile.ts), so no compiler starts here.
 */
import { diffFingerprints, takeFingerprint } from './intrinsics.ts';
import type { FinalMessage, JobMessage } from './messages.ts';

const rawSend = process.send?.bind(process);
const exit = process.exit.bind(process);

if (!rawSend) {
  process.stderr.write('heapgrade: child-main.ts must be started by the isolation runner (no IPC channel)\n');
  exit(70);
}
const send = (message: unknown): Promise<void> =>
  new Promise((resolve) => {
    rawSend!(message, undefined, undefined, () => resolve());
  });

// A grader that goes away must not leave this process running.
process.on('disconnect', () => exit(71));
process.once('message', (job: JobMessage) => {
  void run(job);
});

async function run(job: JobMessage): Promise<void> {
  const { nonce } = job;
  let final: FinalMessage;
  try {
    // Hidden traces arrive as data, before any submission code exists.
    if (job.traces) (await import('../trace/parse.ts')).provideTraces(job.traces);
    // The rules come from the parent, sealed for this job; the child never reads a configuration file or a flag.
    const plan = (await import('../plan/validate.ts')).openPlan(job.plan, job.seal, nonce);
    const request = (await import('../plan/request.ts')).validateRunRequest(job.request);
    if (plan.mode !== job.mode) throw new Error(`the job asks for ${job.mode} but its plan is for ${plan.mode}`);
    const { gradeFunction } = await import('./grading.ts');
    const grade = await gradeFunction(job.mode, job.spec);
    const { LoadError, UsageError } = await import('../util/errors.ts');
    const before = takeFingerprint();
    await send({ kind: 'ready', nonce, pid: process.pid });
    try {
      // Each check and workload goes to the parent as it completes: a child stopped later keeps what it earned.
      const stream = (kind: 'check' | 'workload') => (result: unknown): void => {
        rawSend!({ kind, nonce, result: JSON.parse(JSON.stringify(result)) as unknown });
      };
      // The plan as it came, never planned again: what it owes is what runs.
      const report = await grade(job.spec, plan, request, { onCheck: stream('check'), onWorkload: stream('workload') });
      const changed = diffFingerprints(before, takeFingerprint());
      final = changed.length ? { kind: 'tampered', nonce, changed } : { kind: 'result', nonce, report };
    } catch (e) {
      const changed = diffFingerprints(before, takeFingerprint());
      if (changed.length) final = { kind: 'tampered', nonce, changed };
      else if (e instanceof LoadError) final = { kind: 'load-failed', nonce, message: e.message };
      else if (e instanceof UsageError) final = { kind: 'kit-error', nonce, message: e.message };
      else throw e;
    }
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    final = { kind: 'kit-error', nonce, message: err.message, stack: err.stack };
  }
  await send(final);
  exit(0);
}
