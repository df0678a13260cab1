/**
 * The messages between the grading parent and one isolated child: the wire
 * format both sides speak (the parent validates what arrives: isolation/
 * protocol.ts). The child sends, over the IPC channel and in this order,
 * each message carrying the per-run secret nonce it received before any
 * student code was loaded:
 *
 *   1. `ready`  — the kit's modules are imported; student code comes next.
 *   2. any number of `check` / `workload` — one result each, as it completes,
 *      so that a child stopped later keeps what it earned (isolation/partial.ts).
 *   3. a final one — `result`, `load-failed`, `tampered` or `kit-error`.
 */
import type { CheckResult, GradeReport, TestReport, WorkloadResult } from '../report/types.ts';
import type { RunRequest } from '../plan/request.ts';

export type IsolatedMode = 'grade' | 'test';

/** Parent → child, sent once as execa's `ipcInput`. */
export interface JobMessage {
  kind: 'job';
  nonce: string;
  mode: IsolatedMode;
  spec: string;
  /** The rules (harness/plan), decided by the parent: the child reads no configuration file. */
  plan: unknown;
  /** The plan's seal under this job's nonce (plan/validate.ts): a plan from anywhere else is refused. */
  seal: string;
  /** How the result is shown and the work spread (plan/request.ts), validated by the child: nothing that changes a grade. */
  request?: RunRequest;
  /** The configuration's own trace files (hidden ones included) as data, by absolute path: the child cannot open them. */
  traces?: Record<string, string>;
}

export interface ReadyMessage {
  kind: 'ready';
  nonce: string;
  pid: number;
}

/** One result as it completes (streamed between `ready` and the final message). */
export type ProgressMessage =
  | { kind: 'check'; nonce: string; result: CheckResult }
  | { kind: 'workload'; nonce: string; result: WorkloadResult };

export type FinalMessage =
  | { kind: 'result'; nonce: string; report: TestReport | GradeReport }
  | { kind: 'load-failed'; nonce: string; message: string }
  | { kind: 'tampered'; nonce: string; changed: string[] }
  | { kind: 'kit-error'; nonce: string; message: string; stack?: string };
