import type { ConfinedBundle } from '../confine/compartment.ts';
import type { CheckerOptions } from '../checker/options.ts';
import type { CheckResult } from '../report/types.ts';

/** What the parent hands a check worker. */
export interface WorkerInit {
  spec: string;
  options: {
    seed: number;
    limit: number;
    checker: CheckerOptions;
    shrinkMs: number;
    propertyMs: number;
    propertyRuns: number;
    propertySteps: number;
    staticDataLimit: number;
    compiler?: string;
    /** Trusted callers only (never from a submission or its configuration): false loads TypeScript unconfined. @default true */
    confine?: boolean;
    /** C only: the course profile (name or profile file) to compile with. */
    profile?: string;
  };
  /** The submission bundled once by the dispatching thread (confined TypeScript only). */
  bundle?: ConfinedBundle;
  /** Int32Array cell [0]: the op index in flight, read by the watchdog. */
  progress: SharedArrayBuffer;
}

export type ToWorker = { type: 'run'; index: number; check: string };

export type FromWorker =
  | { type: 'ready'; language: 'ts' | 'c'; notes?: string[] }
  | { type: 'load-error'; message: string }
  | { type: 'provisional'; index: number; result: CheckResult }
  | { type: 'result'; index: number; result: CheckResult }
  | { type: 'kit-error'; index: number; message: string };
