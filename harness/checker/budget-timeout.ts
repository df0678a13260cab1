/** The words of a step-budget timeout, one wording for every front end. */
import type { Violation } from './violation.ts';
import type { BudgetExceededError } from '../meter/budget.ts';

export function budgetTimeout(call: string, e: BudgetExceededError): Omit<Violation, 'kind' | 'op' | 'call'> {
  return {
    message: `${call} did not return: it ${e.message} (the same count on every machine)${e.source ? `\n${e.source}` : ''}`,
    hint:
      (e.where ? `It was spinning in ${e.where}. ` : '') +
      'An endless loop: a free list that became circular (a block inserted twice), a walk that never advances because a block size is 0, or a search that restarts forever.',
  };
}
