/**
 * The host side of TypeScript metering. One StepMeter per thread: its `tick`
 * is the function the transformed code calls (harness/meter/ts-transform.ts),
 * endowed to every compartment as a frozen, non-writable global. A call's
 * steps are its ticks plus the heap work the trusted heap port counted
 * during it (heapCost, harness/contract/checked-heap.ts), checked against the call's budget.
 *
 * When a call exhausts its budget, `tick` throws, and keeps throwing on every
 * later tick until control is back in trusted code (`run` returns): a
 * `try/catch` or `finally` in student code can delay the end by a few
 * statements but never loop again. `run` itself reports the exhaustion
 * whatever the call then returned or threw. Outside any call (a promise job
 * the student queued, say) every tick throws.
 *
 * What an allocator call throws is copied into the kit's own plain error
 * before the call ends (harness/meter/thrown.ts): its getters run metered,
 * inside the call, and the kit never touches the student's object after.
 */
import { heapCost, type HeapStats } from '../contract/checked-heap.ts';
import { confinedTrail } from '../util/stack-map.ts';
import type { CallMeter, StepBudget } from '../contract/meter.ts';
import { BudgetExceededError, DEFAULT_STEP_BUDGET } from './budget.ts';
import { copyThrown } from './thrown.ts';

export class StepMeter {
  /** Every tick ever made on this thread (only differences matter). */
  private ticks = 0;
  /** The tick count at which `check` must look again; -1 outside a call and after exhaustion. */
  private nextCheck = -1;
  private inCall = false;
  private budget = 0;
  private startTicks = 0;
  private startHeap = 0;
  private stats: HeapStats | null = null;
  private exhausted: BudgetExceededError | null = null;

  /** Whether a metered call is running (work charged now is that call's). */
  get active(): boolean {
    return this.inCall;
  }

  /** The endowment: frozen, so the compartment cannot swap its internals. */
  readonly tick: () => void = Object.freeze(() => {
    if (++this.ticks > this.nextCheck) this.check();
  });

  /** Charges `n` steps of work done on the call's behalf (a builtin's, a copy's); throws like a tick when the budget runs out. */
  readonly charge: (n: number) => void = Object.freeze((n: number) => {
    this.ticks += n;
    if (this.ticks > this.nextCheck) this.check();
  });

  /**
   * Runs `fn` (a call of student code) like `run`; what it throws is copied
   * into the kit's own plain error while the call is still metered.
   */
  runStudent<T>(budget: number, stats: HeapStats | null, fn: () => T): { value: T; steps: number } {
    return this.run(budget, stats, () => {
      try {
        return fn();
      } catch (e) {
        if (this.exhausted) throw this.exhausted;
        throw copyThrown(e, this.charge);
      }
    });
  }

  private used(): number {
    return this.ticks - this.startTicks + (this.stats ? heapCost(this.stats) - this.startHeap : 0);
  }

  private check(): void {
    if (!this.inCall) throw new BudgetExceededError(0, 'steps', 'code running outside an allocator call');
    if (this.exhausted) throw this.exhausted;
    const used = this.used();
    if (used > this.budget) {
      const trail = confinedTrail();
      this.exhausted = new BudgetExceededError(this.budget, 'steps', trail.where ?? spinningIn(new Error().stack), trail.source);
      this.nextCheck = -1;
      throw this.exhausted;
    }
    this.nextCheck = this.ticks + (this.budget - used);
  }

  /**
   * Runs one call of student code with `budget` steps; returns its value and
   * the steps it took. Throws BudgetExceededError when the budget ran out,
   * even if the code caught the meter's exception and returned.
   */
  run<T>(budget: number, stats: HeapStats | null, fn: () => T): { value: T; steps: number } {
    if (this.inCall) return { value: fn(), steps: 0 }; // trusted code never nests calls; keep the outer budget
    this.inCall = true;
    this.exhausted = null;
    this.budget = budget;
    this.stats = stats;
    this.startTicks = this.ticks;
    this.startHeap = stats ? heapCost(stats) : 0;
    this.nextCheck = this.ticks + budget;
    let value: T;
    try {
      value = fn();
    } catch (e) {
      if (this.exhausted) throw this.exhausted;
      throw e;
    } finally {
      this.inCall = false;
      this.nextCheck = -1;
    }
    if (this.exhausted) throw this.exhausted;
    return { value, steps: this.used() };
  }
}

/** The thread's meter: every compartment of this thread is endowed with its tick. */
export const STEP_METER = new StepMeter();

/** A TypeScript instance's view of the meter: its own totals and budget. */
export class InstanceMeter implements CallMeter {
  readonly unit = 'steps' as const;
  total = 0;
  lastCall = 0;
  maxCall = 0;
  private budget = DEFAULT_STEP_BUDGET.ts;

  constructor(
    private readonly stats: HeapStats,
    private readonly meter: StepMeter = STEP_METER,
  ) {}

  setBudget(budget: StepBudget): void {
    if (!Number.isInteger(budget.ts) || budget.ts < 1) throw new RangeError(`Expected the TypeScript step budget to be a positive integer, got ${budget.ts}`);
    this.budget = budget.ts;
  }

  call<T>(fn: () => T): T {
    let steps = 0;
    try {
      const r = this.meter.runStudent(this.budget, this.stats, fn);
      steps = r.steps;
      return r.value;
    } catch (e) {
      steps = e instanceof BudgetExceededError ? this.budget : 0;
      throw e;
    } finally {
      this.lastCall = steps;
      this.total += steps;
      if (steps > this.maxCall) this.maxCall = steps;
    }
  }
}

/** The first frame below the meter's own: where the student's code was when the budget ran out. */
function spinningIn(stack: string | undefined): string | undefined {
  const frames = (stack ?? '').split('\n').slice(1).map((l) => l.trim());
  const mine = frames.find((f) => !/step-meter\.ts|harness\/meter\//.test(f));
  return mine?.replace(/^at /, '');
}
