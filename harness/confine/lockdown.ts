/**
 * Hardened JavaScript for the realm where student code runs. `lockdown()`
 * freezes every shared intrinsic (Object.prototype, Array.prototype, typed
 * arrays, Function.prototype ...) so code in a compartment cannot patch what
 * the checker, the clocks or the reference use, and tames what compartments
 * see (no Date.now, no Math.random, no Function constructor reaching the
 * start realm). It is irreversible for the thread, so it runs once, in the
 * thread that evaluates submissions (the check and trace workers), before
 * any submission is evaluated.
 */
import 'ses';
import { HeapgradeError, LoadError, UsageError } from '../util/errors.ts';
import { SegfaultError } from '../heap/segfault.ts';
import { BudgetExceededError } from '../meter/budget.ts';
import { StudentThrow } from '../meter/thrown.ts';
import { meterFunctionSource, meterImplicitJoins } from '../meter/implicit-join.ts';

/**
 * The kit's error classes a submission can get hold of: thrown into its code
 * (a segfault, the exhausted budget, a load error from code it evaluates) or
 * made from what it threw. Their constructors reach their parents.
 */
const KIT_ERROR_CLASSES: ReadonlyArray<abstract new (...args: never[]) => Error> = [
  SegfaultError, BudgetExceededError, StudentThrow, HeapgradeError, LoadError, UsageError,
];

let done = false;

/** Locks the realm down once; later calls do nothing. */
export function ensureLockdown(): void {
  if (done) return;
  done = true;
  // @yowasp/clang's runtime adds Promise.withResolvers where it is missing
  // (Node 20); once lockdown freezes Promise it cannot, and compiling C in a
  // locked-down thread fails. Add the standard one first.
  if (typeof (Promise as { withResolvers?: unknown }).withResolvers !== 'function') {
    Object.defineProperty(Promise, 'withResolvers', {
      value: function withResolvers<T>(this: PromiseConstructor) {
        let resolve!: (v: T) => void;
        let reject!: (e: unknown) => void;
        const promise = new this<T>((a, b) => {
          resolve = a;
          reject = b;
        });
        return { promise, resolve, reject };
      },
      writable: true,
      configurable: true,
    });
  }
  // The implicit join of an array is charged by the array's own toString, installed while it can still be (implicit-join.ts).
  meterImplicitJoins();
  // So is a function's source text (String(fn)), by its length.
  meterFunctionSource();
  lockdown({
    // The trusted side reads `error.stack` of what student code throws, to
    // name allocator.ts:line in a `threw` violation.
    errorTaming: 'unsafe',
    stackFiltering: 'verbose',
    // The kit's own console (progress, reports) stays as Node made it;
    // compartments get the print endowment instead.
    consoleTaming: 'unsafe',
    // Node's own code and the kit assign properties such as `name` on error
    // instances and `toString` on objects; 'moderate' keeps that working on
    // frozen prototypes without unfreezing anything.
    overrideTaming: 'moderate',
    // Node's `domain` module is never used by the kit; do not fail if a
    // dependency loaded it.
    domainTaming: 'unsafe',
    reporting: 'none',
  });
  // Errors thrown into student code (a segfault, the exhausted budget) are
  // kit classes: frozen, so a submission that catches one cannot redefine
  // what the checker later reads from them (instanceof, name, message).
  // Shallow freezes, not harden(): these classes were defined before
  // lockdown, so they extend Node's own Error, whose `stackTraceLimit` must
  // stay writable for the kit's dependencies (playwright, vitest set it).
  const sharedError = new Compartment().globalThis.Error as ErrorConstructor;
  for (const c of KIT_ERROR_CLASSES) {
    // A parent that is Node's own Error (the classes were defined before
    // lockdown), whose prepareStackTrace a submission could set to collect
    // the call sites of trusted frames, or to rewrite every stack the kit
    // formats: re-parented on the Error that compartments see, frozen and
    // powerless (no prepareStackTrace, a stackTraceLimit that ignores
    // writes); `super()` still builds a normal error with a stack.
    // (`Error` here is already lockdown's replacement, not the parent they
    // captured: any parent that is not itself a kit class is Node's.)
    if (!KIT_ERROR_CLASSES.includes(Object.getPrototypeOf(c) as (typeof KIT_ERROR_CLASSES)[number])) Object.setPrototypeOf(c, sharedError);
    Object.freeze(c);
    Object.freeze(c.prototype);
  }
}

/** True once this thread is locked down. */
export function isLockedDown(): boolean {
  return done;
}
