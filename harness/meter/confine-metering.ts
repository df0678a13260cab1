/**
 * TypeScript metering as compartment options: the step-meter transform runs
 * before any other transform on everything the compartment evaluates, and
 * the thread's meter tick is endowed under its reserved name. A reserved
 * name in the submission is its load failure, named by line.
 */
import type { ConfineOptions } from '../confine/compartment.ts';
import { LoadError } from '../util/errors.ts';
import { STEP_METER } from './step-meter.ts';
import { METER_GLOBAL, meterSource, ReservedNameError } from './ts-transform.ts';

export function meteringOptions(options: ConfineOptions, spec: string): ConfineOptions {
  const transform = (src: string): string => {
    try {
      return meterSource(src);
    } catch (e) {
      if (e instanceof ReservedNameError) throw new LoadError(`${spec}: the bundled code at ${e.message}`, { cause: e });
      throw e;
    }
  };
  return {
    ...options,
    transforms: [transform, ...(options.transforms ?? [])],
    endowments: { ...options.endowments, [METER_GLOBAL]: STEP_METER.tick },
  };
}
