/**
 * The shape of metering, as the heap and the checker see it: a per-call
 * budget of counted work, in instructions (C) or steps (TypeScript), and what
 * a metered instance exposes to the trusted side. The meters themselves and
 * the budgets' values live in harness/meter/.
 */

/** A per-call budget of counted work. */
export interface StepBudget {
  /** WebAssembly instructions per call (at most 2**31 - 1: the counter is an i32). */
  c: number;
  /** TypeScript steps per call. */
  ts: number;
}

export type MeterUnit = 'instructions' | 'steps';

/** What a metered allocator instance exposes to the trusted side (never to the allocator). */
export interface CallMeter {
  readonly unit: MeterUnit;
  /** Metered work of every call so far (for the speed score). */
  readonly total: number;
  /** Metered work of the most recent call. */
  readonly lastCall: number;
  /** The largest single call so far. */
  readonly maxCall: number;
  /** Sets the per-call budget (the checker applies the configuration's). */
  setBudget(budget: StepBudget): void;
  /** Charges the running call for work the kit does on its behalf (a C heap's zeroing of memory given back). */
  charge?(units: number): void;
}
