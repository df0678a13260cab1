/**
 * The host side of C metering: before each call the instance's counter
 * global (added by the metering pass) is set to the call's budget; the pass
 * makes the module trap with `unreachable` when it goes negative. After the
 * call, budget - counter is what the call cost.
 */
import type { CallMeter, StepBudget } from '../contract/meter.ts';
import { BudgetExceededError, DEFAULT_STEP_BUDGET, MAX_C_BUDGET } from './budget.ts';

export class WasmMeter implements CallMeter {
  readonly unit = 'instructions' as const;
  total = 0;
  lastCall = 0;
  maxCall = 0;
  private budget = DEFAULT_STEP_BUDGET.c;

  constructor(private readonly counter: WebAssembly.Global) {}

  setBudget(budget: StepBudget): void {
    if (!Number.isInteger(budget.c) || budget.c < 1 || budget.c > MAX_C_BUDGET) {
      throw new RangeError(`Expected the C step budget to be an integer from 1 to ${MAX_C_BUDGET} instructions, got ${budget.c}`);
    }
    this.budget = budget.c;
  }

  begin(): void {
    this.counter.value = this.budget;
  }

  /**
   * Takes `units` off the running call's counter: the module's next segment
   * then finds it spent (a budget trap) or the call's cost includes them.
   */
  charge(units: number): void {
    this.counter.value = Math.max(-(2 ** 31), (this.counter.value as number) - Math.ceil(units));
  }

  /** After a call that returned (or trapped): counts its cost. */
  end(): void {
    const left = this.counter.value as number;
    const used = this.budget - Math.max(0, left);
    this.lastCall = used;
    this.total += used;
    if (used > this.maxCall) this.maxCall = used;
  }

  /** Whether the trap `e` was the pass's budget trap; then the error to report instead. */
  exceeded(e: unknown, place: (stack: string | undefined) => { where?: string; source?: string } = () => ({})): BudgetExceededError | null {
    if ((this.counter.value as number) >= 0) return null;
    // Where it was spinning (function, line, the line quoted) comes from the module's loader, which knows its line table.
    const loc = place((e as Error | undefined)?.stack);
    return new BudgetExceededError(this.budget, this.unit, loc.where, loc.source);
  }
}
